/* Tests of the input reader: JSON Lines, folders of .txt files, standard
 * input, and every kind of bad input (each followed by good records that
 * must still come out, with the right ids and statistics). */
#include "harness.h"
#include "reader_internal.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define FFFD "\xEF\xBF\xBD"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* What one sf_reader_next() call should give. For SF_OK: id and text (text
 * NULL = not checked). For errors: line and a piece of the message. */
typedef struct expect {
    sf_status st;
    const char *id;
    const char *text;
    uint64_t line;
    const char *msg;
} expect;

/* Reads r to the end, checking each call against want[0..n). */
static void check_records(sf_reader *r, const expect *want, size_t n)
{
    for (size_t i = 0; i <= n; i++) {
        sf_article a;
        sf_error err;
        memset(&err, 0, sizeof err);
        sf_status st = sf_reader_next(r, &a, &err);
        if (i == n) {
            if (st != SF_END)
                fail_msg("call %zu: status %d (%s), expected the end", i, st,
                         st == SF_OK ? a.id : err.message);
            break;
        }
        if (st != want[i].st)
            fail_msg("call %zu: status %d, expected %d (%s / %s)", i, st,
                     want[i].st, err.message, st == SF_OK ? a.id : "-");
        if (st == SF_OK) {
            assert_non_null(a.id);
            assert_string_equal(a.id, want[i].id);
            assert_int_equal(a.id_len, strlen(want[i].id));
            assert_non_null(a.text);
            assert_int_equal(a.text[a.text_len], '\0');
            if (want[i].text) {
                assert_int_equal(a.text_len, strlen(want[i].text));
                assert_string_equal(a.text, want[i].text);
            }
        } else {
            assert_int_equal(err.code, st);
            assert_non_null(err.file);
            assert_int_equal(err.line, want[i].line);
            if (!strstr(err.message, want[i].msg))
                fail_msg("call %zu: message \"%s\" lacks \"%s\"", i, err.message,
                         want[i].msg);
        }
    }
    /* The end is sticky. */
    sf_article a;
    assert_int_equal(sf_reader_next(r, &a, NULL), SF_END);
}

static void check_stats(const sf_reader *r, uint64_t records, uint64_t skipped,
                        uint64_t repaired)
{
    sf_reader_stats s;
    sf_reader_stats_get(r, &s);
    assert_int_equal(s.records, records);
    assert_int_equal(s.skipped, skipped);
    assert_int_equal(s.repaired, repaired);
}

