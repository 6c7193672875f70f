/*
 * utf8.h — validating and repairing UTF-8.
 */
#ifndef SF_UTF8_H
#define SF_UTF8_H

#include "common.h"

/* Returns true if s[0..len) is valid UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
bool sf_utf8_valid(const char *s, size_t len);

/* Appends s to out with every maximal invalid subsequence replaced by
 * U+FFFD (as the Unicode standard recommends) and NUL bytes dropped.
 * *repairs (if non-NULL) receives the number of replacements.
 * Returns false if out of memory. */
bool sf_utf8_repair(const char *s, size_t len, sf_buf *out, size_t *repairs);

#endif /* SF_UTF8_H */
