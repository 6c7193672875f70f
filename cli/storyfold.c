/*
 * storyfold — the command line. Uses only the public header.
 *
 *   storyfold clean [OPTIONS] INPUT...     clean pages, one JSON object per article
 *   storyfold fold  [OPTIONS] INPUT...     fold articles into stories, one per line
 *   storyfold eval  [OPTIONS] GOLD PRED    score fold or clean output
 *
 * Exit codes: 0 success, 1 bad input or usage, 2 internal failure.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "store_cmds.h"
#include "storyfold.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_INTERNAL = 2 };

static const char usage_text[] =
    "usage: storyfold COMMAND [OPTIONS] ARGS...\n"
    "\n"
    "commands:\n"
    "  clean INPUT...       clean each page: JSON Lines {id, title, text, removed}\n"
    "  fold INPUT...        fold articles into stories: JSON Lines, one story a line\n"
    "  pairs INPUT...       how alike the two articles of each line are: JSON Lines\n"
    "                       {pair_id, id1, id2, similarity, copy}; a line holds text1,\n"
    "                       text2 (and title1, lang1, date1, id1, ...; pair_id)\n"
    "  dedup INPUT...       near-duplicate detection alone (MinHash, LSH): JSON Lines\n"
    "                       {id, group, copy_of?, similarity?, exact?}, one per article\n"
    "  eval GOLD PRED       score a fold output (B-cubed, ARI, pairwise), a clean\n"
    "                       output (shingle P/R/F1) or a pairs output (Pearson and\n"
    "                       Spearman correlation) against labelled JSON Lines\n"
    "  add --db FILE INPUT...    fold articles into a story store (SQLite)\n"
    "  stories --db FILE    list the stored stories, newest first: JSON Lines\n"
    "                       (--since DATE, --query WORDS, --limit N, --offset N, --brief)\n"
    "  serve --db FILE      the HTTP service and web page (--port N, see docs/SERVE.md)\n"
    "  version              print the version\n"
    "\n"
    "INPUT is a JSON Lines file, a folder of .txt files, or - for standard input.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE        write to FILE instead of standard output\n"
    "  --strict                 stop at the first bad record (exit 1)\n"
    "  -q, --quiet              no progress or summary on standard error\n"
    "  --max-record BYTES       largest record accepted (default 64 MiB)\n"
    "  --format jsonl|text      fold: JSON Lines (default) or a readable listing\n"
    "  --explain                clean: each page as text, every line marked (removed\n"
    "                           lines as \"- [reason] text\", the title as \"= [title]\")\n"
    "  --no-site                clean: no first pass over the inputs for lines that\n"
    "                           recur on a site's pages (skipped for standard input)\n"
    "  --threads N              fold, dedup: threads cleaning and sketching (default: one\n"
    "                           per core)\n"
    "  --stats FILE             fold, dedup: write counts and time per stage as JSON to FILE\n"
    "  --temp-dir DIR           fold: where the articles' clean texts and terms wait on\n"
    "                           disk (default $TMPDIR, else /tmp)\n"
    "  --memory SIZE            fold: fold within SIZE (K, M, G) of memory, reading event\n"
    "                           vectors back from disk SIZE/16 at a time (at most 32 MB)\n"
    "                           and keeping edges on disk while clustering; stop with an\n"
    "                           error (exit 1) as soon as the estimate says it needs more\n"
    "                           (the whole input's, when every input is a file)\n"
    "  --copy-threshold X       fold: shingle similarity of copies (default %.2f)\n"
    "  --threshold X            dedup: estimated Jaccard similarity of the word shingles\n"
    "                           of a near copy (default %.2f, the fold's copy threshold)\n"
    "  --shingle-words N        dedup: words per shingle (default %u)\n"
    "  --bands N                dedup: LSH bands of 128/N signature values (default: the\n"
    "                           fewest that find a pair at the threshold 99%% of the time)\n"
    "  --clean                  dedup: compare the clean text of each page, not its raw text\n"
    "  --copies-only            dedup: write only the articles that copy an earlier one\n"
    "  --event-threshold X      fold: similarity of one event (default %.2f)\n"
    "  --related-threshold X    fold: similarity of related stories (default %.2f)\n"
    "  --batch N                add: articles per transaction and fold (default 4096)\n"
    "  --refold-growth X        add: fold the store afresh once it has grown by this\n"
    "                           fraction since the last full fold; until then new\n"
    "                           articles are placed incrementally (default 1; 0 = always)\n"
    "  --label FIELD            eval: the gold field holding the story (default event;\n"
    "                           for pairs: overall, a distance: 1 same story .. 4 unrelated)\n"
    "  --distance               eval of pairs: FIELD falls as pairs grow alike (the\n"
    "                           default for overall)\n"
    "  --body FIELD             eval: the gold field holding the clean body (default body)\n";

static void usage(FILE *f)
{
    sf_options d;
    sf_options_default(&d);
    fprintf(f, usage_text, d.copy_threshold, d.copy_threshold, d.shingle_words,
            d.event_threshold, d.related_threshold);
}

typedef struct cli {
    const char *command;
    const char *output;
    bool strict, quiet, text_format;
    bool explain;             /* clean: each page as marked text */
    bool no_site;             /* clean: no first pass for site furniture */
    sf_site_model *site;      /* clean: lines recurring on each site's pages */
    size_t max_record;
    sf_options opt;
    const char *label, *body;
    bool distance;            /* eval: the pair label is a distance */
    bool pairs;               /* input lines hold two articles (text1, text2) */
    sf_dedup_options dedup;   /* dedup: its options */
    bool copies_only;         /* dedup: write copies only */
    sf_reader *reader;        /* the input being read */
    const char *stats_path;
    const char *temp_dir;     /* fold: folder for the spilled texts (NULL: default) */
    size_t memory;            /* fold: the most memory it may need (0: no limit) */
    long rss_start;           /* fold: resident kB before the first article */
    bool sized;               /* every input is a file: total_bytes is theirs */
    const char *input;        /* the input being read */
    bool progress;            /* show progress: stderr is a terminal */
    bool write_failed;
    unsigned long long mojibake_pages, mojibake_chars;
    const char **inputs;
    int ninputs;
    FILE *out;
    /* totals */
    unsigned long long records, skipped, repaired, bytes;
    unsigned long long total_bytes; /* of the inputs, when known (for progress) */
    double t_start, t_read, t_add, t_write, t_last_progress;
    double fold_cpu;           /* CPU seconds of the fold (copies and events) */
    /* peak resident memory (kB, Linux; 0 = unknown) once every article is
     * added, after the fold, and at the end */
    long hwm_add, hwm_fold, hwm_end;
    size_t est_held, est_fold; /* sf_engine_memory before the fold */
    double est_peak;           /* and the process's peak by it (bytes) */
    const char *stage;
} cli;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds the process has used, all threads (on a shared machine a
 * stage's CPU time is steadier than its wall clock). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One progress line, rewritten in place: articles, speed, stage, time left. */
static void show_progress(cli *c, unsigned long long bytes, bool force)
{
    double t = now();
    if (!c->progress || (!force && t - c->t_last_progress < 0.5))
        return;
    c->t_last_progress = t;
    double el = t - c->t_start;
    double mbs = el > 0 ? (double)bytes / el / 1e6 : 0;
    fprintf(stderr, "\rstoryfold: %-8s %llu articles, %.1f MB, %.1f MB/s", c->stage,
            c->records, (double)bytes / 1e6, mbs);
    if (c->total_bytes && bytes > 0 && bytes < c->total_bytes) {
        double left = el * (double)(c->total_bytes - bytes) / (double)bytes;
        fprintf(stderr, ", %d:%02d left", (int)(left / 60), (int)left % 60);
    }
    fputs("   ", stderr);
}

static void end_progress(cli *c)
{
    if (c->progress && c->t_last_progress > 0)
        fputs("\r\033[K", stderr);
}

static int fail_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "storyfold: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'storyfold --help'.\n");
    return EXIT_INPUT;
}

