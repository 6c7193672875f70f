/*
 * store_cmds.c — the commands on a story store. Uses only the public
 * header (and the service's entry point for serve).
 *
 *   storyfold add --db FILE [OPTIONS] INPUT...   fold articles into the store
 *   storyfold stories --db FILE [OPTIONS]        list stories, JSON Lines
 *   storyfold serve --db FILE [--port N] ...     the HTTP service (server/)
 */
#include "store_cmds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../server/server.h"
#include "batch.h"
#include "storyfold.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_INTERNAL = 2 };

bool store_is_command(const char *name)
{
    return strcmp(name, "add") == 0 || strcmp(name, "stories") == 0 ||
           strcmp(name, "serve") == 0;
}

typedef struct args {
    const char *db, *since, *query;
    size_t limit, offset, max_record;
    size_t batch;             /* add: articles per transaction, 0 = the default */
    bool brief, results, quiet, strict;
    sf_options opt;
    const char **inputs;
    int ninputs;
    /* add: totals */
    unsigned long long outcome[4], skipped;
} args;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "storyfold: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'storyfold --help'.\n");
    return EXIT_INPUT;
}

static const char add_usage[] =
    "usage: storyfold add --db FILE [OPTIONS] INPUT...\n"
    "Folds articles into the story store FILE (created when missing). INPUT is a\n"
    "JSON Lines file, a folder of .txt files, or - for standard input.\n"
    "  --batch N              articles per transaction and fold (default 4096)\n"
    "  --refold-growth X      fold everything afresh once the store has grown by this\n"
    "                         fraction since the last full fold (default 1; 0 = always)\n"
    "  --threads N            threads cleaning articles (default: one per core)\n"
    "  --max-record BYTES     largest record accepted (default 64 MiB)\n"
    "  --results              one JSON line per article: id, story, outcome\n"
    "  --strict               stop at the first bad record (exit 1)\n"
    "  -q, --quiet            no summary on standard error\n";

static const char stories_usage[] =
    "usage: storyfold stories --db FILE [OPTIONS]\n"
    "Lists the stored stories as JSON Lines, newest first.\n"
    "  --since DATE           stories updated on or after DATE (ISO 8601)\n"
    "  --query WORDS          stories whose headline or text holds every one of the words\n"
    "  --limit N              at most N stories\n"
    "  --offset N             skip the first N\n"
    "  --brief                summaries (id, headline, sources, dates), not whole stories\n";

static bool parse_count(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return false;
    *out = (size_t)v;
    return true;
}

/* Parses the options of add and stories. Returns -1 on success. */
static int parse(args *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (o[0] != '-' || strcmp(o, "-") == 0) {
            a->inputs[a->ninputs++] = o;
            continue;
        }
        bool takes = strcmp(o, "--db") == 0 || strcmp(o, "--since") == 0 ||
                     strcmp(o, "--query") == 0 || strcmp(o, "--limit") == 0 ||
                     strcmp(o, "--offset") == 0 || strcmp(o, "--threads") == 0 ||
                     strcmp(o, "--max-record") == 0 || strcmp(o, "--refold-growth") == 0 ||
                     strcmp(o, "--batch") == 0;
        if (takes && !v)
            return usage_error("option %s needs a value", o);
        if (takes)
            i++;
        size_t n;
        if (strcmp(o, "--db") == 0)
            a->db = v;
        else if (strcmp(o, "--since") == 0)
            a->since = v;
        else if (strcmp(o, "--query") == 0)
            a->query = v;
        else if (strcmp(o, "--refold-growth") == 0) {
            char *end;
            double g = strtod(v, &end);
            if (end == v || *end || !(g >= 0 && g <= 1000))
                return usage_error("--refold-growth wants a number from 0 to 1000, not %s", v);
            a->opt.refold_growth = g;
        }
        else if (strcmp(o, "--batch") == 0) {
            if (!parse_count(v, &n) || n == 0)
                return usage_error("--batch wants a number of articles above 0, not %s", v);
            a->batch = n;
        } else if (strcmp(o, "--limit") == 0 || strcmp(o, "--offset") == 0 ||
                 strcmp(o, "--threads") == 0 || strcmp(o, "--max-record") == 0) {
            if (!parse_count(v, &n))
                return usage_error("bad number: %s", v);
            if (o[2] == 'l')
                a->limit = n;
            else if (o[2] == 'o')
                a->offset = n;
            else if (o[2] == 'm')
                a->max_record = n;
            else if (n > 64)
                return usage_error("--threads wants a number from 0 to 64, not %s", v);
            else
                a->opt.threads = (unsigned)n;
        } else if (strcmp(o, "--brief") == 0)
            a->brief = true;
        else if (strcmp(o, "--results") == 0)
            a->results = true;
        else if (strcmp(o, "--strict") == 0)
            a->strict = true;
        else if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0)
            a->quiet = true;
        else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            fputs(strcmp(argv[0], "add") == 0 ? add_usage : stories_usage, stdout);
            return EXIT_OK;
        } else
            return usage_error("unknown option: %s", o);
    }
    if (!a->db)
        return usage_error("%s needs --db FILE", argv[0]);
    return -1;
}

static void print_warning(void *ctx, const char *message)
{
    fprintf(stderr, "storyfold: %s: %s\n", (const char *)ctx, message);
}

static sf_store *open_store(const args *a)
{
    sf_error err;
    memset(&err, 0, sizeof err);
    sf_store *s = sf_store_open(a->db, &a->opt, &err);
    if (!s)
        fprintf(stderr, "storyfold: %s: %s\n", a->db, err.message);
    else
        sf_store_set_warnings(s, print_warning, (void *)a->db);
    return s;
}

