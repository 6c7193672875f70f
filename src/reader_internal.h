/*
 * reader_internal.h — entry points of the input reader that are not part of
 * the public API: reading JSON Lines from memory (fuzzing, tests) and
 * hooks that shrink the read buffer (to exercise refills and split lines)
 * or turn off the fast JSON path (to compare it with jansson).
 */
#ifndef SF_READER_INTERNAL_H
#define SF_READER_INTERNAL_H

#include "common.h"

/* Opens a reader over JSON Lines held in memory, exactly as if they were
 * read from a file named name (used in ids and errors; NULL = "<memory>").
 * data is borrowed and must stay valid and unchanged until the reader is
 * freed. Returns NULL (err filled) only if out of memory. */
sf_reader *sf_reader_open_memory(const void *data, size_t len, const char *name,
                                 const sf_reader_options *opt, sf_error *err);

/* Test hook: makes the JSON Lines read buffer start at chunk bytes and
 * every read fetch at most chunk bytes (chunk >= 1). Only effective before
 * the first sf_reader_next(). */
void sf_reader_set_chunk(sf_reader *r, size_t chunk);

/* Test hook: turns the fast JSON path off (on by default), so that every
 * line is read by jansson, the reference the fast path must agree with. */
void sf_reader_set_fast(sf_reader *r, bool on);

#endif /* SF_READER_INTERNAL_H */