static bool parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0 || v > 1)
        return false;
    *out = v;
    return true;
}

static bool parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || v == 0)
        return false;
    unsigned long long mult = 1;
    if (*end == 'k' || *end == 'K')
        mult = 1ULL << 10, end++;
    else if (*end == 'm' || *end == 'M')
        mult = 1ULL << 20, end++;
    else if (*end == 'g' || *end == 'G')
        mult = 1ULL << 30, end++;
    if (*end || v > SIZE_MAX / mult)
        return false;
    *out = (size_t)(v * mult);
    return true;
}

/* Parses argv after the command. Returns -1 on success, else an exit code. */
static int parse_args(cli *c, int argc, char **argv)
{
    c->inputs = calloc((size_t)argc + 1, sizeof *c->inputs);
    if (!c->inputs)
        return EXIT_INTERNAL;
    bool only_args = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            c->inputs[c->ninputs++] = a;
            continue;
        }
#define NEED_VALUE()                                                         \
    do {                                                                     \
        if (!next)                                                           \
            return fail_usage("option %s needs a value", a);                 \
        i++;                                                                 \
    } while (0)
        if (strcmp(a, "--") == 0) {
            only_args = true;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            NEED_VALUE();
            c->output = next;
        } else if (strcmp(a, "--explain") == 0) {
            c->explain = true;
        } else if (strcmp(a, "--no-site") == 0) {
            c->no_site = true;
        } else if (strcmp(a, "--strict") == 0) {
            c->strict = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c->quiet = true;
        } else if (strcmp(a, "--max-record") == 0) {
            NEED_VALUE();
            if (!parse_size(next, &c->max_record))
                return fail_usage("bad size for --max-record: %s", next);
        } else if (strcmp(a, "--format") == 0) {
            NEED_VALUE();
            if (strcmp(next, "text") == 0)
                c->text_format = true;
            else if (strcmp(next, "jsonl") != 0)
                return fail_usage("unknown format: %s (jsonl or text)", next);
        } else if (strcmp(a, "--copy-threshold") == 0) {
            NEED_VALUE();
            if (!parse_double(next, &c->opt.copy_threshold))
                return fail_usage("--copy-threshold wants a number in [0, 1], not %s", next);
        } else if (strcmp(a, "--threshold") == 0) {
            NEED_VALUE();
            if (!parse_double(next, &c->dedup.threshold) || c->dedup.threshold <= 0)
                return fail_usage("--threshold wants a number in (0, 1], not %s", next);
        } else if (strcmp(a, "--shingle-words") == 0 || strcmp(a, "--bands") == 0) {
            NEED_VALUE();
            char *end;
            errno = 0;
            unsigned long v = strtoul(next, &end, 10);
            bool bands = strcmp(a, "--bands") == 0;
            if (errno || end == next || *end || v < 1 || v > (bands ? 128 : 64))
                return fail_usage(bands ? "--bands wants a number from 1 to 128, not %s"
                                        : "--shingle-words wants a number from 1 to 64, not %s",
                                  next);
            if (bands)
                c->dedup.bands = (unsigned)v;
            else
                c->dedup.shingle_words = (unsigned)v;
        } else if (strcmp(a, "--clean") == 0) {
            c->dedup.clean = 1;
        } else if (strcmp(a, "--copies-only") == 0) {
            c->copies_only = true;
        } else if (strcmp(a, "--event-threshold") == 0) {
            NEED_VALUE();
            if (!parse_double(next, &c->opt.event_threshold))
                return fail_usage("--event-threshold wants a number in [0, 1], not %s", next);
        } else if (strcmp(a, "--related-threshold") == 0) {
            NEED_VALUE();
            if (!parse_double(next, &c->opt.related_threshold))
                return fail_usage("--related-threshold wants a number in [0, 1], not %s", next);
        } else if (strcmp(a, "--threads") == 0) {
            NEED_VALUE();
            char *end;
            errno = 0;
            unsigned long t = strtoul(next, &end, 10);
            if (errno || end == next || *end || t > 64)
                return fail_usage("--threads wants a number from 0 to 64, not %s", next);
            c->opt.threads = (unsigned)t;
            c->dedup.threads = (unsigned)t;
        } else if (strcmp(a, "--stats") == 0) {
            NEED_VALUE();
            c->stats_path = next;
        } else if (strcmp(a, "--temp-dir") == 0) {
            NEED_VALUE();
            c->temp_dir = next;
        } else if (strcmp(a, "--memory") == 0) {
            NEED_VALUE();
            if (!parse_size(next, &c->memory))
                return fail_usage("--memory wants a size such as 512M or 20G, not %s", next);
        } else if (strcmp(a, "--label") == 0) {
            NEED_VALUE();
            c->label = next;
        } else if (strcmp(a, "--distance") == 0) {
            c->distance = true;
        } else if (strcmp(a, "--body") == 0) {
            NEED_VALUE();
            c->body = next;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else {
            return fail_usage("unknown option: %s", a);
        }
#undef NEED_VALUE
    }
    return -1;
}

static void report(const sf_error *err)
{
    if (err->line)
        fprintf(stderr, "storyfold: %s:%llu: %s\n", err->file ? err->file : "?",
                (unsigned long long)err->line, err->message);
    else
        fprintf(stderr, "storyfold: %s: %s\n", err->file ? err->file : "?", err->message);
}

/* Calls fn for every article of every input. Returns an exit code. */
typedef int (*article_fn)(cli *c, const sf_article *a);

