/*
 * harness.h — what every unit test includes: cmocka and a few helpers.
 */
#ifndef SF_TEST_HARNESS_H
#define SF_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "storyfold.h"

/* Directory holding the test fixtures (tests/data), from the environment
 * the runner sets, or relative to the repository root. */
static inline const char *test_data_dir(void)
{
    const char *d = getenv("SF_TEST_DATA");
    return d ? d : "tests/data";
}

/* Builds "<data dir>/<name>" in a static buffer. */
static inline const char *test_path(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", test_data_dir(), name);
    return buf;
}

/* Writes bytes to a new temporary file and returns its path (static). */
static inline const char *test_tmpfile(const void *bytes, size_t n)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/sf_test_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return path;
}

/* Checks |a - b| <= eps in double precision (cmocka's float version
 * loses precision). */
#define assert_near(a, b, eps)                                                 \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                           \
            fail_msg("%s = %.9g, expected %.9g", #a, a_, b_);                  \
    } while (0)

/* True if haystack[0..n) contains needle. */
static inline int test_contains(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return 1;
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

#endif
