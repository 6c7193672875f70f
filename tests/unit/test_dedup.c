/* Near-duplicate detection alone: the words of raw text, the sketch of
 * them, and sf_dedup's groups. */
#include "harness.h"
#include "synth.h"

#include <utf8proc.h>

#include "dedup.h"
#include "sketch.h"

static uint64_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* ---- the words, against a reference written from the definition ------ */

static uint64_t ref_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* The word hash byte by byte: 8-byte little-endian chunks (the last one
 * zero-padded), each xored in, multiplied and folded; then the length
 * times a constant added. */
static uint64_t ref_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0x243f6a8885a308d3ULL;
    size_t i = 0;
    do {
        uint64_t c = 0;
        for (size_t k = 0; k < 8 && i + k < n; k++)
            c |= (uint64_t)p[i + k] << (8 * k);
        h = (h ^ c) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
        i += 8;
    } while (i < n);
    return h + (uint64_t)n * 0x9e3779b97f4a7c15ULL;
}

static bool ref_word_char(utf8proc_int32_t c)
{
    if (c == '_')
        return true;
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL ||
           k == UTF8PROC_CATEGORY_LT || k == UTF8PROC_CATEGORY_LM ||
           k == UTF8PROC_CATEGORY_LO || k == UTF8PROC_CATEGORY_ND ||
           k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO;
}

/* Character by character: word characters lower-cased into a buffer, a
 * word hashed when a character that is not one (or a bad byte) ends it. */
static size_t ref_words(const char *text, size_t len, uint64_t *out)
{
    unsigned char word[4096];
    size_t wl = 0, n = 0;
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i <= len;) {
        utf8proc_int32_t c = -1;
        utf8proc_ssize_t k = i < len ? utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c) : 0;
        if (k > 0 && ref_word_char(c)) {
            wl += (size_t)utf8proc_encode_char(utf8proc_tolower(c), word + wl);
        } else if (wl) {
            out[n++] = ref_hash(word, wl);
            wl = 0;
        }
        i += k > 0 ? (size_t)k : 1;
    }
    return n;
}

/* Random texts of ASCII letters, digits, '_', punctuation, spaces and
 * newlines, letters above ASCII (Latin, Greek, Cyrillic, CJK), marks,
 * curly quotes, dashes, a NUL and broken UTF-8; words of up to 40 bytes
 * (past the 8- and 16-byte chunks), texts from 0 to 700 bytes (across
 * 64-byte blocks). */
static size_t random_text(uint64_t *seed, char *out, size_t cap)
{
    static const char *const pieces[] = {
        "a", "Z", "q", "M", "7", "0", "_", " ", " ", " ", "\n", ",", ".", "'", "-", "\t",
        "\xc3\xa9",         /* é */
        "\xc3\x89",         /* É */
        "\xc3\x9f",         /* ß */
        "\xce\xa3",         /* Σ */
        "\xd0\x96",         /* Ж */
        "\xe4\xb8\xad",     /* 中 */
        "\xcc\x81",         /* combining acute: not a word character */
        "\xe2\x80\x9c",     /* “ */
        "\xe2\x80\x94",     /* — */
        "\xe2\x85\xa0",     /* Ⅰ (Nl) */
        "\xc2\xbd",         /* ½ (No) */
        "\xf0\x9f\x98\x80", /* emoji */
        "\xff", "\x80", "\xe2\x80", /* broken */
        "",
    };
    size_t n = 0, want = (size_t)(rnd(seed) % 700);
    while (n < want) {
        unsigned r = (unsigned)(rnd(seed) % 100);
        const char *p;
        char letter[2] = {0, 0};
        if (r < 60) { /* mostly ASCII letters: long runs */
            letter[0] = (char)((rnd(seed) & 1 ? 'a' : 'A') + rnd(seed) % 26);
            p = letter;
        } else
            p = pieces[rnd(seed) % SF_ARRAY_LEN(pieces)];
        size_t l = strlen(p);
        if (r == 99) { /* a NUL byte */
            out[n++] = 0;
            continue;
        }
        if (n + l >= cap)
            break;
        memcpy(out + n, p, l);
        n += l;
    }
    return n;
}

