/*
 * fuzz_utf8.c — libFuzzer target for UTF-8 validation and repair.
 *
 * Checks the repair's contract on any bytes: the output is valid UTF-8 and
 * has no NUL; input that is valid (and NUL-free) comes back unchanged with
 * no repairs; repairing the output again changes nothing; each U+FFFD
 * stands for at least one input byte.
 */
#include "fuzz.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    sf_buf out, again;
    sf_buf_init(&out, 0);
    sf_buf_init(&again, 0);
    size_t repairs = 0, repairs2 = 1;
    CHECK(sf_utf8_repair(s, size, &out, &repairs));
    const char *o = out.data ? out.data : "";
    CHECK(sf_utf8_valid(o, out.len));
    CHECK(memchr(o, 0, out.len) == NULL);
    CHECK(repairs <= size);
    CHECK(out.len <= size + 2 * repairs);
    bool has_nul = memchr(s, 0, size) != NULL;
    CHECK(sf_utf8_valid(s, size) == (repairs == 0) || has_nul);
    if (repairs == 0 && !has_nul)
        CHECK(out.len == size && memcmp(o, s, size) == 0);
    CHECK(sf_utf8_repair(o, out.len, &again, &repairs2));
    CHECK(repairs2 == 0 && again.len == out.len);
    CHECK(memcmp(again.data ? again.data : "", o, out.len) == 0);
    sf_buf_free(&out);
    sf_buf_free(&again);
    return 0;
}