/* Reads a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* Byte offset where 1-based line `line` starts in s. */
static uint64_t line_start(const char *s, size_t n, uint64_t line)
{
    for (size_t i = 0, l = 1; i < n; i++) {
        if (l == line)
            return i;
        if (s[i] == '\n')
            l++;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* JSON Lines                                                          */
/* ------------------------------------------------------------------ */

/* tests/data/input/broken.jsonl: every kind of bad line between good ones. */
static const expect broken_want[] = {
    {SF_OK, "a", "First article.", 0, NULL},
    {SF_EPARSE, NULL, NULL, 2, "invalid JSON: "},
    {SF_OK, "b", "Second article.", 0, NULL},
    {SF_EPARSE, NULL, NULL, 4, "the line is an array, not a JSON object"},
    {SF_ENOTEXT, NULL, NULL, 5, "missing \"text\" field"},
    {SF_ENOTEXT, NULL, NULL, 6, "\"text\" is a number, not a string"},
    {SF_ENOTEXT, NULL, NULL, 7, "\"text\" is empty"},
    {SF_ENOTEXT, NULL, NULL, 8, "\"text\" is empty"},
    {SF_ENOTEXT, NULL, NULL, 9, "binary content"},
    {SF_ENOTEXT, NULL, NULL, 10, "binary content"},
    {SF_OK, "c", "Third article.", 0, NULL},
    {SF_OK, "d", "Caf" FFFD " cr" FFFD "me", 0, NULL},
    {SF_OK, "e", "Emoji cut " FFFD " here", 0, NULL},
    {SF_EPARSE, NULL, NULL, 14, "end of line expected near 'trailing'"},
    {SF_EPARSE, NULL, NULL, 16, "the line is a number, not a JSON object"},
    {SF_OK, "7", "Numeric id.", 0, NULL},
    {SF_OK, NULL, "No id.", 0, NULL},   /* id filled in by the test */
    {SF_OK, "f", "Last line, no newline.", 0, NULL},
};

static void test_broken_lines(void **state)
{
    (void)state;
    char path[4096], noid[4200];
    snprintf(path, sizeof path, "%s", test_path("input/broken.jsonl"));
    snprintf(noid, sizeof noid, "%s:18", path);
    expect want[SF_ARRAY_LEN(broken_want)];
    memcpy(want, broken_want, sizeof want);
    want[16].id = noid;

    sf_error err;
    sf_reader *r = sf_reader_open(path, NULL, &err);
    assert_non_null(r);
    check_records(r, want, SF_ARRAY_LEN(want));
    check_stats(r, 8, 10, 2);
    size_t n;
    char *raw = slurp(path, &n);
    sf_reader_stats s;
    sf_reader_stats_get(r, &s);
    assert_int_equal(s.bytes, n);
    free(raw);
    sf_reader_free(r);
}

static void test_error_places(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s", test_path("input/broken.jsonl"));
    size_t n;
    char *raw = slurp(path, &n);
    sf_reader *r = sf_reader_open(path, NULL, NULL);
    assert_non_null(r);
    sf_article a;
    sf_error err;
    assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_int_equal(sf_reader_next(r, &a, &err), SF_EPARSE);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    /* The offset points at the fault, inside line 2. */
    assert_true(err.offset > line_start(raw, n, 2));
    assert_true(err.offset <= line_start(raw, n, 3));
    assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_int_equal(sf_reader_next(r, &a, &err), SF_EPARSE);
    assert_int_equal(err.offset, line_start(raw, n, 4));
    assert_int_equal(sf_reader_next(r, &a, &err), SF_ENOTEXT);
    assert_int_equal(err.offset, line_start(raw, n, 5));
    free(raw);
    sf_reader_free(r);
}

static void test_good_fields(void **state)
{
    (void)state;
    sf_reader *r = sf_reader_open(test_path("input/broken.jsonl"), NULL, NULL);
    assert_non_null(r);
    sf_article a;
    assert_int_equal(sf_reader_next(r, &a, NULL), SF_OK);
    assert_string_equal(a.title, "Alpha");
    assert_int_equal(a.title_len, 5);
    assert_string_equal(a.url, "https://example.com/a");
    assert_string_equal(a.source, "Example");
    assert_string_equal(a.date, "2024-05-01T10:00:00Z");
    assert_string_equal(a.lang, "en");
    assert_int_equal(a.lang_len, 2);
    size_t len = 0;
    const char *v = sf_reader_field(r, "event", &len);
    assert_non_null(v);
    assert_string_equal(v, "e1");
    assert_int_equal(len, 2);
    const char *score = sf_reader_field(r, "score", &len);
    const char *count = sf_reader_field(r, "count", NULL);
    assert_string_equal(score, "0.1");
    assert_int_equal(len, 3);
    assert_string_equal(count, "12");
    /* Both number texts stay valid together. */
    assert_string_equal(score, "0.1");
    assert_null(sf_reader_field(r, "extra", &len));
    assert_int_equal(len, 0);
    assert_null(sf_reader_field(r, "nothing", &len));
    assert_null(sf_reader_field(NULL, "event", &len));

    /* A record without optional fields has them NULL. */
    sf_error err;
    assert_int_equal(sf_reader_next(r, &a, &err), SF_EPARSE);
    assert_null(sf_reader_field(r, "event", &len));   /* no current record */
    assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_string_equal(a.id, "b");
    assert_null(a.title);
    assert_int_equal(a.title_len, 0);
    assert_null(a.url);
    assert_null(a.lang);
    assert_null(sf_reader_field(r, "event", &len));
    sf_reader_free(r);
}

static void test_good_file(void **state)
{
    (void)state;
    static const expect want[] = {
        {SF_OK, "g1", "Article one.", 0, NULL},
        {SF_OK, "g2", "Article two, \xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80.", 0, NULL},
        {SF_OK, "g3", "Article three.", 0, NULL},
    };
    sf_reader *r = sf_reader_open(test_path("input/good.jsonl"), NULL, NULL);
    assert_non_null(r);
    check_records(r, want, SF_ARRAY_LEN(want));
    check_stats(r, 3, 0, 0);
    sf_reader_free(r);
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    static const expect want[] = {
        {SF_OK, "w1", "Windows line one.", 0, NULL},
        {SF_OK, "w2", "Two\r\nlines", 0, NULL},
    };
    sf_reader *r = sf_reader_open(test_path("input/crlf.jsonl"), NULL, NULL);
    assert_non_null(r);
    check_records(r, want, SF_ARRAY_LEN(want));
    check_stats(r, 2, 0, 0);
    sf_reader_free(r);

    /* The "\r" is not part of the record: a line at the limit still fits. */
    const char *s = "{\"id\":\"w3\",\"text\":\"at limit\"}\r\n";
    sf_reader_options opt = {.max_record_bytes = strlen(s) - 2};
    static const expect fits[] = {{SF_OK, "w3", "at limit", 0, NULL}};
    for (size_t chunk = 1; chunk < 40; chunk++) {
        r = sf_reader_open_memory(s, strlen(s), "m", &opt, NULL);
        sf_reader_set_chunk(r, chunk);
        check_records(r, fits, 1);
        sf_reader_free(r);
    }
}

static void test_empty_and_blank_files(void **state)
{
    (void)state;
    sf_reader_stats s;
    sf_reader *r = sf_reader_open(test_path("input/empty.jsonl"), NULL, NULL);
    assert_non_null(r);
    check_records(r, NULL, 0);
    sf_reader_stats_get(r, &s);
    assert_int_equal(s.records + s.skipped + s.repaired + s.bytes, 0);
    sf_reader_free(r);

    r = sf_reader_open(test_path("input/blank.jsonl"), NULL, NULL);
    assert_non_null(r);
    check_records(r, NULL, 0);
    sf_reader_stats_get(r, &s);
    assert_int_equal(s.records, 0);
    assert_int_equal(s.skipped, 0);
    assert_int_equal(s.bytes, 9);
    sf_reader_free(r);
}

static void test_other_file_names_are_jsonl(void **state)
{
    (void)state;
    static const expect j[] = {{SF_OK, "j1", "From a .json file.", 0, NULL}};
    static const expect n[] = {
        {SF_OK, "n1", "From a file without extension.", 0, NULL}};
    sf_reader *r = sf_reader_open(test_path("input/articles.json"), NULL, NULL);
    assert_non_null(r);
    check_records(r, j, 1);
    sf_reader_free(r);
    r = sf_reader_open(test_path("input/noext"), NULL, NULL);
    assert_non_null(r);
    check_records(r, n, 1);
    sf_reader_free(r);
}

static void test_missing_file(void **state)
{
    (void)state;
    sf_error err;
    memset(&err, 0, sizeof err);
    const char *path = "/nonexistent/storyfold/input.jsonl";
    assert_null(sf_reader_open(path, NULL, &err));
    assert_int_equal(err.code, SF_EIO);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "No such file"));
    assert_null(sf_reader_open(path, NULL, NULL));
    assert_null(sf_reader_open(NULL, NULL, &err));
    assert_int_equal(err.code, SF_EINVAL);
    sf_article a;
    assert_int_equal(sf_reader_next(NULL, &a, &err), SF_EINVAL);
    sf_reader_free(NULL);
}