static void test_words_match_reference(void **state)
{
    (void)state;
    static char text[1024];
    static uint64_t want[1024];
    sf_sketch_scratch s = {0};
    uint64_t seed = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t len = random_text(&seed, text, sizeof text);
        size_t n = ref_words(text, len, want);
        size_t got = sf_plain_words(&s, text, len);
        assert_int_equal(got, n);
        for (size_t i = 0; i < n; i++)
            assert_true(s.words[i] == want[i]);
    }
    sf_sketch_scratch_free(&s);
}

static void test_words_examples(void **state)
{
    (void)state;
    const char *text = "Hello, WORLD_1 caf\xc3\xa9\xe2\x80\x94Stra\xc3\x9f" "e 3.5 don't "
                       "Sto\xcc\x81 abcdefghijklmnopqrstuvwxyz0123456789";
    const char *want[] = {"hello", "world_1", "caf\xc3\xa9", "stra\xc3\x9f" "e", "3", "5",
                          "don", "t", "sto", "abcdefghijklmnopqrstuvwxyz0123456789"};
    sf_sketch_scratch s = {0};
    size_t n = sf_plain_words(&s, text, strlen(text));
    assert_int_equal(n, SF_ARRAY_LEN(want));
    for (size_t i = 0; i < n; i++)
        assert_true(s.words[i] == sf_plain_word_hash((const unsigned char *)want[i],
                                                     strlen(want[i])));
    /* no word at all */
    assert_int_equal(sf_plain_words(&s, "-- ... !!", 9), 0);
    assert_int_equal(sf_plain_words(&s, "", 0), 0);
    /* case does not matter, punctuation between words does not either */
    sf_sketch a, b, c;
    assert_true(sf_sketch_text(&s, "The quick brown fox jumps over the lazy dog", 43, 5, &a));
    assert_true(sf_sketch_text(&s, "the QUICK, brown fox -- jumps over the lazy dog!", 48, 5, &b));
    assert_true(sf_sketch_text(&s, "the lazy dog jumps over the quick brown fox", 43, 5, &c));
    assert_int_equal(a.shingles, 5);
    assert_memory_equal(a.v, b.v, sizeof a.v);
    assert_true(sf_sketch_similarity(&a, &c) < 0.5);
    sf_sketch_scratch_free(&s);
}

/* ---- the signature of random word sequences ---------------------------- */

static void ref_build(const uint64_t *words, size_t n, unsigned w, uint32_t *v, uint32_t *shingles)
{
    for (unsigned i = 0; i < SF_SKETCH_K; i++)
        v[i] = UINT32_MAX;
    uint64_t one = 0x9e3779b97f4a7c15ULL;
    size_t count = 0;
    if (n > 0 && n < w) { /* one shingle of all the words */
        for (size_t i = 0; i < n; i++)
            one = ref_mix(one ^ words[i]) + i;
    }
    for (size_t i = 0; n >= w ? i + w <= n : i < (n ? 1u : 0u); i++) {
        uint64_t h = 0;
        if (n >= w) {
            for (unsigned k = 0; k < w; k++) {
                unsigned r = (k * 13) & 63;
                uint64_t x = words[i + k];
                h ^= r ? (x << r) | (x >> (64 - r)) : x;
            }
            h = ref_mix(h + w);
        } else {
            h = ref_mix(one);
        }
        count++;
        unsigned bin = (unsigned)(h >> 57);
        uint32_t val = (uint32_t)h == UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)h;
        if (val < v[bin])
            v[bin] = val;
    }
    *shingles = (uint32_t)count;
    if (!count)
        return;
    uint32_t orig[SF_SKETCH_K];
    memcpy(orig, v, sizeof orig);
    for (unsigned i = 0; i < SF_SKETCH_K; i++)
        for (uint64_t a = 1; orig[i] == UINT32_MAX; a++) {
            unsigned j = (unsigned)(ref_mix(((uint64_t)i << 32) ^ a) >> 57);
            if (orig[j] != UINT32_MAX) {
                v[i] = orig[j];
                break;
            }
        }
}

