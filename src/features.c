/*
 * features.c — an article's features saved as bytes and read back
 * (layout in engine.h), so that a store rebuilds its engine from what it
 * kept instead of cleaning and sketching every article again.
 */
#include "engine.h"
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#define CHECK_SEED 0x5fea7u
#define PLACE_CODE_BYTES 8  /* a place code, NUL-padded ("US-MO") */

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t get16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Orders (hash, count) pairs by hash. */
typedef struct hash_count {
    uint64_t hash;
    uint16_t count;
} hash_count;

static int cmp_hash_count(const void *a, const void *b)
{
    uint64_t x = ((const hash_count *)a)->hash, y = ((const hash_count *)b)->hash;
    return x < y ? -1 : x > y;
}

bool sf_doc_features_save(const sf_dict *dict, const sf_doc *d, unsigned shingle_words,
                          sf_buf *out)
{
    if (!d->title || !d->text || !d->sketch) /* (spilled) */
        return false;
    size_t tlen = strlen(d->title);
    if (d->nterms > UINT32_MAX / 16 || tlen > UINT32_MAX || shingle_words > 255 ||
        (d->nterms && !d->term_id))
        return false; /* (an engine that spills texts and terms saves nothing) */
    size_t bytes = SF_FEATURES_HEADER + (size_t)d->nterms * 10 + tlen + 8;
    /* the saved terms are hashes, ascending (the layout does not depend
     * on an engine's dictionary) */
    hash_count *hc = malloc((d->nterms ? d->nterms : 1) * sizeof *hc);
    if (!hc || !sf_buf_reserve(out, bytes)) {
        free(hc);
        return false;
    }
    for (uint32_t i = 0; i < d->nterms; i++) {
        hc[i].hash = dict->hash[d->term_id[i]];
        hc[i].count = d->term_count[i];
    }
    qsort(hc, d->nterms, sizeof *hc, cmp_hash_count);
    unsigned char *p = (unsigned char *)out->data + out->len;
    memset(p, 0, SF_FEATURES_HEADER);
    p[0] = SF_FEATURES_VERSION;
    p[1] = (unsigned char)shingle_words;
    p[2] = (unsigned char)d->lang;
    put32(p + 4, d->nterms);
    put32(p + 8, (uint32_t)tlen);
    put32(p + 12, d->sketch->shingles);
    put64(p + 16, d->exact);
    for (int i = 0; i < SF_DOC_NAMES; i++)
        put64(p + 24 + 8 * i, d->names[i]);
    memcpy(p + 72, d->ages, SF_DOC_AGES);
    for (int i = 0; i < SF_SKETCH_K; i++)
        put16(p + 80 + 2 * i, d->sketch->v[i]);
    /* places by their codes (indices change with the gazetteer) */
    for (int i = 0; i < SF_DOC_LEAD_CC + SF_DOC_ALL_CC; i++) {
        uint8_t cc = i < SF_DOC_LEAD_CC ? d->lead_cc[i] : d->all_cc[i - SF_DOC_LEAD_CC];
        const char *code = cc == SF_CC_MANY ? "*" : cc ? sf_place_code(cc) : "";
        size_t n = code ? strlen(code) : 0;
        memcpy(p + 336 + PLACE_CODE_BYTES * i, code, n < PLACE_CODE_BYTES ? n : PLACE_CODE_BYTES - 1);
    }
    unsigned char *q = p + SF_FEATURES_HEADER;
    for (uint32_t i = 0; i < d->nterms; i++, q += 8)
        put64(q, hc[i].hash);
    for (uint32_t i = 0; i < d->nterms; i++, q += 2)
        put16(q, hc[i].count);
    free(hc);
    if (tlen)
        memcpy(q, d->title, tlen);
    q += tlen;
    uint64_t seed = sf_hash64(d->text, d->text_len, CHECK_SEED);
    put64(q, sf_hash64(p, (size_t)(q - p), seed));
    out->len += bytes;
    out->data[out->len] = '\0';
    return true;
}

