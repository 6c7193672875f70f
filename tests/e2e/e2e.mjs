// storyfold's web page in a real browser: starts `storyfold serve` on
// loopback with a fresh store, posts the example pages (and the shared
// seeds when ../shared/seeds is there), opens the page in headless Chromium
// (Debian's /usr/bin/chromium driven by playwright-core; no browser is ever
// downloaded) and checks what a reader sees.
//
// usage: node e2e.mjs STORYFOLD ROOT
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [storyfold, root] = process.argv.slice(2);
const tmp = mkdtempSync(join(tmpdir(), "sf-e2e-"));
const failures = [];
function check(cond, what) {
  if (!cond) { failures.push(what); console.log("not ok:", what); }
  else console.log("ok:", what);
}

function startServer(db) {
  return new Promise((resolve, reject) => {
    const p = spawn(storyfold, ["serve", "--db", join(tmp, db), "--port", "0"],
                    { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", d => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) resolve({ p, base: m[1].replace(/\/$/, "") });
    });
    p.on("exit", code => reject(new Error("serve exited " + code)));
    setTimeout(() => reject(new Error("serve did not start")), 20000);
  });
}

function folder(dir) {
  return readdirSync(dir).filter(f => f.endsWith(".txt")).sort()
    .map(f => ({ id: f, text: readFileSync(join(dir, f), "utf8") }));
}

async function post(base, arts) {
  const r = await fetch(base + "/articles", {
    method: "POST", body: arts.map(a => JSON.stringify(a)).join("\n") });
  if (!r.ok) throw new Error("POST " + r.status + " " + await r.text());
  return (await r.json()).articles;
}