static void test_sketch_matches_reference(void **state)
{
    (void)state;
    static uint64_t words[800];
    uint64_t seed = 777;
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(rnd(&seed) % 800);
        if (round % 4 == 0)
            n %= 40; /* few shingles: many bins densified */
        uint64_t vocab = 1 + rnd(&seed) % 500; /* repeated words and shingles */
        for (size_t i = 0; i < n; i++)
            words[i] = (rnd(&seed) % vocab) * 0x9e3779b97f4a7c15ULL ^ (rnd(&seed) << 40);
        unsigned w = 1 + (unsigned)(rnd(&seed) % 8);
        sf_sketch s;
        uint32_t want[SF_SKETCH_K], shingles;
        sf_sketch_build(words, n, w, &s);
        ref_build(words, n, w, want, &shingles);
        assert_int_equal(s.shingles, shingles);
        if (!shingles)
            continue;
        for (unsigned i = 0; i < SF_SKETCH_K; i++)
            assert_int_equal(s.v[i], want[i] & 0xFFFF);
    }
}

/* ---- sf_dedup ----------------------------------------------------------- */

static sf_article art(const char *id, const char *text)
{
    sf_article a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.id_len = strlen(id);
    a.text = text;
    a.text_len = strlen(text);
    return a;
}

static void test_dedup_groups(void **state)
{
    (void)state;
    static char base[4000], near[4000], other[4000];
    size_t n = 0;
    for (int i = 0; i < 300; i++)
        n += (size_t)sprintf(base + n, "w%d ", i * 7919 % 1000);
    strcpy(near, base);
    memcpy(near + 40, "CHANGED", 7);                 /* one word changed */
    n = 0;
    for (int i = 0; i < 300; i++)
        n += (size_t)sprintf(other + n, "x%d ", i * 104729 % 1000);
    sf_article a[6] = {art("a", base), art("b", other), art("c", near), art("d", base),
                       art("e", "!!! ..."), art("f", "!!! ...")};
    sf_dedup *d = sf_dedup_new(NULL);
    assert_non_null(d);
    sf_dedup_result r[6];
    assert_int_equal(sf_dedup_add_batch(d, a, 6, r), SF_OK);
    assert_true(r[0].copy_of == SF_DEDUP_NONE && r[0].group == 0);
    assert_true(r[1].copy_of == SF_DEDUP_NONE && r[1].group == 1);
    assert_true(r[2].copy_of == 0 && r[2].group == 0 && !r[2].exact);
    assert_true(r[2].similarity >= 0.7 && r[2].similarity < 1.0);
    assert_true(r[3].copy_of == 0 && r[3].exact && r[3].similarity == 1.0);
    /* texts without a word copy nothing, even each other */
    assert_true(r[4].copy_of == SF_DEDUP_NONE && r[4].shingles == 0);
    assert_true(r[5].copy_of == SF_DEDUP_NONE && r[5].group == 5);
    /* a second batch goes on from the first: numbers and groups */
    sf_article b[2] = {art("g", near), art("h", other)};
    assert_int_equal(sf_dedup_add_batch(d, b, 2, r), SF_OK);
    assert_true(r[0].copy_of == 2 && r[0].exact && r[0].group == 0);
    assert_true(r[1].copy_of == 1 && r[1].exact && r[1].group == 1);
    sf_dedup_stats st;
    sf_dedup_stats_get(d, &st);
    assert_int_equal(st.articles, 8);
    assert_int_equal(st.exact_copies, 3);
    assert_int_equal(st.near_copies, 1);
    assert_int_equal(st.bands, 32);
    assert_int_equal(st.rows, 4);
    assert_true(st.memory > 0);
    sf_dedup_free(d);
    /* a threshold above the near copy's similarity keeps it apart */
    sf_dedup_options o;
    sf_dedup_options_default(&o);
    o.threshold = 1.0;
    d = sf_dedup_new(&o);
    assert_int_equal(sf_dedup_add_batch(d, a, 4, r), SF_OK);
    assert_true(r[2].copy_of == SF_DEDUP_NONE && r[3].copy_of == 0);
    sf_dedup_free(d);
    sf_dedup_free(NULL);
}