static int each_article(cli *c, article_fn fn)
{
    sf_reader_options ro = {.max_record_bytes = c->max_record, .pairs = c->pairs};
    int rc = EXIT_OK;
    for (int i = 0; i < c->ninputs && rc == EXIT_OK; i++) {
        sf_error err;
        memset(&err, 0, sizeof err);
        sf_reader *r = sf_reader_open(c->inputs[i], &ro, &err);
        if (!r) {
            report(&err);
            if (err.code == SF_ENOMEM)
                return EXIT_INTERNAL;
            rc = EXIT_INPUT;
            break;
        }
        c->reader = r;
        c->input = c->inputs[i];
        for (unsigned long long k = 0;; k++) {
            sf_article a;
            double t0 = now();
            sf_status st = sf_reader_next(r, &a, &err);
            c->t_read += now() - t0;
            if ((k & 255) == 0 && c->progress) {
                sf_reader_stats s;
                sf_reader_stats_get(r, &s);
                show_progress(c, c->bytes + s.bytes, false);
            }
            if (st == SF_END)
                break;
            if (st == SF_OK) {
                c->records++;
                rc = fn(c, &a);
                if (rc != EXIT_OK)
                    break;
                continue;
            }
            report(&err);
            if (st == SF_ENOMEM || st == SF_EINTERNAL) {
                rc = EXIT_INTERNAL;
                break;
            }
            if (st == SF_EIO || c->strict) {
                rc = EXIT_INPUT;
                break;
            }
        }
        sf_reader_stats s;
        sf_reader_stats_get(r, &s);
        c->skipped += s.skipped;
        c->repaired += s.repaired;
        c->bytes += s.bytes;
        c->reader = NULL;
        sf_reader_free(r);
    }
    return rc;
}

static bool write_line(cli *c, char *json, size_t len)
{
    bool ok = json && fwrite(json, 1, len, c->out) == len && fputc('\n', c->out) != EOF;
    free(json);
    return ok;
}

/* ---- clean ------------------------------------------------------------ */

/* --explain: a header line per page, the metadata found ("# byline: ..."),
 * then every non-empty line of the page: kept lines as they are, the title
 * line as "= [title] ...",
 * removed ones as "- [reason] ...". A title that is no line of the page
 * follows the header. A blank line ends the page. */
static int explain_one(cli *c, const sf_article *a, const sf_clean_result *res)
{
    FILE *f = c->out;
    size_t tl;
    const char *title = sf_clean_title(res, &tl);
    const char *lang = sf_clean_lang(res);
    fprintf(f, "=== page %.*s", a->id ? (int)a->id_len : 1, a->id ? a->id : "?");
    if (lang[0])
        fprintf(f, " (%s)", lang);
    fputs(" ===\n", f);
    /* metadata printed on the page */
    static const char *const names[3] = {"byline", "credit", "date"};
    const char *(*const get[3])(const sf_clean_result *, size_t *) = {
        sf_clean_byline, sf_clean_credit, sf_clean_page_date};
    for (int k = 0; k < 3; k++) {
        size_t ml;
        const char *m = get[k](res, &ml);
        if (m)
            fprintf(f, "# %s: %.*s\n", names[k], (int)ml, m);
    }
    uint64_t tline = sf_clean_title_line(res);
    if (tline == 0 && tl > 0)
        fprintf(f, "= [title] %.*s\n", (int)tl, title);
    for (size_t i = 0; i < sf_clean_line_count(res); i++) {
        uint64_t no;
        size_t len;
        int kept;
        const char *why;
        const char *s = sf_clean_line(res, i, &no, &len, &kept, &why);
        if (no == tline && kept)
            fprintf(f, "= [title] %.*s\n", (int)len, s);
        else if (kept)
            fprintf(f, "%.*s\n", (int)len, s);
        else
            fprintf(f, "- [%s] %.*s\n", why, (int)len, s);
    }
    return fputc('\n', f) == EOF ? EXIT_INTERNAL : EXIT_OK;
}

static int clean_one(cli *c, const sf_article *a)
{
    sf_clean_result *res;
    sf_status st = sf_clean_with_site(a, c->site, &res);
    if (st != SF_OK) {
        fprintf(stderr, "storyfold: cleaning %.*s: %s\n", (int)a->id_len, a->id,
                sf_strerror(st));
        return EXIT_INTERNAL;
    }
    if (sf_clean_mojibake(res)) {
        c->mojibake_pages++;
        c->mojibake_chars += sf_clean_mojibake(res);
    }
    if (c->explain) {
        int rc = explain_one(c, a, res);
        sf_clean_result_free(res);
        return rc;
    }
    size_t len;
    char *json = sf_clean_result_json(a, res, &len);
    sf_clean_result_free(res);
    if (!json) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    return write_line(c, json, len) ? EXIT_OK : EXIT_INTERNAL;
}

/* The first pass of clean over files: every page's lines counted per site
 * (sf_site_model), so that the second pass removes lines recurring on a
 * site's pages. Bad records are skipped silently here: the second pass
 * reports them. Standard input cannot be read twice: no model then.
 * Returns an exit code. */
static int build_site_model(cli *c)
{
    for (int i = 0; i < c->ninputs; i++)
        if (strcmp(c->inputs[i], "-") == 0)
            return EXIT_OK;
    c->site = sf_site_model_new();
    if (!c->site)
        return EXIT_INTERNAL;
    sf_reader_options ro = {.max_record_bytes = c->max_record, .pairs = c->pairs};
    for (int i = 0; i < c->ninputs; i++) {
        sf_error err;
        memset(&err, 0, sizeof err);
        sf_reader *r = sf_reader_open(c->inputs[i], &ro, &err);
        if (!r)
            return err.code == SF_ENOMEM ? EXIT_INTERNAL : EXIT_OK; /* reported later */
        sf_status st;
        sf_article a;
        while ((st = sf_reader_next(r, &a, &err)) != SF_END) {
            if (st == SF_OK)
                st = sf_site_model_add(c->site, &a);
            if (st == SF_ENOMEM || st == SF_EINTERNAL || st == SF_EIO)
                break;
        }
        sf_reader_free(r);
        if (st == SF_ENOMEM || st == SF_EINTERNAL) {
            fprintf(stderr, "storyfold: %s\n", sf_strerror(st));
            return EXIT_INTERNAL;
        }
    }
    return EXIT_OK;
}

/* ---- fold ------------------------------------------------------------- */

static sf_engine *g_engine;
static batch g_batch;
static long rss_kb(void);

/* fold --memory: whether folding what the inputs hold fits in the limit,
 * by the engine's estimate (sf_engine_memory) once batch b is added: what
 * the process holds (resident, or the program's memory before the first
 * article, the two batches of raw pages and what the engine holds, if
 * more) and what the fold would add at its peak. When every input is a
 * file, both are for the articles of their whole size, scaled from the
 * share read so far (b->read_at), so that a fold that cannot fit stops at
 * its first batch; else (standard input) for those read so far. The term
 * dictionary grows less than in proportion: it is checked as it grows.
 * Prints why not to stderr. */