// Two services, each on its own store: the example pages, and the seeds.
const { p: server, base } = await startServer("examples.db");
const seedsDir = join(root, "..", "shared", "seeds");
const seedServer = existsSync(seedsDir) ? await startServer("seeds.db") : null;
let browser;
try {
  const examples = await post(base, folder(join(root, "examples", "pages")));
  const tram = examples.find(a => a.id === "01_harbor_tram_wire.txt").story;
  const quake = examples.find(a => a.id === "05_quake_report.txt").story;
  const seeds = seedServer ? await post(seedServer.base, folder(seedsDir)) : null;

  browser = await chromium.launchPersistentContext(join(tmp, "profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 390, height: 844 },   // a phone
  });
  const page = browser.pages()[0] || await browser.newPage();
  const errors = [];
  page.on("pageerror", e => errors.push(String(e)));
  page.on("console", m => { if (m.type() === "error") errors.push(m.text()); });

  // the list: newest first, headline, sources, first seen, last updated
  await page.goto(base + "/");
  await page.waitForSelector("#stories li");
  const items = await page.$$eval("#stories li", lis => lis.map(li => ({
    id: li.dataset.story, headline: li.querySelector("h2").textContent,
    sources: li.querySelector(".sources").textContent,
    first: li.querySelector(".first-seen").textContent,
    updated: li.querySelector(".updated").textContent })));
  check(items.length === 3, "stories listed: " + items.length);
  const t = items.find(i => i.id === tram);
  check(t && t.headline.includes("Harborview council approves") && t.sources === "3 sources",
        "tram story: headline and 3 sources");
  check(t && /first seen \S/.test(t.first) && /updated \S/.test(t.updated),
        "first seen and updated shown");
  const noScroll = await page.evaluate(() =>
    document.scrollingElement.scrollWidth <= window.innerWidth + 1);
  check(noScroll, "the list fits a phone's width");

  // a story page: sources on a timeline, copies, facts with support, related
  await page.click(`#stories li[data-story="${tram}"] h2 a`);
  await page.waitForSelector("#headline");
  check((await page.textContent("#headline")).includes("Harborview"), "story page headline");
  const sources = await page.$$eval("#timeline li", lis => lis.map(li => li.dataset.article));
  check(sources.length === 3 && sources.includes("02_harbor_tram_copy.txt"),
        "three sources on the timeline");
  const copy = await page.textContent('#timeline li[data-article="02_harbor_tram_copy.txt"] .copy-of');
  check(copy === "copy of 01_harbor_tram_wire.txt", "the copy is shown as a copy of the wire");
  const facts = await page.$$eval("#facts tr.fact", trs => trs.map(tr => tr.textContent));
  check(facts.some(f => f.includes("410 million euros") && f.includes("2 sources")),
        "the cost fact with its support");
  const related = await page.$$eval("#related a", as => as.map(a => a.textContent));
  check(related.some(r => r.includes("Lindau")), "related story linked");
  check(await page.evaluate(() =>
    document.scrollingElement.scrollWidth <= window.innerWidth + 1), "the story fits a phone");

  // disagreements, highlighted
  await page.goto(base + "/#/story/" + quake);
  await page.waitForSelector("#disagreements .disagreement");
  const dis = await page.textContent("#disagreements");
  check(dis.includes("people injured") && dis.includes("23") && dis.includes("31"),
        "the injured counts disagree");
  const bg = await page.$eval("#disagreements .disagreement",
                              e => getComputedStyle(e).backgroundColor);
  check(bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent", "disagreements highlighted: " + bg);
  check(!/\bundefined\b|\bNaN\b|\[object /.test(await page.textContent("main")),
        "no undefined, NaN or [object] on the story page");

  // search
  await page.fill("#q", "earthquake");
  await page.press("#q", "Enter");
  await page.waitForSelector("h1:has-text('matching')");
  await page.waitForSelector("#stories li");
  const found = await page.$$eval("#stories li", lis => lis.map(li => li.dataset.story));
  check(found.length === 1 && found[0] === quake, "search finds the quake story");
  await page.fill("#q", "zeppelin airship");
  await page.press("#q", "Enter");
  await page.waitForSelector("#empty");
  check((await page.textContent("#empty")).includes("No story"), "a search with no match says so");

  // the seeds: 000-003 one story (004 in it or related), the 300,000 vehicles fact
  if (seeds) {
    const s = seeds.find(a => a.id.startsWith("000_")).story;
    check(seeds.slice(0, 4).every(a => a.story === s), "seeds 000-003 in one story");
    await page.goto(seedServer.base + "/");
    await page.waitForSelector("#stories li");
    const listed = await page.$$eval("#stories li", lis => lis.map(li => li.dataset.story));
    check(listed.includes(s) && listed.length <= 2, "seeds: their story listed (" + listed.length + ")");
    await page.goto(seedServer.base + "/#/story/" + s);
    await page.waitForSelector("#timeline li");
    const n = await page.$$eval("#timeline li", lis => lis.length);
    const rel = await page.$$eval("#related a", as => as.length).catch(() => 0);
    check(n >= 4 && (n === 5 || rel > 0 || seeds[4].story === s), "seed story sources: " + n);
    const fact = await page.$$eval("#facts tr.fact", trs => trs.map(tr => tr.textContent));
    check(fact.some(f => f.includes("300,000 vehicles") && /\d sources/.test(f)),
          "the 300,000-vehicle fact with its support");
    // the spokesman's "baseless" against the report: both sides named, with their sources
    const sides = await page.$$eval("#disagreements .side", ds => ds.map(d => d.textContent));
    check(sides.some(t => t.startsWith("denied") && /1 source/.test(t)) &&
          sides.some(t => t.startsWith("reported") && /\d sources/.test(t)),
          "the denial and the report it denies: " + sides.join(" | "));
    const body = await page.textContent("main");
    check(!/\bundefined\b|\bNaN\b|\[object /.test(body), "no undefined, NaN or [object] on the story page");
  }
  // an unknown story shows an error, not a blank page
  await page.goto(base + "/#/story/s0000000000000000");
  await page.waitForSelector(".error");
  check((await page.textContent(".error")).includes("no story"), "unknown story: a message");
  check(errors.filter(e => !e.includes("404")).length === 0,
        "no script errors: " + errors.join("; "));
} catch (e) {
  failures.push(String(e));
  console.log("not ok:", e);
} finally {
  if (browser) await browser.close();
  for (const p of [server, seedServer && seedServer.p].filter(Boolean)) {
    p.kill("SIGTERM");
    await new Promise(r => p.once("exit", r));
  }
  rmSync(tmp, { recursive: true, force: true });
}
console.log(failures.length + " failures");
process.exit(failures.length ? 1 : 0);