static void test_dedup_options(void **state)
{
    (void)state;
    sf_dedup_options o;
    sf_dedup_options_default(&o);
    assert_near(o.threshold, 0.7, 1e-12);
    assert_int_equal(o.shingle_words, 5);
    sf_dedup_plan p;
    sf_dedup_plan_make(&o, &p);
    assert_int_equal(p.bands * p.rows, 128);
    assert_int_equal(p.need, 90); /* 90 / 128 = 0.703 >= 0.7 > 89 / 128 */
    o.threshold = 0.9;             /* fewer, longer bands for a higher threshold */
    sf_dedup_plan_make(&o, &p);
    assert_true(p.bands < 32 && p.rows > 4);
    sf_dedup_options bad = o;
    bad.threshold = 0;
    assert_null(sf_dedup_new(&bad));
    bad = o;
    bad.threshold = 1.5;
    assert_null(sf_dedup_new(&bad));
    bad = o;
    bad.bands = 129;
    assert_null(sf_dedup_new(&bad));
    bad = o;
    bad.shingle_words = 65;
    assert_null(sf_dedup_new(&bad));
    sf_dedup *d = sf_dedup_new(NULL);
    sf_dedup_result r;
    assert_int_equal(sf_dedup_add_batch(d, NULL, 0, &r), SF_OK);
    assert_int_equal(sf_dedup_add_batch(d, NULL, 1, &r), SF_EINVAL);
    sf_dedup_free(d);
}

/* Results never depend on the threads or on how the articles are cut
 * into batches; copies of the synthetic corpus are found. */
static void test_dedup_threads(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 600, 99);
    sf_dedup_result *r1 = calloc(c.n, sizeof *r1), *r4 = calloc(c.n, sizeof *r4);
    assert_non_null(r1);
    assert_non_null(r4);
    sf_dedup_options o;
    sf_dedup_options_default(&o);
    o.threads = 1;
    sf_dedup *d1 = sf_dedup_new(&o);
    assert_int_equal(sf_dedup_add_batch(d1, c.arts, c.n, r1), SF_OK);
    o.threads = 4;
    sf_dedup *d4 = sf_dedup_new(&o);
    for (size_t i = 0; i < c.n; i += 37) {
        size_t k = c.n - i < 37 ? c.n - i : 37;
        assert_int_equal(sf_dedup_add_batch(d4, c.arts + i, k, r4 + i), SF_OK);
    }
    size_t copies = 0;
    for (size_t i = 0; i < c.n; i++) {
        assert_true(r1[i].copy_of == r4[i].copy_of);
        assert_true(r1[i].group == r4[i].group);
        assert_true(r1[i].similarity == r4[i].similarity);
        copies += r1[i].copy_of != SF_DEDUP_NONE;
        if (r1[i].copy_of != SF_DEDUP_NONE)
            assert_true(r1[i].copy_of < i && r1[i].group <= r1[i].copy_of);
    }
    assert_true(copies > 0);
    sf_dedup_free(d1);
    sf_dedup_free(d4);
    free(r1);
    free(r4);
    synth_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_match_reference),
        cmocka_unit_test(test_words_examples),
        cmocka_unit_test(test_sketch_matches_reference),
        cmocka_unit_test(test_dedup_groups),
        cmocka_unit_test(test_dedup_options),
        cmocka_unit_test(test_dedup_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
