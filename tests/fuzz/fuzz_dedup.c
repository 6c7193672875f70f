/*
 * fuzz_dedup.c — libFuzzer target for the words of raw text and sf_dedup.
 *
 * The input is a text (any bytes). Checks that sf_plain_words gives the
 * words a character-by-character reference gives (lower-cased runs of
 * letters, numbers and '_'; bad UTF-8 separates), that a text's sketch
 * equals itself, and that sf_dedup finds a text's second copy exact and
 * keeps a text without words apart.
 */
#include "fuzz.h"
#include "sketch.h"

#include <string.h>
#include <utf8proc.h>

static bool word_char(utf8proc_int32_t c)
{
    if (c == '_')
        return true;
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL ||
           k == UTF8PROC_CATEGORY_LT || k == UTF8PROC_CATEGORY_LM ||
           k == UTF8PROC_CATEGORY_LO || k == UTF8PROC_CATEGORY_ND ||
           k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sf_sketch_scratch s;
    const char *text = (const char *)data;
    size_t n = sf_plain_words(&s, text, size);
    CHECK(n != SIZE_MAX);
    CHECK(n <= size / 2 + 1);
    /* the reference, word by word */
    unsigned char *word = malloc(4 * size + 8);
    CHECK(word);
    size_t wl = 0, k = 0;
    for (size_t i = 0; i <= size;) {
        utf8proc_int32_t c = -1;
        utf8proc_ssize_t m = i < size ? utf8proc_iterate(data + i, (utf8proc_ssize_t)(size - i), &c) : 0;
        if (m > 0 && word_char(c)) {
            wl += (size_t)utf8proc_encode_char(utf8proc_tolower(c), word + wl);
        } else if (wl) {
            CHECK(k < n && s.words[k] == sf_plain_word_hash(word, wl));
            k++;
            wl = 0;
        }
        i += m > 0 ? (size_t)m : 1;
    }
    free(word);
    CHECK(k == n);

    sf_sketch a, b;
    CHECK(sf_sketch_text(&s, text, size, 5, &a));
    CHECK(sf_sketch_text(&s, text, size, 5, &b));
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    CHECK((a.shingles == 0) == (n == 0));

    sf_dedup *d = sf_dedup_new(NULL);
    CHECK(d);
    sf_article arts[3];
    memset(arts, 0, sizeof arts);
    arts[0].text = arts[1].text = text;
    arts[0].text_len = arts[1].text_len = size;
    arts[2].text = text;
    arts[2].text_len = size / 2;
    sf_dedup_result r[3];
    CHECK(sf_dedup_add_batch(d, arts, 3, r) == SF_OK);
    CHECK(r[0].copy_of == SF_DEDUP_NONE && r[0].group == 0);
    if (n) {
        CHECK(r[1].copy_of == 0 && r[1].exact && r[1].similarity == 1.0);
    } else {
        CHECK(r[1].copy_of == SF_DEDUP_NONE && r[1].shingles == 0);
    }
    CHECK(r[2].copy_of == SF_DEDUP_NONE || r[2].copy_of < 2);
    sf_dedup_free(d);
    return 0;
}