static bool memory_fits(cli *c, const batch *b)
{
    size_t held, all_held, fold, n = sf_engine_article_count(g_engine);
    double scale = 1;
    if (c->sized && b->read_at && b->read_at < c->total_bytes)
        scale = (double)c->total_bytes / (double)b->read_at;
    sf_engine_memory(g_engine, &held, NULL);
    sf_engine_memory_for(g_engine, (size_t)((double)n * scale), &all_held, &fold);
    double now_held = (double)c->rss_start * 1024 +
                      2.0 * ((double)b->size + (double)b->cap * sizeof *b->arts) + (double)held;
    double rss = (double)rss_kb() * 1024;
    if (rss > now_held)
        now_held = rss;
    /* (what the engine will hold for the rest, then the fold) */
    if (all_held > held)
        now_held += (double)(all_held - held);
    double need = now_held + (double)fold;
    if (need <= (double)c->memory)
        return true;
    fprintf(stderr,
            "storyfold: %s: folding %s%.0f articles would need about %.0f MB "
            "(%.0f MB held, %.0f MB more at the fold's peak), more than --memory %.0f MB; "
            "it needs --memory %.0fM or more\n",
            b->input ? b->input : "-", scale > 1 ? "about " : "", (double)n * scale,
            need / 1048576, now_held / 1048576, (double)fold / 1048576,
            (double)c->memory / 1048576, ceil(need / 1048576));
    return false;
}

/* Hands the batch to the engine (cleaned and sketched in parallel). With
 * index, index[i] gets the engine's number of the batch's article i, or
 * SIZE_MAX if it was not added. */
static int add_batch_of(cli *c, batch *b, size_t *index, double *t_add)
{
    if (b->n == 0)
        return EXIT_OK;
    batch_seal(b);
    sf_status *status = malloc(b->n * sizeof *status);
    if (!status) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    size_t next = sf_engine_article_count(g_engine);
    double t0 = now();
    sf_engine_add_batch(g_engine, b->arts, b->n, status);
    *t_add += now() - t0;
    int rc = EXIT_OK;
    for (size_t i = 0; i < b->n; i++) {
        if (index)
            index[i] = status[i] == SF_OK ? next++ : SIZE_MAX;
        if (status[i] == SF_OK)
            continue;
        const sf_article *a = &b->arts[i];
        fprintf(stderr, "storyfold: adding %.*s: %s\n", (int)a->id_len, a->id,
                sf_strerror(status[i]));
        if (status[i] != SF_EINVAL)
            rc = EXIT_INTERNAL;
    }
    free(status);
    batch_clear(b);
    if (rc == EXIT_OK && c->memory && strcmp(c->command, "fold") == 0 && !memory_fits(c, b))
        rc = EXIT_INPUT;
    return rc;
}

static int add_batch(cli *c, size_t *index) { return add_batch_of(c, &g_batch, index, &c->t_add); }

/* fold: a full batch is added on a thread of its own (which runs the
 * engine's workers) while the command reads the next one into the other
 * batch; the engine is only touched by that thread meanwhile. */
static batch g_adding;
static pthread_t g_adder;
static bool g_adder_on;
static int g_adder_rc;
static double g_adder_t;

static void *adder_main(void *arg)
{
    g_adder_rc = add_batch_of(arg, &g_adding, NULL, &g_adder_t);
    return NULL;
}

/* Waits for the batch being added; its exit code. */
static int adder_wait(cli *c)
{
    if (!g_adder_on)
        return EXIT_OK;
    pthread_join(g_adder, NULL);
    g_adder_on = false;
    c->t_add += g_adder_t;
    g_adder_t = 0;
    return g_adder_rc;
}

static int fold_one(cli *c, const sf_article *a)
{
    if (!batch_push(&g_batch, a)) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    if (!batch_full(&g_batch))
        return EXIT_OK;
    int rc = adder_wait(c);
    if (rc != EXIT_OK)
        return rc;
    if (c->reader) {
        sf_reader_stats s;
        sf_reader_stats_get(c->reader, &s);
        g_batch.read_at = c->bytes + s.bytes;
    }
    g_batch.input = c->input;
    batch t = g_adding;
    g_adding = g_batch;
    g_batch = t;
    if (c->opt.threads == 1 || pthread_create(&g_adder, NULL, adder_main, c) != 0)
        return add_batch_of(c, &g_adding, NULL, &c->t_add); /* (one thread: in turn) */
    g_adder_on = true;
    return EXIT_OK;
}

static bool write_story_text(cli *c, size_t i)
{
    sf_story_info info;
    if (sf_engine_story_info(g_engine, i, &info) != SF_OK)
        return false;
    fprintf(c->out, "%zu. %s\n   %zu article%s", i + 1, info.headline, info.articles,
            info.articles == 1 ? "" : "s");
    if (info.copies)
        fprintf(c->out, ", %zu cop%s", info.copies, info.copies == 1 ? "y" : "ies");
    if (*info.first_date && strcmp(info.first_date, info.last_date) != 0)
        fprintf(c->out, ", %s to %s", info.first_date, info.last_date);
    else if (*info.first_date)
        fprintf(c->out, ", %s", info.first_date);
    fprintf(c->out, "  [%s]\n", info.id);
    for (size_t k = 0; k < info.articles; k++) {
        sf_story_article a;
        if (sf_engine_story_article_info(g_engine, i, k, &a) != SF_OK)
            return false;
        fprintf(c->out, "   - %s", a.id);
        if (*a.title)
            fprintf(c->out, ": %s", a.title);
        if (a.copy_of)
            fprintf(c->out, "  (copy of %s)", a.copy_of);
        fputc('\n', c->out);
    }
    size_t r;
    for (size_t k = 0; (r = sf_engine_story_related(g_engine, i, k)) != SIZE_MAX; k++)
        fprintf(c->out, "%s%zu", k ? ", " : "   related: story ", r + 1);
    if (info.related)
        fputc('\n', c->out);
    return fputc('\n', c->out) != EOF;
}

static int write_story_json(void *ctx, size_t i, const char *json, size_t len)
{
    cli *c = ctx;
    (void)i;
    if (fwrite(json, 1, len, c->out) != len || fputc('\n', c->out) == EOF) {
        c->write_failed = true;
        return 1;
    }
    return 0;
}

static bool write_stats(cli *c, const sf_engine_stats *es, double total)
{
    FILE *f = fopen(c->stats_path, "w");
    if (!f) {
        fprintf(stderr, "storyfold: cannot write %s: %s\n", c->stats_path, strerror(errno));
        return false;
    }
    fprintf(f,
            "{\"articles_read\":%llu,\"skipped\":%llu,\"repaired\":%llu,\"bytes\":%llu,"
            "\"exact_copies\":%llu,\"near_copies\":%llu,\"stories\":%llu,"
            "\"pairs_compared\":%llu,\"pairs_linked\":%llu,"
            "\"threads\":%u,\"seconds\":{\"read\":%.3f,\"add\":%.3f,"
            "\"clean_cpu\":%.3f,\"features_cpu\":%.3f,\"copies\":%.3f,\"events\":%.3f,"
            "\"fold_cpu\":%.3f,"
            "\"write\":%.3f,\"total\":%.3f},\"mb_per_second\":%.2f,"
            "\"articles_per_second\":%.1f,"
            "\"peak_rss_mb\":{\"added\":%.1f,\"folded\":%.1f,\"written\":%.1f},"
            "\"estimated_mb\":{\"held\":%.1f,\"fold\":%.1f,\"peak\":%.1f}}\n",
            c->records, c->skipped, c->repaired, c->bytes,
            (unsigned long long)es->exact_copies, (unsigned long long)es->near_copies,
            (unsigned long long)es->stories, (unsigned long long)es->pairs_compared,
            (unsigned long long)es->pairs_linked, c->opt.threads, c->t_read, c->t_add,
            es->clean_seconds, es->feature_seconds, es->copies_seconds, es->events_seconds,
            c->fold_cpu, c->t_write, total, total > 0 ? (double)c->bytes / total / 1e6 : 0,
            total > 0 ? (double)c->records / total : 0, (double)c->hwm_add / 1024,
            (double)c->hwm_fold / 1024, (double)c->hwm_end / 1024, (double)c->est_held / 1048576,
            (double)c->est_fold / 1048576, c->est_peak / 1048576);
    return fclose(f) == 0;
}

