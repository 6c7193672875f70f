/* The tokeniser's own UTF-8 decoding and encoding (text.c's decode and
 * put_utf8, which skip utf8proc for two- and three-byte sequences) against
 * utf8proc, which they must match exactly. text.c is compiled into this
 * test to reach its static functions. */
#include "harness.h"

#include "../../src/text.c"

static void test_decode_matches_utf8proc(void **state)
{
    (void)state;
    static const unsigned char third[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
                                          0xA0, 0xBF, 0xC0, 0xE0, 0xFF};
    size_t checked = 0;
    for (unsigned b0 = 0; b0 < 256; b0++)
        for (unsigned b1 = 0; b1 < 256; b1++)
            for (size_t t = 0; t < SF_ARRAY_LEN(third); t++)
                for (size_t len = 1; len <= 4; len++) {
                    unsigned char b[4] = {(unsigned char)b0, (unsigned char)b1, third[t], 0x80};
                    int32_t c;
                    size_t n = decode(b, len, 0, &c);
                    utf8proc_int32_t cp;
                    utf8proc_ssize_t r = utf8proc_iterate(b, (utf8proc_ssize_t)len, &cp);
                    int32_t want = r < 0 ? -1 : cp;
                    size_t want_n = r < 0 ? 1 : (size_t)r;
                    if (c != want || n != want_n)
                        fail_msg("%02x %02x %02x, %zu bytes: %d (%zu bytes), utf8proc %d (%zu)",
                                 b0, b1, third[t], len, c, n, want, want_n);
                    checked++;
                }
    assert_true(checked > 3000000);
}

/* put_utf8 writes what utf8proc_encode_char writes, for every code point
 * a direct fold image can be (below U+10000, no surrogates). */
static void test_put_utf8(void **state)
{
    (void)state;
    for (int32_t c = 0; c < 0x10000; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        unsigned char a[4] = {0}, b[4] = {0};
        size_t n = put_utf8(c, a);
        utf8proc_ssize_t m = utf8proc_encode_char(c, b);
        if ((utf8proc_ssize_t)n != m || memcmp(a, b, 4) != 0)
            fail_msg("U+%04X: %zu bytes %02x %02x %02x, utf8proc %zd bytes %02x %02x %02x",
                     (unsigned)c, n, a[0], a[1], a[2], m, b[0], b[1], b[2]);
    }
}

/* The table of kinds below KIND_TAB is kind_slow's. */
static void test_kind_table(void **state)
{
    (void)state;
    pthread_once(&fold_once, fold_init);
    for (int32_t c = 0; c < KIND_TAB + 64; c++)
        assert_int_equal(kind_of(c), kind_slow(c));
    assert_int_equal(kind_of('A'), K_UPPER);
    assert_int_equal(kind_of(0xE9), K_LOWER);  /* é */
    assert_int_equal(kind_of(0x0301), K_MARK); /* combining acute */
    assert_int_equal(kind_of(0x00A0), K_NUMSEP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_matches_utf8proc),
        cmocka_unit_test(test_put_utf8),
        cmocka_unit_test(test_kind_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