/* The same bytes must give the same records however the reads split them. */
static void test_split_reads(void **state)
{
    (void)state;
    char path[4096], noid[4200];
    snprintf(path, sizeof path, "%s", test_path("input/broken.jsonl"));
    snprintf(noid, sizeof noid, "%s:18", path);
    expect want[SF_ARRAY_LEN(broken_want)];
    memcpy(want, broken_want, sizeof want);
    want[16].id = noid;
    size_t n;
    char *raw = slurp(path, &n);
    for (size_t chunk = 1; chunk <= 70; chunk++) {
        for (int fast = 0; fast <= 1; fast++) {
            sf_reader *r = sf_reader_open_memory(raw, n, path, NULL, NULL);
            assert_non_null(r);
            sf_reader_set_chunk(r, chunk);
            sf_reader_set_fast(r, fast);
            check_records(r, want, SF_ARRAY_LEN(want));
            check_stats(r, 8, 10, 2);
            sf_reader_free(r);
        }
    }
    free(raw);
}

static void test_long_line_skipped(void **state)
{
    (void)state;
    /* 5000-byte line between two good ones, limit 1000 bytes. */
    size_t big = 5000;
    const char *head = "{\"id\":\"one\",\"text\":\"first\"}\n";
    const char *tail = "{\"id\":\"three\",\"text\":\"third\"}\n";
    size_t n = strlen(head) + big + 1 + strlen(tail);
    char *buf = malloc(n);
    assert_non_null(buf);
    char *p = buf;
    memcpy(p, head, strlen(head));
    p += strlen(head);
    memcpy(p, "{\"id\":\"two\",\"text\":\"", 20);
    memset(p + 20, 'x', big - 22);
    memcpy(p + big - 2, "\"}", 2);
    p += big;
    *p++ = '\n';
    memcpy(p, tail, strlen(tail));

    static const expect want[] = {
        {SF_OK, "one", "first", 0, NULL},
        {SF_ETOOBIG, NULL, NULL, 2, "record of 5000 bytes exceeds the 1000-byte limit"},
        {SF_OK, "three", "third", 0, NULL},
    };
    sf_reader_options opt = {.max_record_bytes = 1000};
    static const size_t chunks[] = {7, 100, 999, 1000, 1001, 1002, 4096, 1 << 20};
    for (size_t i = 0; i < SF_ARRAY_LEN(chunks); i++) {
        sf_reader *r = sf_reader_open_memory(buf, n, "mem", &opt, NULL);
        assert_non_null(r);
        sf_reader_set_chunk(r, chunks[i]);
        check_records(r, want, SF_ARRAY_LEN(want));
        check_stats(r, 2, 1, 0);
        sf_reader_stats s;
        sf_reader_stats_get(r, &s);
        assert_int_equal(s.bytes, n);
        sf_reader_free(r);
    }
    /* The over-long line as the last, unterminated line. */
    sf_reader *r = sf_reader_open_memory(buf, strlen(head) + big, "mem", &opt, NULL);
    sf_reader_set_chunk(r, 64);
    check_records(r, want, 2);
    sf_reader_free(r);
    /* A final "\r" is not counted, whether the line is seen whole or
     * skipped piece by piece. */
    const char *cr = "{\"text\":\"0123456789\"}\r\n{\"text\":\"z\"}";
    sf_reader_options small = {.max_record_bytes = 14};
    static const expect cr_want[] = {
        {SF_ETOOBIG, NULL, NULL, 1, "record of 21 bytes exceeds the 14-byte limit"},
        {SF_OK, "m:2", "z", 0, NULL},
    };
    for (size_t chunk = 1; chunk < 40; chunk++) {
        sf_reader *rc = sf_reader_open_memory(cr, strlen(cr), "m", &small, NULL);
        sf_reader_set_chunk(rc, chunk);
        check_records(rc, cr_want, 2);
        sf_reader_free(rc);
    }
    /* Exactly at the limit is fine. */
    opt.max_record_bytes = big;
    r = sf_reader_open_memory(buf, n, "mem", &opt, NULL);
    sf_reader_set_chunk(r, 64);
    static const expect fits[] = {
        {SF_OK, "one", "first", 0, NULL},
        {SF_OK, "two", NULL, 0, NULL},
        {SF_OK, "three", "third", 0, NULL},
    };
    check_records(r, fits, 3);
    sf_reader_free(r);
    free(buf);
}

