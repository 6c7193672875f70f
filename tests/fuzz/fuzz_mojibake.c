/*
 * fuzz_mojibake.c — libFuzzer target for mojibake repair.
 *
 * Checks the repair's contract on any bytes: no repair means the text
 * comes back unchanged, a repair always shortens it; valid UTF-8 stays
 * valid; text without the byte C3 (every lead character's first byte) is
 * never touched. The same checks run on the mojibake of the input (its
 * bytes read as Windows-1252), which reaches the repair paths far more
 * often than random bytes do.
 */
#include "fuzz.h"
#include "mojibake.h"
#include "utf8.h"

#include <string.h>

/* Windows-1252 bytes 0x80..0x9F (0: the C1 control of the same value). */
static const uint16_t w1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Appends to b the UTF-8 of each byte of s read as Windows-1252. */
static void make_mojibake(const uint8_t *s, size_t n, sf_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        unsigned cp = s[i];
        if (cp >= 0x80 && cp < 0xA0 && w1252[cp - 0x80])
            cp = w1252[cp - 0x80];
        char u[3];
        size_t k;
        if (cp < 0x80) {
            u[0] = (char)cp;
            k = 1;
        } else if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6));
            u[1] = (char)(0x80 | (cp & 0x3F));
            k = 2;
        } else {
            u[0] = (char)(0xE0 | (cp >> 12));
            u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            k = 3;
        }
        CHECK(sf_buf_append(b, u, k));
    }
}

static void check_one(const char *s, size_t size)
{
    sf_buf out;
    sf_buf_init(&out, 0);
    size_t repairs = 12345;
    CHECK(sf_mojibake_repair(s, size, &out, &repairs));
    const char *o = out.data ? out.data : "";
    if (repairs == 0)
        CHECK(out.len == size && memcmp(o, s, size) == 0);
    else
        CHECK(out.len < size && repairs <= size / 2);
    if (sf_utf8_valid(s, size))
        CHECK(sf_utf8_valid(o, out.len));
    if (memchr(s, 0xC3, size) == NULL)
        CHECK(repairs == 0);
    sf_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_one((const char *)data, size);
    sf_buf m;
    sf_buf_init(&m, 0);
    make_mojibake(data, size, &m);
    check_one(m.data ? m.data : "", m.len);
    sf_buf_free(&m);
    return 0;
}
