/*
 * clean_glued.h — code and markup glued into a prose line (clean_glued.c):
 * finding them, and cutting such a line into pieces that the cleaner then
 * judges as lines of their own.
 */
#ifndef SF_CLEAN_GLUED_H
#define SF_CLEAN_GLUED_H

#include "clean.h"

/* A line is looked at only if it holds one of these (clean.h MARK_*). */
#define SF_GLUED_MARKS (MARK_LT | MARK_BRACE | MARK_SEMI | MARK_EQ)

/* Runs of code cut from one line at most; later ones stay in the text. */
enum { SF_GLUED_MAX = 16 };

typedef struct sf_span {
    size_t off, len;
} sf_span;

/* The runs of code glued to prose in the line s[0..n): CSS rules, script
 * statements, JSON objects, HTML tags, shortcodes and template
 * placeholders that start at white space (or right after a sentence's
 * stop), end at white space and stand between sentences (the text before a
 * run ends a sentence or the line starts there; the text after it starts
 * one or the line ends). A line that is code from end to end, or with
 * fewer than 3 words beside its code, gives none: it is judged whole.
 * Writes at most max spans, in order, to out and returns their number. */
size_t sf_glued_find(const char *s, size_t n, sf_span *out, size_t max);

/* Cuts every line of d that holds glued code into pieces: the code runs
 * (sf_line.code_piece set) and the text between them, each a line of its
 * own with the line's number and its own features (sf_clean_lines on the
 * piece alone, in the page's language). Called at the end of
 * sf_clean_lines. Returns SF_OK or SF_ENOMEM (d is
 * then left as it was). */
sf_status sf_glued_split(sf_clean_doc *d);

#endif /* SF_CLEAN_GLUED_H */
