/*
 * mojibake.h — repairing text whose UTF-8 bytes were once decoded as
 * Windows-1252 or Latin-1 ("gÃ¼nlÃ¼k" for "günlük", "â€™" for "’"),
 * once or twice over.
 */
#ifndef SF_MOJIBAKE_H
#define SF_MOJIBAKE_H

#include "common.h"

/* Appends s[0..len) to out with mojibake repaired. A repair replaces a run
 * of characters whose Windows-1252/Latin-1 bytes form one well-formed UTF-8
 * sequence (lead U+00C2..U+00F4 then the right number of characters
 * standing for bytes 0x80..0xBF) by the character those bytes encode; the
 * text is repaired again, up to three rounds in all, to undo double
 * encoding. A candidate is refused when the character it would give lies
 * in a block mojibake does not come from, and, when all its trailing
 * characters are ordinary punctuation (quotes, dashes, NBSP, ...), unless
 * a letter or another repair touches it or the text has sure mojibake
 * elsewhere: "Spaß“", "café »" and "AMANHÃ”" stay.
 * Text with no such pattern is appended unchanged; invalid UTF-8 bytes are
 * copied as they are and never take part in a repair.
 * *repairs (if non-NULL) receives the number of characters of the output
 * that came from a repair ("ÃƒÂ©" -> "é" is one). On failure (out of
 * memory) returns false and leaves out as it was. */
bool sf_mojibake_repair(const char *s, size_t len, sf_buf *out,
                        size_t *repairs);

/* False when s[0..len) holds nothing sf_mojibake_repair could repair (no
 * "Ã" followed by a character that starts a pattern): a cheap test that
 * spares the copy of text without mojibake. */
bool sf_mojibake_suspect(const char *s, size_t len);

#endif /* SF_MOJIBAKE_H */