/* Checks saved features against the clean text they go with; on
 * SF_FEATURES_OK *nterms and *tlen are their term count and title length. */
static sf_features_check check_saved(const unsigned char *p, size_t len, const char *clean,
                                     size_t clean_len, unsigned shingle_words,
                                     uint32_t *nterms, uint32_t *tlen, const char **why)
{
    if (!p || len < SF_FEATURES_HEADER + 8) {
        *why = "too short";
        return SF_FEATURES_CORRUPT;
    }
    if (p[0] != SF_FEATURES_VERSION) {
        /* a version this library does not write may use another layout:
         * nothing more can be checked */
        *why = p[0] == 0 || p[0] > SF_FEATURES_VERSION ? "unknown version" : "older version";
        return p[0] == 0 || p[0] > SF_FEATURES_VERSION ? SF_FEATURES_CORRUPT
                                                       : SF_FEATURES_STALE;
    }
    *nterms = get32(p + 4);
    *tlen = get32(p + 8);
    if ((uint64_t)SF_FEATURES_HEADER + (uint64_t)*nterms * 10 + *tlen + 8 != len) {
        *why = "length does not match its counts";
        return SF_FEATURES_CORRUPT;
    }
    uint64_t seed = sf_hash64(clean, clean_len, CHECK_SEED);
    if (sf_hash64(p, len - 8, seed) != get64(p + len - 8)) {
        *why = "checksum does not match (bytes or clean text changed)";
        return SF_FEATURES_CORRUPT;
    }
    if (p[2] >= SF_LANG_COUNT || p[3] != 0) {
        *why = "bad language";
        return SF_FEATURES_CORRUPT;
    }
    for (int i = 0; i < SF_DOC_LEAD_CC + SF_DOC_ALL_CC; i++) {
        const unsigned char *c = p + 336 + PLACE_CODE_BYTES * i;
        if (c[PLACE_CODE_BYTES - 1] != 0) {
            *why = "bad place code";
            return SF_FEATURES_CORRUPT;
        }
        /* a code the gazetteer no longer has: computed again */
        if (c[0] && strcmp((const char *)c, "*") != 0 && !sf_place_code_index((const char *)c)) {
            *why = "place code unknown to this gazetteer";
            return SF_FEATURES_STALE;
        }
    }
    for (int i = 0; i < SF_DOC_AGES; i++)
        if (p[72 + i] > 109) {
            *why = "bad age";
            return SF_FEATURES_CORRUPT;
        }
    const unsigned char *h = p + SF_FEATURES_HEADER;
    for (uint32_t i = 1; i < *nterms; i++)
        if (get64(h + 8 * (i - 1)) >= get64(h + 8 * i)) {
            *why = "terms out of order";
            return SF_FEATURES_CORRUPT;
        }
    const unsigned char *title = h + (size_t)*nterms * 10;
    if (*tlen && memchr(title, '\0', *tlen)) {
        *why = "bad title";
        return SF_FEATURES_CORRUPT;
    }
    if (p[1] != shingle_words) {
        *why = "another shingle size";
        return SF_FEATURES_STALE;
    }
    *why = "";
    return SF_FEATURES_OK;
}