/* Writes n bytes of c to f in pieces. */
static void write_fill(FILE *f, int c, size_t n)
{
    static char piece[1 << 16];
    memset(piece, c, sizeof piece);
    while (n) {
        size_t k = n < sizeof piece ? n : sizeof piece;
        assert_int_equal(fwrite(piece, 1, k, f), k);
        n -= k;
    }
}

static long max_rss_kib(void)
{
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    return ru.ru_maxrss;
}

/* An over-long line in a file is skipped at bounded memory: the reader
 * never holds more than about the limit. Runs first, while the process's
 * peak memory is still low. */
static void test_long_line_bounded_memory(void **state)
{
    (void)state;
    char path[] = "/tmp/sf_test_long_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    const size_t big = 30u << 20;
    fputs("{\"text\":\"", f);
    write_fill(f, 'y', big - 11);
    fputs("\"}\n{\"id\":\"after\",\"text\":\"ok\"}\n", f);
    fclose(f);

    long before = max_rss_kib();
    sf_reader_options opt = {.max_record_bytes = 1u << 20};
    sf_reader *r = sf_reader_open(path, &opt, NULL);
    assert_non_null(r);
    static const expect want[] = {
        {SF_ETOOBIG, NULL, NULL, 1, "record of 31457280 bytes exceeds the 1 MiB limit"},
        {SF_OK, "after", "ok", 0, NULL},
    };
    check_records(r, want, 2);
    sf_reader_free(r);
    long grown = max_rss_kib() - before;
    if (grown > 12 * 1024)
        fail_msg("peak memory grew by %ld KiB skipping a 30 MiB line", grown);
    unlink(path);
}

