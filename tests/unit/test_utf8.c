/* Tests of UTF-8 validation and repair: well-formed sequences by the
 * Unicode table 3-7, one U+FFFD per maximal subpart (table 3-8 practice). */
#include "harness.h"
#include "utf8.h"

#define FFFD "\xEF\xBF\xBD"

/* Repairs s[0..n) into a fresh buffer and checks the result and count. */
static void check_repair(const char *s, size_t n, const char *want,
                         size_t want_repairs)
{
    sf_buf b;
    sf_buf_init(&b, 0);
    size_t repairs = 99;
    assert_true(sf_utf8_repair(s, n, &b, &repairs));
    assert_int_equal(repairs, want_repairs);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    assert_true(sf_utf8_valid(b.data, b.len));
    assert_int_equal(sf_utf8_valid(s, n), want_repairs == 0);
    sf_buf_free(&b);
}

#define REPAIR(lit, want, k) check_repair(lit, sizeof(lit) - 1, want, k)

static void test_valid_sequences(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "",
        "plain ASCII text, long enough to pass the eight-byte fast path",
        "caf\xC3\xA9",                 /* U+00E9 */
        "\xC2\x80",                    /* U+0080, smallest two-byte */
        "\xDF\xBF",                    /* U+07FF */
        "\xE0\xA0\x80",                /* U+0800, smallest three-byte */
        "\xE2\x82\xAC",                /* U+20AC euro */
        "\xED\x9F\xBF",                /* U+D7FF, just below surrogates */
        "\xEE\x80\x80",                /* U+E000, just above surrogates */
        "\xEF\xBF\xBF",                /* U+FFFF */
        "\xF0\x90\x80\x80",            /* U+10000, smallest four-byte */
        "\xF0\x9F\x98\x80",            /* U+1F600 */
        "\xF4\x8F\xBF\xBF",            /* U+10FFFF, the last code point */
        "\xE4\xB8\xAD\xE6\x96\x87 Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t",
    };
    for (size_t i = 0; i < SF_ARRAY_LEN(ok); i++) {
        assert_true(sf_utf8_valid(ok[i], strlen(ok[i])));
        check_repair(ok[i], strlen(ok[i]), ok[i], 0);
    }
}

static void test_overlongs(void **state)
{
    (void)state;
    /* C0 and C1 never start a sequence: each byte is its own subpart. */
    REPAIR("\xC0\xAF", FFFD FFFD, 2);
    REPAIR("\xC1\xBF", FFFD FFFD, 2);
    /* E0 needs A0..BF next: E0 alone is the subpart, then 80 and AF. */
    REPAIR("\xE0\x80\xAF", FFFD FFFD FFFD, 3);
    REPAIR("\xE0\x9F\xBF", FFFD FFFD FFFD, 3);
    /* F0 needs 90..BF next. */
    REPAIR("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, 4);
    REPAIR("\xF0\x8F\xBF\xBF", FFFD FFFD FFFD FFFD, 4);
}

static void test_surrogates_and_range(void **state)
{
    (void)state;
    /* ED A0..BF would be a surrogate. */
    REPAIR("\xED\xA0\x80", FFFD FFFD FFFD, 3);
    REPAIR("\xED\xBF\xBF", FFFD FFFD FFFD, 3);
    /* A CESU-8 pair is two surrogates: six replacements. */
    REPAIR("\xED\xA0\xBD\xED\xB8\x80", FFFD FFFD FFFD FFFD FFFD FFFD, 6);
    /* F4 90 and above is past U+10FFFF. */
    REPAIR("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4);
    /* F5..FF never start a sequence. */
    REPAIR("\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD, 4);
    REPAIR("x\xFEy\xFFz", "x" FFFD "y" FFFD "z", 2);
}

static void test_truncated_sequences(void **state)
{
    (void)state;
    /* A cut sequence is one maximal subpart: one U+FFFD. */
    REPAIR("\xC3", FFFD, 1);
    REPAIR("ab\xE2\x82", "ab" FFFD, 1);
    REPAIR("\xF0\x9F\x98", FFFD, 1);
    REPAIR("\xF0\x9F\x98x", FFFD "x", 1);
    REPAIR("\xF0\x9F\x98\xF0\x9F\x98\x80", FFFD "\xF0\x9F\x98\x80", 1);
    /* Lone continuation bytes: one each. */
    REPAIR("\x80\xBF", FFFD FFFD, 2);
    /* The example of the Unicode standard, table 3-8. */
    REPAIR("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
           "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d", 6);
}

static void test_latin1_text(void **state)
{
    (void)state;
    /* "Déjà vu" in Latin-1: each accented byte is invalid on its own
     * (E0 followed by a space is a cut sequence of one byte). */
    REPAIR("D\xE9j\xE0 vu", "D" FFFD "j" FFFD " vu", 2);
}

static void test_nul_dropped(void **state)
{
    (void)state;
    sf_buf b;
    sf_buf_init(&b, 0);
    size_t repairs = 7;
    assert_true(sf_utf8_repair("a\0b\0", 4, &b, &repairs));
    assert_string_equal(b.data, "ab");
    assert_int_equal(repairs, 0);
    sf_buf_free(&b);
}

static void test_appends_and_null_count(void **state)
{
    (void)state;
    sf_buf b;
    sf_buf_init(&b, 0);
    assert_true(sf_buf_puts(&b, "head:"));
    assert_true(sf_utf8_repair("x\x80", 2, &b, NULL));
    assert_string_equal(b.data, "head:x" FFFD);
    sf_buf_free(&b);
}

static void test_fast_path_positions(void **state)
{
    (void)state;
    /* A bad byte at every position of a long ASCII string, so both the
     * word-at-a-time loop and the tail loop must notice it. */
    char s[40];
    for (size_t pos = 0; pos < sizeof s; pos++) {
        memset(s, 'a', sizeof s);
        s[pos] = (char)0xC3;   /* a lead byte followed by 'a': invalid */
        assert_false(sf_utf8_valid(s, sizeof s));
        sf_buf b;
        sf_buf_init(&b, 0);
        size_t repairs = 0;
        assert_true(sf_utf8_repair(s, sizeof s, &b, &repairs));
        assert_int_equal(repairs, 1);
        assert_int_equal(b.len, sizeof s + 2);
        assert_memory_equal(b.data + pos, FFFD, 3);
        sf_buf_free(&b);
        s[pos] = 'a';
        assert_true(sf_utf8_valid(s, sizeof s));
    }
}

static void test_out_of_room_leaves_buffer(void **state)
{
    (void)state;
    sf_buf b;
    sf_buf_init(&b, 8);   /* the cap stands in for memory running out */
    assert_true(sf_buf_puts(&b, "abc"));
    assert_false(sf_utf8_repair("\x80\x80\x80", 3, &b, NULL));
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    sf_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_sequences),
        cmocka_unit_test(test_overlongs),
        cmocka_unit_test(test_surrogates_and_range),
        cmocka_unit_test(test_truncated_sequences),
        cmocka_unit_test(test_latin1_text),
        cmocka_unit_test(test_nul_dropped),
        cmocka_unit_test(test_appends_and_null_count),
        cmocka_unit_test(test_fast_path_positions),
        cmocka_unit_test(test_out_of_room_leaves_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