/* A memory figure of this process in kB from /proc/self/status (field
 * is "VmRSS:", resident now, or "VmHWM:", its peak so far), 0 if unknown. */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    long kb = 0;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0) {
            kb = strtol(line + n, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

static long rss_kb(void)
{
    return status_kb("VmRSS:");
}

static long peak_rss_kb(void)
{
    return status_kb("VmHWM:");
}

static int run_fold(cli *c)
{
    g_engine = sf_engine_new(&c->opt);
    batch_init(&g_batch);
    if (!g_engine) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    /* the fold needs features, not texts: these wait on disk for the
     * stories to be written */
    sf_status sst = sf_engine_spill(g_engine, c->temp_dir);
    if (sst != SF_OK) {
        const char *dir = c->temp_dir ? c->temp_dir : getenv("TMPDIR");
        fprintf(stderr, "storyfold: cannot make a temporary file in %s: %s (see --temp-dir)\n",
                dir && *dir ? dir : "/tmp", sst == SF_EIO ? strerror(errno) : sf_strerror(sst));
        sf_engine_free(g_engine);
        g_engine = NULL;
        return EXIT_INPUT;
    }
    /* under a limit the fold trades time for memory (vectors read back
     * in smaller blocks, edges on disk while clustering), and memory freed
     * goes back to the system: large blocks are mapped on their own, not
     * kept in the heap for reuse */
    if (c->memory) {
        sf_engine_set_memory_limit(g_engine, c->memory);
#ifdef __GLIBC__
        mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
    }
    c->rss_start = rss_kb();
    c->stage = "reading";
    batch_init(&g_adding);
    int rc = each_article(c, fold_one);
    int arc = adder_wait(c);
    if (rc == EXIT_OK)
        rc = arc;
    batch_free(&g_adding);
    g_batch.read_at = c->bytes;
    g_batch.input = c->input;
    if (rc == EXIT_OK)
        rc = add_batch(c, NULL);
    batch_free(&g_batch); /* (its raw pages are done with) */
    c->hwm_add = peak_rss_kb();
    sf_engine_memory(g_engine, &c->est_held, &c->est_fold);
    {
        double held = (double)c->rss_start * 1024 + (double)c->est_held,
               rss = (double)rss_kb() * 1024;
        c->est_peak = (rss > held ? rss : held) + (double)c->est_fold;
    }
    if (rc == EXIT_OK) {
        c->stage = "folding";
        show_progress(c, c->bytes, true);
        double cpu0 = cpu_now();
        sf_status st = sf_engine_fold(g_engine);
        c->fold_cpu = cpu_now() - cpu0;
        if (st != SF_OK) {
            fprintf(stderr, "storyfold: folding: %s\n", sf_strerror(st));
            rc = EXIT_INTERNAL;
        }
    }
    c->hwm_fold = peak_rss_kb();
    c->stage = "writing";
    show_progress(c, c->bytes, true);
    double t0 = now();
    size_t ns = rc == EXIT_OK ? sf_engine_story_count(g_engine) : 0;
    if (c->text_format) {
        for (size_t i = 0; i < ns && rc == EXIT_OK; i++)
            if (!write_story_text(c, i))
                rc = EXIT_INTERNAL;
    } else if (rc == EXIT_OK) {
        sf_status st = sf_engine_each_story_json(g_engine, write_story_json, c);
        if (st != SF_OK || c->write_failed) {
            fprintf(stderr, "storyfold: writing stories: %s\n",
                    c->write_failed ? strerror(errno) : sf_strerror(st));
            rc = EXIT_INTERNAL;
        }
    }
    if (fflush(c->out) != 0 && rc == EXIT_OK)
        rc = EXIT_INTERNAL;
    c->t_write = now() - t0;
    c->hwm_end = peak_rss_kb();
    end_progress(c);
    double total = now() - c->t_start;
    sf_engine_stats es;
    sf_engine_stats_get(g_engine, &es);
    if (!c->quiet)
        fprintf(stderr,
                "storyfold: %llu articles read, %llu skipped, %llu repaired; "
                "%llu exact and %llu near copies; %llu stories; %.1f MB in %.2f s "
                "(read %.2f, clean+features %.2f, copies %.2f, events %.2f, write %.2f)\n",
                c->records, c->skipped, c->repaired, (unsigned long long)es.exact_copies,
                (unsigned long long)es.near_copies, (unsigned long long)es.stories,
                (double)c->bytes / 1e6, total, c->t_read, c->t_add, es.copies_seconds,
                es.events_seconds, c->t_write);
    if (c->stats_path && !write_stats(c, &es, total) && rc == EXIT_OK)
        rc = EXIT_INPUT;
    sf_engine_free(g_engine);
    g_engine = NULL;
    batch_free(&g_batch);
    return rc;
}

/* ---- pairs ------------------------------------------------------------ */

/* Each input line is two articles, read one after the other. All are
 * added to one engine (so that term weights come from the whole set),
 * then each pair's similarity is written. */
typedef struct pair_run {
    size_t *index;       /* engine index of each article read, SIZE_MAX if not added */
    size_t n, cap;
    size_t batch_first;  /* index into index[] of the batch's first article */
    char **pair_ids;     /* per pair (one per two articles): its pair_id, or NULL */
    size_t npairs, pcap;
} pair_run;

static pair_run g_pairs;

/* Room for n elements of size sz in *p (capacity *cap, doubled). */
static bool grow(void *p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < n)
        c *= 2;
    void *q = realloc(*(void **)p, c * sz);
    if (!q)
        return false;
    *(void **)p = q;
    *cap = c;
    return true;
}

static int flush_pairs(cli *c)
{
    size_t n = g_batch.n;
    int rc = add_batch(c, g_pairs.index + g_pairs.batch_first);
    g_pairs.batch_first += n;
    return rc;
}

static int pair_one(cli *c, const sf_article *a)
{
    pair_run *p = &g_pairs;
    if (!grow(&p->index, &p->cap, p->n + 1, sizeof *p->index))
        goto oom;
    p->index[p->n] = SIZE_MAX;
    if (p->n % 2 == 0) {
        /* the first article of a line: keep the line's pair_id */
        if (!grow(&p->pair_ids, &p->pcap, p->npairs + 1, sizeof *p->pair_ids))
            goto oom;
        size_t len = 0;
        const char *pid = c->reader ? sf_reader_field(c->reader, "pair_id", &len) : NULL;
        p->pair_ids[p->npairs] = NULL;
        if (pid && !(p->pair_ids[p->npairs] = strndup(pid, len)))
            goto oom;
        p->npairs++;
    }
    p->n++;
    if (!batch_push(&g_batch, a))
        goto oom;
    return batch_full(&g_batch) ? flush_pairs(c) : EXIT_OK;
oom:
    fprintf(stderr, "storyfold: out of memory\n");
    return EXIT_INTERNAL;
}

static int run_pairs(cli *c)
{
    g_engine = sf_engine_new(&c->opt);
    batch_init(&g_batch);
    memset(&g_pairs, 0, sizeof g_pairs);
    if (!g_engine) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    c->pairs = true;
    c->stage = "reading";
    int rc = each_article(c, pair_one);
    if (rc == EXIT_OK)
        rc = flush_pairs(c);
    /* Articles come two by two (the reader skips a bad line whole), so
     * article 2k and 2k + 1 are pair k. */
    unsigned long long written = 0, unscored = 0;
    for (size_t k = 0; rc == EXIT_OK && 2 * k + 1 < g_pairs.n; k++) {
        size_t a = g_pairs.index[2 * k], b = g_pairs.index[2 * k + 1];
        sf_similarity sim;
        if (a == SIZE_MAX || b == SIZE_MAX) {
            unscored++;
            continue;
        }
        sf_status st = sf_engine_similarity(g_engine, a, b, &sim);
        if (st != SF_OK) {
            fprintf(stderr, "storyfold: similarity: %s\n", sf_strerror(st));
            rc = EXIT_INTERNAL;
            break;
        }
        fputs("{\"pair_id\":", c->out);
        if (g_pairs.pair_ids[k])
            put_json_string(c->out, g_pairs.pair_ids[k], strlen(g_pairs.pair_ids[k]));
        else
            fputs("null", c->out);
        const char *id1 = sf_engine_article_id(g_engine, a), *id2 = sf_engine_article_id(g_engine, b);
        fputs(",\"id1\":", c->out);
        put_json_string(c->out, id1, strlen(id1));
        fputs(",\"id2\":", c->out);
        put_json_string(c->out, id2, strlen(id2));
        fprintf(c->out, ",\"similarity\":%.4f,\"copy\":%.4f}\n", sim.event, sim.copy);
        written++;
    }
    end_progress(c);
    if (!c->quiet)
        fprintf(stderr,
                "storyfold: %llu pairs read, %llu lines skipped, %llu with invalid UTF-8 "
                "repaired; %llu pairs scored, %llu not (an article could not be added); "
                "%.2f s\n",
                (unsigned long long)g_pairs.npairs, c->skipped, c->repaired, written, unscored,
                now() - c->t_start);
    for (size_t k = 0; k < g_pairs.npairs; k++)
        free(g_pairs.pair_ids[k]);
    free(g_pairs.pair_ids);
    free(g_pairs.index);
    sf_engine_free(g_engine);
    g_engine = NULL;
    batch_free(&g_batch);
    return rc;
}

/* ---- eval ------------------------------------------------------------- */

enum { PRED_CLEAN, PRED_FOLD, PRED_PAIRS };

/* Peeks at the first record of a prediction file: a fold output has
 * "articles" lists, a pairs output a "similarity". -1 if unreadable. */
static int pred_kind(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    if (strstr(buf, "\"articles\""))
        return PRED_FOLD;
    return strstr(buf, "\"similarity\"") ? PRED_PAIRS : PRED_CLEAN;
}

static int run_eval(cli *c)
{
    if (c->ninputs != 2)
        return fail_usage("eval needs GOLD and PRED files, got %s", c->ninputs < 2 ? "fewer" : "more");
    const char *gold = c->inputs[0], *pred = c->inputs[1];
    int kind = pred_kind(pred);
    if (kind < 0) {
        fprintf(stderr, "storyfold: %s: %s\n", pred, strerror(errno));
        return EXIT_INPUT;
    }
    sf_error err;
    memset(&err, 0, sizeof err);
    if (kind == PRED_PAIRS) {
        sf_pair_scores s;
        const char *label = c->label ? c->label : "overall";
        bool distance = c->distance || strcmp(label, "overall") == 0;
        sf_status st = sf_eval_pair_files(pred, gold, label, distance, &s, &err);
        if (st != SF_OK) {
            report(&err);
            return st == SF_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
        }
        fprintf(c->out, "{\"pairs\":%llu,\"missing\":%llu,\"pearson\":%.4f,\"spearman\":%.4f}\n",
                (unsigned long long)s.pairs, (unsigned long long)s.missing, s.pearson,
                s.spearman);
    } else if (kind == PRED_FOLD) {
        sf_cluster_scores s;
        sf_status st = sf_eval_fold_files(pred, gold, c->label ? c->label : "event", &s, &err);
        if (st != SF_OK) {
            report(&err);
            return st == SF_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
        }
        fprintf(c->out,
                "{\"items\":%llu,\"missing\":%llu,\"stories\":%llu,\"gold_stories\":%llu,"
                "\"bcubed_p\":%.4f,\"bcubed_r\":%.4f,\"bcubed_f1\":%.4f,\"ari\":%.4f,"
                "\"pair_p\":%.4f,\"pair_r\":%.4f,\"pair_f1\":%.4f}\n",
                (unsigned long long)s.items, (unsigned long long)s.missing,
                (unsigned long long)s.pred_clusters, (unsigned long long)s.gold_clusters,
                s.bcubed_p, s.bcubed_r, s.bcubed_f1, s.ari, s.pair_p, s.pair_r, s.pair_f1);
    } else {
        sf_text_scores s;
        sf_status st = sf_eval_clean_files(pred, gold, c->body ? c->body : "body", &s, &err);
        if (st != SF_OK) {
            report(&err);
            return st == SF_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
        }
        fprintf(c->out, "{\"pages\":%llu,\"missing\":%llu,\"p\":%.4f,\"r\":%.4f,\"f1\":%.4f}\n",
                (unsigned long long)s.pages, (unsigned long long)s.missing, s.p, s.r, s.f1);
    }
    return EXIT_OK;
}

/* ---- dedup ------------------------------------------------------------ */

/* Near-duplicate detection alone: batches of articles are sketched in
 * parallel by sf_dedup and each article's result is written at once, in
 * input order. With more than one thread, the batches are handed to a
 * thread of their own (which keeps their ids, adds them and writes the
 * results) while this one reads the next batch. The ids of the articles
 * read are kept (results name the article copied and the group's first
 * article). */
typedef struct dedup_run {
    sf_dedup *d;
    sf_dedup_result *res;
    size_t res_cap;
    char *ids;             /* every id read, NUL-terminated, back to back */
    size_t ids_len, ids_cap;
    uint64_t *id_at;       /* article number -> offset in ids */
    size_t nid, id_cap;
    char *line;            /* a batch's output */
    size_t line_len, line_cap;
    /* the pipeline */
    batch bufs[2];
    int fill;              /* the batch the reader fills */
    bool threaded;
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch *pending;        /* handed to the worker and not yet done */
    bool done;             /* nothing more to hand */
    int rc;                /* the worker's exit code */
    cli *c;
} dedup_run;

static dedup_run g_dedup;

#define DEDUP_BATCH 1024

static bool dedup_keep_id(const sf_article *a)
{
    dedup_run *r = &g_dedup;
    size_t n = a->id ? a->id_len : 0;
    if (r->nid == r->id_cap && !grow(&r->id_at, &r->id_cap, r->nid + 1, sizeof *r->id_at))
        return false;
    if (r->ids_len + n + 1 > r->ids_cap &&
        !grow(&r->ids, &r->ids_cap, r->ids_len + n + 1, 1))
        return false;
    if (n)
        memcpy(r->ids + r->ids_len, a->id, n);
    r->ids[r->ids_len + n] = '\0';
    r->id_at[r->nid++] = r->ids_len;
    r->ids_len += n + 1;
    return true;
}

/* Appends n bytes (or, json, s as a JSON string) to the output line. */
static bool out_bytes(const char *s, size_t n)
{
    dedup_run *r = &g_dedup;
    if (r->line_len + n > r->line_cap && !grow(&r->line, &r->line_cap, r->line_len + n, 1))
        return false;
    memcpy(r->line + r->line_len, s, n);
    r->line_len += n;
    return true;
}

static bool out_json_id(uint64_t k)
{
    dedup_run *r = &g_dedup;
    const char *s = r->ids + r->id_at[k];
    size_t n = strlen(s);
    if (r->line_len + 6 * n + 2 > r->line_cap &&
        !grow(&r->line, &r->line_cap, r->line_len + 6 * n + 2, 1))
        return false;
    char *o = r->line + r->line_len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            *o++ = '\\';
            *o++ = (char)ch;
        } else if (ch < 0x20) {
            o += sprintf(o, "\\u%04x", ch);
        } else {
            *o++ = (char)ch;
        }
    }
    *o++ = '"';
    r->line_len = (size_t)(o - r->line);
    return true;
}