static void test_huge_line_within_limit(void **state)
{
    (void)state;
    char path[] = "/tmp/sf_test_huge_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    const size_t text_len = 50u * 1000 * 1000;
    fputs("{\"id\":\"before\",\"text\":\"small\"}\n{\"id\":\"big\",\"text\":\"", f);
    write_fill(f, 'w', text_len);
    fputs("\"}\n{\"id\":\"after\",\"text\":\"ok\"}", f);
    fclose(f);

    sf_reader *r = sf_reader_open(path, NULL, NULL);
    assert_non_null(r);
    sf_article a;
    sf_error err;
    assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_string_equal(a.id, "before");
    sf_status st = sf_reader_next(r, &a, &err);
    if (st != SF_OK)
        fail_msg("big line: %s", err.message);
    assert_string_equal(a.id, "big");
    assert_int_equal(a.text_len, text_len);
    assert_int_equal(a.text[0], 'w');
    assert_int_equal(a.text[text_len - 1], 'w');
    assert_int_equal(a.text[text_len], '\0');
    assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_string_equal(a.id, "after");
    assert_int_equal(sf_reader_next(r, &a, &err), SF_END);
    check_stats(r, 3, 0, 0);
    sf_reader_free(r);
    unlink(path);
}

static void test_stdin(void **state)
{
    (void)state;
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    int fd = open(test_path("input/broken.jsonl"), O_RDONLY);
    assert_true(fd >= 0);
    assert_true(dup2(fd, STDIN_FILENO) >= 0);
    close(fd);

    expect want[SF_ARRAY_LEN(broken_want)];
    memcpy(want, broken_want, sizeof want);
    want[16].id = "-:18";
    sf_reader *r = sf_reader_open("-", NULL, NULL);
    assert_non_null(r);
    sf_article a;
    sf_error err;
    assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_int_equal(sf_reader_next(r, &a, &err), SF_EPARSE);
    assert_string_equal(err.file, "-");
    sf_reader_free(r);

    /* From the start again, through a pipe this time. */
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    size_t n;
    char *raw = slurp(test_path("input/broken.jsonl"), &n);
    assert_true(n < 65536);   /* fits in the pipe without a writer thread */
    assert_int_equal(write(pfd[1], raw, n), (ssize_t)n);
    close(pfd[1]);
    assert_true(dup2(pfd[0], STDIN_FILENO) >= 0);
    close(pfd[0]);
    r = sf_reader_open("-", NULL, NULL);
    assert_non_null(r);
    check_records(r, want, SF_ARRAY_LEN(want));
    check_stats(r, 8, 10, 2);
    sf_reader_free(r);
    free(raw);

    assert_true(dup2(saved, STDIN_FILENO) >= 0);
    close(saved);
}

static void test_memory_reader(void **state)
{
    (void)state;
    const char *s = "{\"text\":\"x\"}\n\n{\"id\":1.5,\"text\":\"y\"}";
    static const expect want[] = {
        {SF_OK, "<memory>:1", "x", 0, NULL},
        {SF_OK, "1.5", "y", 0, NULL},
    };
    sf_reader *r = sf_reader_open_memory(s, strlen(s), NULL, NULL, NULL);
    assert_non_null(r);
    check_records(r, want, 2);
    sf_reader_free(r);
    r = sf_reader_open_memory(NULL, 0, NULL, NULL, NULL);
    assert_non_null(r);
    check_records(r, NULL, 0);
    sf_reader_free(r);
}

