// storyfold's page: the list of stories and one story, from the JSON API.
// Routes (in the hash): #/ (newest first), #/?q=words (search),
// #/story/ID. Text from the API is only ever set as textContent.
"use strict";

const main = document.getElementById("main");
const PAGE = 20;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric",
                                       hour: "2-digit", minute: "2-digit" });
}

function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => ({ reason: r.statusText }));
  if (!r.ok) throw new Error(body.reason || ("HTTP " + r.status));
  return body;
}

function show(...nodes) { main.replaceChildren(...nodes); window.scrollTo(0, 0); }

function fail(err) {
  show(el("p", { class: "error", role: "alert", text: "Could not load: " + err.message }),
       el("p", {}, el("a", { href: "#/", text: "All stories" })));
}

// ---- the list ---------------------------------------------------------

function storyItem(s) {
  const dates = s.first_date && s.last_date && s.first_date !== s.last_date
    ? s.first_date + " – " + s.last_date : s.first_date;
  return el("li", { "data-story": s.id },
    el("h2", {}, el("a", { href: "#/story/" + encodeURIComponent(s.id), text: s.headline })),
    el("div", { class: "meta" },
      el("span", { class: "sources", text: plural(s.sources, "source", "sources") }),
      s.copies ? el("span", { text: plural(s.copies, "copy", "copies") }) : null,
      el("span", { class: "first-seen", text: "first seen " + when(s.first_seen) }),
      el("span", { class: "updated", text: "updated " + when(s.updated) }),
      dates ? el("span", { text: dates }) : null));
}

async function showList(q) {
  document.getElementById("q").value = q || "";
  document.title = q ? "“" + q + "” – storyfold" : "storyfold";
  const list = el("ol", { class: "stories", id: "stories" });
  const more = el("button", { type: "button", id: "more", text: "More stories" });
  const head = el("h1", { text: q ? "Stories matching “" + q + "”" : "Latest stories" });
  let offset = 0;
  async function page() {
    const params = new URLSearchParams({ limit: PAGE, offset });
    if (q) params.set("q", q);
    const r = await api("/stories?" + params);
    for (const s of r.stories) list.append(storyItem(s));
    offset += r.stories.length;
    more.hidden = r.next_offset === undefined;
    if (!offset) list.replaceWith(el("p", { class: "muted", id: "empty",
      text: q ? "No story matches." : "No stories yet." }));
  }
  more.addEventListener("click", () => page().catch(fail));
  show(head, list, more);
  await page();
}

// ---- one story --------------------------------------------------------

function quotes(sources, names) {
  const d = el("details", {}, el("summary", { text: plural(sources.length, "quote", "quotes") }));
  for (const s of sources)
    d.append(el("blockquote", {}, "“" + s.quote + "” — ", names(s.id)));
  return d;
}

// A side of a disagreement: a value ("3 injured", "300,000 vehicles a
// year", "2026") or a claim ("denied", "reported").
function sideLabel(side) {
  if (side.value === undefined) return side.claim || "";
  const num = x => typeof x === "number" ? x.toLocaleString("en") : String(x);
  let t = num(side.value) + (side.value_max !== undefined ? "–" + num(side.value_max) : "");
  if (side.currency) t = side.currency + " " + t;
  if (side.unit || side.harm) t += " " + (side.unit || side.harm);
  if (side.per) t += " a " + side.per;
  return (side.up_to ? "up to " : side.at_least ? "at least " : side.approx ? "about " : "") + t;
}

function sourceList(sources, names) {
  const span = el("span", { class: "muted" });
  sources.forEach((s, i) => span.append(i ? ", " : "", names(s.id)));
  return span;
}