/* Adds batch b and writes its results; empties it. Returns an exit code. */
static int dedup_batch(cli *c, batch *b)
{
    dedup_run *r = &g_dedup;
    if (b->n == 0)
        return EXIT_OK;
    batch_seal(b);
    if (b->n > r->res_cap && !grow(&r->res, &r->res_cap, b->n, sizeof *r->res)) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    size_t first = r->nid;
    for (size_t i = 0; i < b->n; i++)
        if (!dedup_keep_id(&b->arts[i])) {
            fprintf(stderr, "storyfold: out of memory\n");
            return EXIT_INTERNAL;
        }
    sf_status st = sf_dedup_add_batch(r->d, b->arts, b->n, r->res);
    if (st != SF_OK) {
        fprintf(stderr, "storyfold: dedup: %s\n", sf_strerror(st));
        return st == SF_ETOOBIG ? EXIT_INPUT : EXIT_INTERNAL;
    }
    double t0 = now();
    r->line_len = 0;
    bool ok = true;
    for (size_t i = 0; i < b->n && ok; i++) {
        const sf_dedup_result *x = &r->res[i];
        bool copy = x->copy_of != SF_DEDUP_NONE;
        if (c->copies_only && !copy)
            continue;
        ok = out_bytes("{\"id\":", 6) && out_json_id(first + i) && out_bytes(",\"group\":", 9) &&
             out_json_id(x->group);
        if (ok && copy) {
            char tail[64];
            int n = snprintf(tail, sizeof tail, ",\"similarity\":%.4f,\"exact\":%s}\n",
                             x->similarity, x->exact ? "true" : "false");
            ok = out_bytes(",\"copy_of\":", 11) && out_json_id(x->copy_of) &&
                 out_bytes(tail, (size_t)n);
        } else if (ok) {
            ok = x->shingles ? out_bytes("}\n", 2) : out_bytes(",\"words\":0}\n", 12);
        }
    }
    if (!ok) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    if (fwrite(r->line, 1, r->line_len, c->out) != r->line_len) {
        fprintf(stderr, "storyfold: write error: %s\n", strerror(errno));
        return EXIT_INTERNAL;
    }
    c->t_write += now() - t0;
    batch_clear(b);
    return EXIT_OK;
}