static void test_binary_file_as_jsonl(void **state)
{
    (void)state;
    /* A PNG header and more given as JSON Lines: each "line" is binary, and
     * a good line after it still comes out. */
    const char bytes[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02\n"
                         "{\"id\":\"ok\",\"text\":\"fine\"}\n";
    const char *path = test_tmpfile(bytes, sizeof bytes - 1);
    static const expect want[] = {
        {SF_EPARSE, NULL, NULL, 1, "invalid JSON"},
        {SF_ENOTEXT, NULL, NULL, 2, "binary content"},
        {SF_ENOTEXT, NULL, NULL, 3, "binary content"},
        {SF_OK, "ok", "fine", 0, NULL},
    };
    sf_reader *r = sf_reader_open(path, NULL, NULL);
    assert_non_null(r);
    check_records(r, want, 4);
    check_stats(r, 1, 3, 0);
    sf_reader_free(r);
    unlink(path);
}

static void test_mostly_invalid_line(void **state)
{
    (void)state;
    /* Text in a legacy 8-bit encoding: every letter invalid. */
    const char bytes[] = "{\"text\":\"\xC1\xE8\xE2\xEB\xE9\xEF\xE8\xEA\xE0\xF1\xF2\xF0\xE5\xEC\xE5\xED\xED\xEE\xE7\xE8\xE0\xF2\xEE\"}\n"
                         "{\"id\":\"ok\",\"text\":\"fine\"}\n";
    sf_reader *r = sf_reader_open_memory(bytes, sizeof bytes - 1, "m", NULL, NULL);
    static const expect want[] = {
        {SF_ENOTEXT, NULL, NULL, 1, "not UTF-8"},
        {SF_OK, "ok", "fine", 0, NULL},
    };
    check_records(r, want, 2);
    sf_reader_free(r);
}

static void test_escape_repairs(void **state)
{
    (void)state;
    /* \u0000, a lone low surrogate, a high one at the end; a good pair and
     * an escaped backslash before "u" stay as they are. */
    const char *s =
        "{\"id\":\"a\",\"text\":\"x\\u0000y\\udc00z\\ud83d\"}\n"
        "{\"id\":\"b\",\"text\":\"\\ud83d\\ude00 \\\\ud800\"}\n";
    static const expect want[] = {
        {SF_OK, "a", "x" FFFD "y" FFFD "z" FFFD, 0, NULL},
        {SF_OK, "b", "\xF0\x9F\x98\x80 \\ud800", 0, NULL},
    };
    sf_reader *r = sf_reader_open_memory(s, strlen(s), "m", NULL, NULL);
    check_records(r, want, 2);
    check_stats(r, 2, 0, 1);
    sf_reader_free(r);
}

/* Lines the fast JSON path reads itself, and lines it must leave to
 * jansson: both ways give the same records. */
static void test_fast_path_agrees(void **state)
{
    (void)state;
    const char *tmpl =
        /* 1: escaped key, "\/" and a surrogate pair */
        "{\"id\":\"k1\",\"te\\u0078t\":\"a\\/b \\ud83d\\ude00 \\\"q\\\" \\u00e9\"}\n"
        /* 2: duplicate keys: the last wins */
        "{\"id\":\"first\",\"text\":\"one\",\"id\":\"k2\",\"text\":\"two\"}\n"
        /* 3: nested values in other fields, white space everywhere */
        " { \"tags\" : [ 1 , { \"x\" : [ ] } , \"s\" , true , null ] , \"id\" : \"k3\" ,"
        " \"o\" : { } , \"text\" : \"nested\" } \t\n"
        /* 4: an integer jansson rejects: left to jansson, which says so */
        "{\"id\":99999999999999999999,\"text\":\"big\"}\n"
        /* 5: nesting deeper than the fast path goes */
        "{\"deep\":@,"
        "\"id\":\"k5\",\"text\":\"deep\"}\n"
        /* 6: control characters by escape and raw DEL: binary */
        "{\"id\":\"k6\",\"text\":\"\\b\\u0001\\u007f\x7f ab\"}\n"
        /* 7: only a few: text */
        "{\"id\":\"k7\",\"text\":\"tab\\there, bell\\u0007 once, in a long enough line\"}\n"
        /* 8: numbers of all shapes as ids and fields */
        "{\"id\":-0.5e-3,\"n\":-0,\"text\":\"num\"}\n"
        /* 9: not an object after all */
        "{\"text\":\"x\"}{}\n";
    /* "@" stands for 100 nested arrays. */
    char s[2048];
    const char *at = strchr(tmpl, '@');
    size_t pre = (size_t)(at - tmpl);
    memcpy(s, tmpl, pre);
    memset(s + pre, '[', 100);
    memset(s + pre + 100, ']', 100);
    snprintf(s + pre + 200, sizeof s - pre - 200, "%s", at + 1);
    static const expect want[] = {
        {SF_OK, "k1", "a/b \xF0\x9F\x98\x80 \"q\" \xC3\xA9", 0, NULL},
        {SF_OK, "k2", "two", 0, NULL},
        {SF_OK, "k3", "nested", 0, NULL},
        {SF_EPARSE, NULL, NULL, 4, "invalid JSON: too big integer"},
        {SF_OK, "k5", "deep", 0, NULL},
        {SF_ENOTEXT, NULL, NULL, 6, "binary content"},
        {SF_OK, "k7", NULL, 0, NULL},
        {SF_OK, "-0.0005", "num", 0, NULL},
        {SF_EPARSE, NULL, NULL, 9, "invalid JSON: end of line expected"},
    };
    for (int fast = 0; fast <= 1; fast++) {
        sf_reader *r = sf_reader_open_memory(s, strlen(s), "m", NULL, NULL);
        sf_reader_set_fast(r, fast);
        check_records(r, want, SF_ARRAY_LEN(want));
        check_stats(r, 6, 3, 0);
        sf_reader_free(r);

        /* Fields of record 8. */
        r = sf_reader_open_memory(s, strlen(s), "m", NULL, NULL);
        sf_reader_set_fast(r, fast);
        sf_article a;
        sf_status st;
        while ((st = sf_reader_next(r, &a, NULL)) != SF_END)
            if (st == SF_OK && strcmp(a.text, "num") == 0)
                break;
        assert_int_equal(st, SF_OK);
        size_t len;
        assert_string_equal(sf_reader_field(r, "n", &len), "0");
        assert_string_equal(sf_reader_field(r, "id", &len), "-0.0005");
        assert_int_equal(len, 7);
        sf_reader_free(r);
    }
}

static void test_ids(void **state)
{
    (void)state;
    /* Empty, null and non-scalar ids are replaced; numbers kept as text. */
    const char *s = "{\"id\":\"\",\"text\":\"a\"}\n"
                    "{\"id\":null,\"text\":\"b\"}\n"
                    "{\"id\":[1],\"text\":\"c\"}\n"
                    "{\"id\":-12,\"text\":\"d\"}\n"
                    "{\"id\":1e3,\"text\":\"e\"}\n";
    static const expect want[] = {
        {SF_OK, "f.jsonl:1", "a", 0, NULL}, {SF_OK, "f.jsonl:2", "b", 0, NULL},
        {SF_OK, "f.jsonl:3", "c", 0, NULL}, {SF_OK, "-12", "d", 0, NULL},
        {SF_OK, "1000", "e", 0, NULL},
    };
    sf_reader *r = sf_reader_open_memory(s, strlen(s), "f.jsonl", NULL, NULL);
    check_records(r, want, 5);
    sf_reader_free(r);
}

/* Pair files: each line two articles, fields suffixed 1 and 2; a line
 * with a bad side is skipped whole; ids from id1/id2, else pair_id:1. */
static void test_pairs(void **state)
{
    (void)state;
    const char *s =
        "{\"pair_id\":\"p1\",\"text1\":\"a1\",\"text2\":\"a2\",\"lang1\":\"de\","
        "\"title2\":\"T2\",\"overall\":1.5}\n"
        "{\"pair_id\":\"p2\",\"text1\":\"b1\"}\n"
        "{\"pair_id\":7,\"id1\":\"x\",\"text1\":\"c1\",\"text2\":\"c2\"}\n"
        "{\"text1\":\"d1\",\"text2\":\"  \"}\n"
        "{\"text1\":\"e1\",\"text2\":\"e2\"}\n";
    static const expect want[] = {
        {SF_OK, "p1:1", "a1", 0, NULL}, {SF_OK, "p1:2", "a2", 0, NULL},
        {SF_ENOTEXT, NULL, NULL, 2, "missing \"text2\""},
        {SF_OK, "x", "c1", 0, NULL}, {SF_OK, "7:2", "c2", 0, NULL},
        {SF_ENOTEXT, NULL, NULL, 4, "\"text2\" is empty"},
        {SF_OK, "f.jsonl:5:1", "e1", 0, NULL}, {SF_OK, "f.jsonl:5:2", "e2", 0, NULL},
    };
    sf_reader_options opt = {.pairs = 1};
    sf_reader *r = sf_reader_open_memory(s, strlen(s), "f.jsonl", &opt, NULL);
    check_records(r, want, sizeof want / sizeof *want);
    sf_reader_stats st;
    sf_reader_stats_get(r, &st);
    assert_int_equal(st.records, 6);
    assert_int_equal(st.skipped, 2);
    sf_reader_free(r);

    /* the sides' other fields, and the line's own fields for both */
    r = sf_reader_open_memory(s, strlen(s), "f.jsonl", &opt, NULL);
    sf_article a;
    sf_error err;
    size_t n;
    assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_int_equal(a.lang_len, 2);
    assert_memory_equal(a.lang, "de", 2);
    assert_null(a.title);
    assert_string_equal(sf_reader_field(r, "overall", &n), "1.5");
    assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_null(a.lang);
    assert_string_equal(a.title, "T2");
    assert_string_equal(sf_reader_field(r, "pair_id", &n), "p1");
    sf_reader_free(r);

    /* without the option, a pair line has no "text" */
    r = sf_reader_open_memory(s, strlen(s), "f.jsonl", NULL, NULL);
    assert_int_equal(sf_reader_next(r, &a, &err), SF_ENOTEXT);
    sf_reader_free(r);
}

/* ------------------------------------------------------------------ */
/* .txt files and folders                                              */
/* ------------------------------------------------------------------ */

static void test_folder(void **state)
{
    (void)state;
    static const expect want[] = {
        {SF_OK, "10.txt", "Ten.\n", 0, NULL},
        {SF_OK, "2.txt", "Two.\n", 0, NULL},
        {SF_OK, "Z.txt", "Zed.\n", 0, NULL},
        {SF_OK, "a.txt", "Alpha page.\nSecond line.\n", 0, NULL},
        {SF_OK, "b.txt", "Beta page.", 0, NULL},
        {SF_ENOTEXT, NULL, NULL, 0, "binary content"},
        {SF_ENOTEXT, NULL, NULL, 0, "empty file"},
        {SF_OK, "latin1.txt", "Caf" FFFD " au lait, cr" FFFD "me br" FFFD "l" FFFD "e.\n",
         0, NULL},
        {SF_ENOTEXT, NULL, NULL, 0, "only white space"},
    };
    sf_reader *r = sf_reader_open(test_path("input/folder"), NULL, NULL);
    assert_non_null(r);
    check_records(r, want, SF_ARRAY_LEN(want));
    check_stats(r, 6, 3, 1);
    sf_reader_free(r);

    /* The error names the file. */
    r = sf_reader_open(test_path("input/folder/"), NULL, NULL);
    assert_non_null(r);
    sf_article a;
    sf_error err;
    for (int i = 0; i < 5; i++)
        assert_int_equal(sf_reader_next(r, &a, &err), SF_OK);
    assert_string_equal(a.id, "b.txt");
    assert_string_equal(sf_reader_field(r, "id", NULL), "b.txt");
    assert_null(sf_reader_field(r, "event", NULL));
    assert_int_equal(sf_reader_next(r, &a, &err), SF_ENOTEXT);
    char want_path[4200];
    snprintf(want_path, sizeof want_path, "%s", test_path("input/folder/binary.txt"));
    assert_string_equal(err.file, want_path);
    assert_int_equal(err.line, 0);
    sf_reader_free(r);
}

static void test_single_txt(void **state)
{
    (void)state;
    static const expect want[] = {
        {SF_OK, "single.txt", "A single page.\n\nSecond paragraph.\n", 0, NULL},
    };
    sf_reader *r = sf_reader_open(test_path("input/single.txt"), NULL, NULL);
    assert_non_null(r);
    check_records(r, want, 1);
    check_stats(r, 1, 0, 0);
    sf_reader_free(r);
}

/* Makes a temporary folder and returns its path (static). */
static const char *make_tmpdir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/sf_test_dir_XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void put_file(const char *dir, const char *name, const char *bytes, size_t n)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

static void test_folder_unreadable_and_big(void **state)
{
    (void)state;
    const char *dir = make_tmpdir();
    char p[256], q[256];
    /* A link to nowhere cannot be opened, whatever our privileges. */
    snprintf(p, sizeof p, "%s/a.txt", dir);
    assert_int_equal(symlink("/nonexistent/storyfold", p), 0);
    put_file(dir, "b.txt", "Readable.", 9);
    char big[3000];
    memset(big, 'z', sizeof big);
    put_file(dir, "c.txt", big, sizeof big);
    put_file(dir, "d.txt", "Last.", 5);
    snprintf(q, sizeof q, "%s/e.txt", dir);   /* a folder named like a file */
    assert_int_equal(mkdir(q, 0700), 0);

    static const expect want[] = {
        {SF_EIO, NULL, NULL, 0, "cannot open: No such file"},
        {SF_OK, "b.txt", "Readable.", 0, NULL},
        {SF_ETOOBIG, NULL, NULL, 0, "record of 3000 bytes exceeds the 2 KiB limit"},
        {SF_OK, "d.txt", "Last.", 0, NULL},
    };
    sf_reader_options opt = {.max_record_bytes = 2048};
    sf_reader *r = sf_reader_open(dir, &opt, NULL);
    assert_non_null(r);
    check_records(r, want, SF_ARRAY_LEN(want));
    check_stats(r, 2, 2, 0);
    sf_reader_free(r);

    unlink(p);
    rmdir(q);
    const char *names[] = {"b.txt", "c.txt", "d.txt"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    /* An empty folder has no records. */
    r = sf_reader_open(dir, NULL, NULL);
    assert_non_null(r);
    check_records(r, NULL, 0);
    sf_reader_free(r);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_line_bounded_memory),
        cmocka_unit_test(test_broken_lines),
        cmocka_unit_test(test_error_places),
        cmocka_unit_test(test_good_fields),
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_empty_and_blank_files),
        cmocka_unit_test(test_other_file_names_are_jsonl),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_split_reads),
        cmocka_unit_test(test_long_line_skipped),
        cmocka_unit_test(test_huge_line_within_limit),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_memory_reader),
        cmocka_unit_test(test_binary_file_as_jsonl),
        cmocka_unit_test(test_mostly_invalid_line),
        cmocka_unit_test(test_escape_repairs),
        cmocka_unit_test(test_fast_path_agrees),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_folder),
        cmocka_unit_test(test_single_txt),
        cmocka_unit_test(test_folder_unreadable_and_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