async function showStory(id) {
  const s = await api("/stories/" + encodeURIComponent(id));
  document.title = s.headline + " – storyfold";
  const titles = new Map(s.articles.map(a => [a.id, a.source || a.title || a.id]));
  const name = aid => el("a", { href: "/articles/" + encodeURIComponent(aid),
                                text: titles.get(aid) || aid });
  const parts = [
    el("p", {}, el("a", { href: "#/", text: "← All stories" })),
    el("h1", { id: "headline", text: s.headline }),
    el("div", { class: "meta" },
      el("span", { class: "sources", text: plural(s.size, "source", "sources") }),
      s.copies ? el("span", { text: plural(s.copies, "copy", "copies") }) : null,
      el("span", { text: "first seen " + when(s.first_seen) }),
      el("span", { text: "updated " + when(s.updated) })),
  ];

  // sources on a timeline, copies marked
  const tl = el("ol", { class: "timeline", id: "timeline" });
  for (const a of s.timeline) {
    const li = el("li", { class: a.copy_of ? "copy" : "", "data-article": a.id },
      el("div", { class: "when", text: a.date ? a.date : "added " + when(a.added) }),
      el("div", {}, el("a", { href: "/articles/" + encodeURIComponent(a.id),
                              text: a.title || a.id }),
        a.source ? el("span", { class: "muted", text: " — " + a.source }) : null),
      el("div", { class: "muted", text: a.id }));
    if (a.copy_of)
      li.append(el("span", { class: "badge copy-of", text: "copy of " + a.copy_of }));
    tl.append(li);
  }
  parts.push(el("section", { id: "sources" }, el("h2", { text: "Sources" }), tl));

  // disagreements, highlighted
  if (s.disagreements && s.disagreements.length) {
    const sec = el("section", { id: "disagreements" }, el("h2", { text: "Where sources disagree" }));
    for (const d of s.disagreements) {
      const box = el("div", { class: "disagreement", role: "note" }, el("h3", { text: d.what }));
      for (const side of d.sides)
        box.append(el("div", { class: "side" },
          el("strong", { text: sideLabel(side) }),
          " — " + plural(side.support ?? side.sources.length, "source", "sources") + " ",
          side.sources.some(x => x.quote) ? quotes(side.sources.filter(x => x.quote), name)
                                          : sourceList(side.sources, name)));
      sec.append(box);
    }
    parts.push(sec);
  }

  // facts with their support
  if (s.facts && s.facts.length) {
    const tb = el("tbody");
    const facts = [...s.facts].sort((a, b) => b.support - a.support);
    for (const f of facts)
      tb.append(el("tr", { class: "fact" },
        el("td", {}, el("div", { text: f.text }), quotes(f.sources, name)),
        el("td", { class: "kind", text: f.kind }),
        el("td", { class: "support", text: plural(f.support, "source", "sources") })));
    parts.push(el("section", { id: "facts" }, el("h2", { text: "Facts" }),
      el("table", {}, el("thead", {}, el("tr", {},
        el("th", { text: "Fact" }), el("th", { class: "kind", text: "Kind" }),
        el("th", { text: "Support" }))), tb)));
  }

  // related stories
  if (s.related_stories && s.related_stories.length) {
    const ul = el("ul", { id: "related" });
    for (const r of s.related_stories)
      ul.append(el("li", {}, el("a", { href: "#/story/" + encodeURIComponent(r.id),
                                       text: r.headline }),
        el("span", { class: "muted", text: " (" + plural(r.sources, "source", "sources") + ")" })));
    parts.push(el("section", {}, el("h2", { text: "Related stories" }), ul));
  }

  parts.push(el("section", {}, el("h2", { text: "Text" }),
    el("details", {}, el("summary", { text: "The representative report" }),
      el("p", { class: "story-text", text: s.text }))));
  show(...parts);
}

// ---- routing ----------------------------------------------------------

function route() {
  const h = location.hash.replace(/^#/, "") || "/";
  const m = h.match(/^\/story\/(.+)$/);
  const p = m ? showStory(decodeURIComponent(m[1]))
              : showList(new URLSearchParams(h.split("?")[1] || "").get("q") || "");
  p.catch(fail);
}

document.getElementById("search").addEventListener("submit", e => {
  e.preventDefault();
  const q = document.getElementById("q").value.trim();
  location.hash = q ? "#/?q=" + encodeURIComponent(q) : "#/";
});
window.addEventListener("hashchange", route);
route();