static void *dedup_worker(void *arg)
{
    dedup_run *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->pending && !r->done)
            pthread_cond_wait(&r->cv, &r->mu);
        if (!r->pending)
            break;
        batch *b = r->pending;
        pthread_mutex_unlock(&r->mu);
        int rc = r->rc == EXIT_OK ? dedup_batch(r->c, b) : r->rc;
        batch_clear(b);
        pthread_mutex_lock(&r->mu);
        r->rc = rc;
        r->pending = NULL;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Hands the batch being filled on: to the worker thread (waiting for it
 * to finish the previous one), or adds it here. Returns an exit code. */
static int dedup_hand(cli *c)
{
    dedup_run *r = &g_dedup;
    batch *b = &r->bufs[r->fill];
    if (!r->threaded)
        return dedup_batch(c, b);
    if (b->n == 0)
        return r->rc;
    pthread_mutex_lock(&r->mu);
    while (r->pending)
        pthread_cond_wait(&r->cv, &r->mu);
    int rc = r->rc;
    if (rc == EXIT_OK) {
        r->pending = b;
        r->fill ^= 1;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return rc;
}

static int dedup_one(cli *c, const sf_article *a)
{
    batch *b = &g_dedup.bufs[g_dedup.fill];
    if (!batch_push(b, a)) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    /* batches smaller than the fold's: reading and sketching overlap
     * sooner, and the last batch (not overlapped) is short */
    return b->n >= DEDUP_BATCH || batch_full(b) ? dedup_hand(c) : EXIT_OK;
}

static int run_dedup(cli *c)
{
    dedup_run *r = &g_dedup;
    memset(r, 0, sizeof *r);
    r->c = c;
    r->d = sf_dedup_new(&c->dedup);
    if (!r->d) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    batch_init(&r->bufs[0]);
    batch_init(&r->bufs[1]);
    /* one thread: everything on this one, in turn */
    if (c->dedup.threads != 1) {
        pthread_mutex_init(&r->mu, NULL);
        pthread_cond_init(&r->cv, NULL);
        r->threaded = pthread_create(&r->tid, NULL, dedup_worker, r) == 0;
        if (!r->threaded) {
            pthread_mutex_destroy(&r->mu);
            pthread_cond_destroy(&r->cv);
        }
    }
    c->stage = "dedup";
    int rc = each_article(c, dedup_one);
    if (rc == EXIT_OK)
        rc = dedup_hand(c);
    if (r->threaded) {
        pthread_mutex_lock(&r->mu);
        r->done = true;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->tid, NULL);
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
        if (rc == EXIT_OK)
            rc = r->rc;
    }
    if (fflush(c->out) != 0 && rc == EXIT_OK) {
        fprintf(stderr, "storyfold: write error: %s\n", strerror(errno));
        rc = EXIT_INTERNAL;
    }
    end_progress(c);
    double total = now() - c->t_start;
    sf_dedup_stats s;
    sf_dedup_stats_get(g_dedup.d, &s);
    unsigned long long groups = s.articles - s.exact_copies - s.near_copies;
    if (!c->quiet)
        fprintf(stderr,
                "storyfold: %llu articles read, %llu skipped, %llu repaired; %llu exact and "
                "%llu near copies, %llu groups; %.1f MB in %.2f s (read %.2f, sketch %.2f, "
                "index %.2f, write %.2f)\n",
                c->records, c->skipped, c->repaired, (unsigned long long)s.exact_copies,
                (unsigned long long)s.near_copies, groups, (double)c->bytes / 1e6, total,
                c->t_read, s.sketch_seconds, s.index_seconds, c->t_write);
    if (c->stats_path) {
        FILE *f = fopen(c->stats_path, "w");
        if (!f) {
            fprintf(stderr, "storyfold: cannot write %s: %s\n", c->stats_path, strerror(errno));
            if (rc == EXIT_OK)
                rc = EXIT_INPUT;
        } else {
            sf_dedup_options o = c->dedup;
            fprintf(f,
                    "{\"articles_read\":%llu,\"skipped\":%llu,\"repaired\":%llu,\"bytes\":%llu,"
                    "\"exact_copies\":%llu,\"near_copies\":%llu,\"groups\":%llu,"
                    "\"candidates_compared\":%llu,\"threshold\":%.4g,\"shingle_words\":%u,"
                    "\"bands\":%u,\"rows\":%u,\"clean\":%s,\"threads\":%u,"
                    "\"seconds\":{\"read\":%.3f,\"sketch\":%.3f,\"sketch_cpu\":%.3f,"
                    "\"index\":%.3f,\"write\":%.3f,\"total\":%.3f},"
                    "\"mb_per_second\":%.2f,\"articles_per_second\":%.1f,"
                    "\"memory_mb\":{\"dedup\":%.1f,\"ids\":%.1f,\"peak_rss\":%.1f}}\n",
                    c->records, c->skipped, c->repaired, c->bytes,
                    (unsigned long long)s.exact_copies, (unsigned long long)s.near_copies,
                    groups, (unsigned long long)s.candidates, o.threshold,
                    o.shingle_words, s.bands, s.rows, o.clean ? "true" : "false", o.threads,
                    c->t_read, s.sketch_seconds, s.sketch_cpu, s.index_seconds, c->t_write,
                    total, total > 0 ? (double)c->bytes / total / 1e6 : 0,
                    total > 0 ? (double)c->records / total : 0, (double)s.memory / 1048576,
                    (double)(g_dedup.ids_cap + g_dedup.id_cap * sizeof *g_dedup.id_at) / 1048576,
                    (double)peak_rss_kb() / 1024);
            if (fclose(f) != 0 && rc == EXIT_OK)
                rc = EXIT_INPUT;
        }
    }
    sf_dedup_free(r->d);
    free(r->res);
    free(r->ids);
    free(r->id_at);
    free(r->line);
    batch_free(&r->bufs[0]);
    batch_free(&r->bufs[1]);
    memset(r, 0, sizeof *r);
    return rc;
}