sf_status sf_engine_add_features(sf_engine *e, const sf_article *a, const char *clean,
                                 size_t clean_len, const void *saved, size_t len,
                                 sf_features_check *check, const char **why)
{
    const char *reason = "";
    sf_features_check c = SF_FEATURES_CORRUPT;
    if (check)
        *check = c;
    if (why)
        *why = "";
    if (!e || !a || (!clean && clean_len))
        return SF_EINVAL;
    uint32_t nterms = 0, tlen = 0;
    c = check_saved(saved, len, clean ? clean : "", clean_len, e->opt.shingle_words, &nterms,
                    &tlen, &reason);
    if (check)
        *check = c;
    if (why)
        *why = reason;
    if (c != SF_FEATURES_OK)
        return SF_EPARSE;
    if (e->n >= SF_NONE - 1)
        return SF_ETOOBIG;
    if (!SF_GROW(e->docs, e->cap, e->n + 1))
        return SF_ENOMEM;
    const unsigned char *p = saved;
    sf_doc *d = &e->docs[e->n];
    memset(d, 0, sizeof *d);
    d->day = sf_parse_day(a->date, a->date ? a->date_len : 0);
    d->lang = (sf_lang)p[2];
    d->exact = get64(p + 16);
    d->copy_of = SF_NONE;
    d->story = SF_NONE;
    for (int i = 0; i < SF_DOC_NAMES; i++)
        d->names[i] = get64(p + 24 + 8 * i);
    memcpy(d->ages, p + 72, SF_DOC_AGES);
    for (int i = 0; i < SF_DOC_LEAD_CC + SF_DOC_ALL_CC; i++) {
        const char *code = (const char *)p + 336 + PLACE_CODE_BYTES * i;
        uint8_t cc = strcmp(code, "*") == 0 ? SF_CC_MANY : (uint8_t)sf_place_code_index(code);
        if (i < SF_DOC_LEAD_CC)
            d->lead_cc[i] = cc;
        else
            d->all_cc[i - SF_DOC_LEAD_CC] = cc;
    }

    /* one block of the first worker's arena, laid out as keep_doc does */
    size_t lens[4] = {a->id ? a->id_len : 0, a->url ? a->url_len : 0,
                      a->source ? a->source_len : 0, a->date ? a->date_len : 0};
    size_t bytes = sizeof(sf_sketch) +
                   (size_t)nterms * (sizeof *d->term_id + sizeof *d->term_count) + tlen +
                   clean_len + 6;
    for (int i = 0; i < 4; i++)
        bytes += lens[i];
    uint64_t *hash = malloc((nterms ? nterms : 1) * sizeof *hash);
    uint64_t *tmp = malloc((nterms ? nterms : 1) * sizeof *tmp);
    char *block = hash && tmp ? sf_arena_alloc(&e->workers[0].strings, bytes) : NULL;
    if (!block) {
        free(hash);
        free(tmp);
        return SF_ENOMEM;
    }
    sf_sketch *sk = (sf_sketch *)(void *)block;
    sk->shingles = get32(p + 12);
    for (int i = 0; i < SF_SKETCH_K; i++)
        sk->v[i] = get16(p + 80 + 2 * i);
    d->sketch = sk;
    d->shingles = sk->shingles;
    uint32_t *id = (uint32_t *)(void *)(sk + 1);
    uint16_t *count = (uint16_t *)(void *)(id + nterms);
    const unsigned char *q = p + SF_FEATURES_HEADER;
    for (uint32_t i = 0; i < nterms; i++, q += 8)
        hash[i] = get64(q);
    for (uint32_t i = 0; i < nterms; i++, q += 2)
        count[i] = get16(q);
    d->term_id = id;
    d->term_count = count;
    d->nterms = nterms;
    bool numbered = sf_dict_number(&e->dict, hash, count, nterms, tmp);
    if (numbered)
        sf_terms_unpack(tmp, nterms, id, count);
    free(hash);
    free(tmp);
    if (!numbered)
        return SF_ENOMEM;
    char *s = (char *)(count + nterms);
    d->id = sf_put_string(&s, a->id, lens[0]);
    d->title = sf_put_string(&s, (const char *)q, tlen);
    d->url = sf_put_string(&s, a->url, lens[1]);
    d->source = sf_put_string(&s, a->source, lens[2]);
    d->date = sf_put_string(&s, a->date, lens[3]);
    d->text = sf_put_string(&s, clean, clean_len);
    d->text_len = clean_len;
    e->n++;
    e->folded = false;
    return SF_OK;
}