/* ---- add -------------------------------------------------------------- */

static const char *const outcome_name[] = {"added", "same_id", "same_content", "rejected"};

static int flush(args *a, sf_store *s, batch *b)
{
    if (b->n == 0)
        return EXIT_OK;
    batch_seal(b);
    sf_store_result *res = malloc(b->n * sizeof *res);
    if (!res) {
        fprintf(stderr, "storyfold: out of memory\n");
        return EXIT_INTERNAL;
    }
    sf_error err;
    memset(&err, 0, sizeof err);
    sf_status st = sf_store_add_batch(s, b->arts, b->n, res, &err);
    int rc = EXIT_OK;
    if (st != SF_OK) {
        fprintf(stderr, "storyfold: %s: %s\n", a->db, err.message);
        rc = EXIT_INTERNAL;
    }
    for (size_t i = 0; i < b->n && rc == EXIT_OK; i++) {
        a->outcome[res[i].outcome]++;
        if (res[i].outcome == SF_STORE_REJECTED)
            fprintf(stderr, "storyfold: %.*s: no usable text, not stored\n",
                    (int)b->arts[i].id_len, b->arts[i].id);
        if (a->results) {
            fputs("{\"id\":", stdout);
            put_json_string(stdout, b->arts[i].id, b->arts[i].id_len);
            printf(",\"story\":\"%s\",\"outcome\":\"%s\"}\n", res[i].story_id,
                   outcome_name[res[i].outcome]);
        }
    }
    free(res);
    batch_clear(b);
    return rc;
}

static int run_add(args *a)
{
    if (a->ninputs == 0)
        return usage_error("%s needs at least one input (a file, a folder, or -)", "add");
    sf_store *s = open_store(a);
    if (!s)
        return EXIT_INPUT;
    batch b;
    batch_init(&b);
    sf_reader_options ro = {.max_record_bytes = a->max_record};
    int rc = EXIT_OK;
    for (int i = 0; i < a->ninputs && rc == EXIT_OK; i++) {
        sf_error err;
        memset(&err, 0, sizeof err);
        sf_reader *r = sf_reader_open(a->inputs[i], &ro, &err);
        if (!r) {
            fprintf(stderr, "storyfold: %s: %s\n", a->inputs[i], err.message);
            rc = EXIT_INPUT;
            break;
        }
        for (;;) {
            sf_article art;
            sf_status st = sf_reader_next(r, &art, &err);
            if (st == SF_END)
                break;
            if (st == SF_OK) {
                if (!batch_push(&b, &art)) {
                    rc = EXIT_INTERNAL;
                    break;
                }
                if ((batch_full(&b) || (a->batch && b.n >= a->batch)) &&
                    (rc = flush(a, s, &b)) != EXIT_OK)
                    break;
                continue;
            }
            fprintf(stderr, "storyfold: %s:%llu: %s\n", err.file ? err.file : "?",
                    (unsigned long long)err.line, err.message);
            a->skipped++;
            if (st == SF_ENOMEM || st == SF_EINTERNAL) {
                rc = EXIT_INTERNAL;
                break;
            }
            if (st == SF_EIO || a->strict) {
                rc = EXIT_INPUT;
                break;
            }
        }
        sf_reader_free(r);
    }
    if (rc == EXIT_OK)
        rc = flush(a, s, &b);
    batch_free(&b);
    sf_store_stats stats;
    if (!a->quiet && sf_store_stats_get(s, &stats) == SF_OK)
        fprintf(stderr,
                "storyfold: %llu added, %llu already stored (id), %llu already stored "
                "(content), %llu rejected, %llu skipped; the store holds %llu articles in "
                "%llu stories\n",
                a->outcome[0], a->outcome[1], a->outcome[2], a->outcome[3], a->skipped,
                (unsigned long long)stats.articles, (unsigned long long)stats.stories);
    sf_store_close(s);
    if (fflush(stdout) != 0 && rc == EXIT_OK)
        rc = EXIT_INTERNAL;
    return rc;
}

/* ---- stories ---------------------------------------------------------- */

static int print_line(void *ctx, const char *json, size_t len)
{
    (void)ctx;
    return fwrite(json, 1, len, stdout) != len || putchar('\n') == EOF;
}

static int run_stories(args *a)
{
    if (a->ninputs)
        return usage_error("stories takes no inputs (got %s)", a->inputs[0]);
    sf_store *s = open_store(a);
    if (!s)
        return EXIT_INPUT;
    sf_story_query q = {.since = a->since, .words = a->query, .limit = a->limit,
                        .offset = a->offset, .full = !a->brief};
    sf_status st = sf_store_stories(s, &q, print_line, NULL);
    sf_store_close(s);
    if (st != SF_OK) {
        fprintf(stderr, "storyfold: %s: %s\n", a->db, sf_strerror(st));
        return st == SF_EINVAL ? EXIT_INPUT : EXIT_INTERNAL;
    }
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_INTERNAL;
}

int store_command(int argc, char **argv)
{
    if (strcmp(argv[0], "serve") == 0)
        return sf_serve_main(argc, argv);
    args a;
    memset(&a, 0, sizeof a);
    sf_store_options_default(&a.opt);
    a.inputs = calloc((size_t)argc + 1, sizeof *a.inputs);
    if (!a.inputs)
        return EXIT_INTERNAL;
    int rc = parse(&a, argc, argv);
    if (rc < 0)
        rc = strcmp(argv[0], "add") == 0 ? run_add(&a) : run_stories(&a);
    free(a.inputs);
    return rc;
}