/* ---- main ------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_INPUT;
    }
    cli c;
    memset(&c, 0, sizeof c);
    sf_options_default(&c.opt);
    sf_dedup_options_default(&c.dedup);
    c.command = argv[1];
    if (strcmp(c.command, "-h") == 0 || strcmp(c.command, "--help") == 0 ||
        strcmp(c.command, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(c.command, "version") == 0 || strcmp(c.command, "--version") == 0) {
        printf("storyfold %s\n", sf_version());
        return EXIT_OK;
    }
    if (store_is_command(c.command))
        return store_command(argc - 1, argv + 1);
    bool is_clean = strcmp(c.command, "clean") == 0, is_fold = strcmp(c.command, "fold") == 0,
         is_eval = strcmp(c.command, "eval") == 0, is_pairs = strcmp(c.command, "pairs") == 0,
         is_dedup = strcmp(c.command, "dedup") == 0;
    if (!is_clean && !is_fold && !is_eval && !is_pairs && !is_dedup)
        return fail_usage("unknown command: %s", c.command);
    int rc = parse_args(&c, argc - 2, argv + 2);
    if (rc >= 0) {
        free(c.inputs);
        return rc;
    }
    if (c.ninputs == 0) {
        free(c.inputs);
        return fail_usage("%s needs at least one input (a file, a folder, or -)", c.command);
    }
    c.out = stdout;
    if (c.output && !(c.out = fopen(c.output, "wb"))) {
        fprintf(stderr, "storyfold: cannot write %s: %s\n", c.output, strerror(errno));
        free(c.inputs);
        return EXIT_INPUT;
    }
    c.t_start = now();
    c.progress = !c.quiet && isatty(STDERR_FILENO);
    c.sized = true;
    for (int i = 0; i < c.ninputs; i++) {
        struct stat sb;
        if (strcmp(c.inputs[i], "-") != 0 && stat(c.inputs[i], &sb) == 0 && S_ISREG(sb.st_mode))
            c.total_bytes += (unsigned long long)sb.st_size;
        else
            c.sized = false;
    }
    if (is_eval) {
        rc = run_eval(&c);
    } else if (is_pairs) {
        rc = run_pairs(&c);
    } else if (is_dedup) {
        rc = run_dedup(&c);
    } else if (is_clean) {
        c.stage = "cleaning";
        rc = c.no_site ? EXIT_OK : build_site_model(&c);
        if (rc == EXIT_OK)
            rc = each_article(&c, clean_one);
        sf_site_model_free(c.site);
        end_progress(&c);
        if (!c.quiet)
            fprintf(stderr,
                    "storyfold: %llu articles cleaned, %llu skipped, %llu with invalid UTF-8 "
                    "repaired, %llu with mojibake repaired (%llu characters)\n",
                    c.records, c.skipped, c.repaired, c.mojibake_pages, c.mojibake_chars);
    } else {
        rc = run_fold(&c);
    }
    if (fflush(c.out) != 0 || (c.out != stdout && fclose(c.out) != 0)) {
        fprintf(stderr, "storyfold: write error: %s\n", strerror(errno));
        if (rc == EXIT_OK)
            rc = EXIT_INTERNAL;
    }
    free(c.inputs);
    return rc;
}
