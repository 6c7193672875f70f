/*
 * story.c — folding on demand and reading stories out: listings and the
 * JSON object of each story.
 */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sf_status sf_engine_fold(sf_engine *e)
{
    if (!e)
        return SF_EINVAL;
    return sf_fold_run(e);
}

/* ------------------------------------------------------------------ */
/* Headlines                                                           */
/* ------------------------------------------------------------------ */

#define HEAD_MEMBERS 16   /* members whose titles stand in for the representative's */
#define HEAD_MAX 120      /* bytes of a headline made from a text */
#define HEAD_SHORT 100    /* bytes of a member's title that is no sentence */

/* Whether the period at s[i] ends a sentence: a space and a capital, a
 * digit, a quote or a character above ASCII follow, and the word before it
 * is no abbreviation ("Mr.", "U.S.", "Capt.": 4 letters or fewer, starting
 * with a capital; a sentence ending in "Iraq." then runs on, and a long
 * headline is cut at a word). */
static bool sentence_end(const char *s, size_t n, size_t i)
{
    if (i + 2 >= n || s[i + 1] != ' ')
        return false;
    unsigned char c = (unsigned char)s[i + 2];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '"' || c >= 0x80))
        return false;
    if (s[i] != '.')
        return true;
    size_t w = i;
    while (w > 0 && s[w - 1] != ' ' && s[w - 1] != '\n')
        w--;
    return !(i - w <= 4 && s[w] >= 'A' && s[w] <= 'Z');
}

/* A headline made from a story's text: its first sentence (or line),
 * without the closing period, cut at a word before HEAD_MAX bytes with
 * "…" when longer. */
static bool headline_from_text(const char *t, size_t n, sf_buf *out)
{
    size_t i = 0;
    while (i < n && (t[i] == ' ' || t[i] == '\n'))
        i++;
    size_t e = i;
    while (e < n && t[e] != '\n' &&
           !((t[e] == '.' || t[e] == '!' || t[e] == '?') && sentence_end(t, n, e)))
        e++;
    bool cut = false;
    if (e - i > HEAD_MAX) {
        size_t c = i + HEAD_MAX;
        while (c > i && t[c] != ' ')
            c--;
        e = c > i ? c : i + HEAD_MAX;
        while (e > i && ((unsigned char)t[e] & 0xC0) == 0x80)   /* (a whole character) */
            e--;
        cut = true;
    } else if (e < n && t[e] == '.') {
        /* the closing period goes; "!" and "?" stay */
    } else if (e < n && t[e] != '\n') {
        e++;
    }
    while (e > i && (t[e - 1] == ' ' || t[e - 1] == ',' || t[e - 1] == ';' || t[e - 1] == ':'))
        e--;
    out->len = 0;
    return sf_buf_append(out, t + i, e - i) && (!cut || sf_buf_puts(out, "\xE2\x80\xA6")) &&
           sf_buf_putc(out, '\0');
}

/* Whether a title can stand as a headline: not empty, and not a bare date
 * line ("TUESDAY, OCTOBER 11, 2011", "Updated: November 11, 2011 20: 09
 * IST"): 4 digits or more with at most 4 words of 3 letters or more. */
static bool usable_title(const char *t)
{
    unsigned digits = 0, words = 0, run = 0;
    for (const char *p = t;; p++) {
        unsigned char c = (unsigned char)*p;
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        digits += c >= '0' && c <= '9';
        if (letter) {
            run++;
            continue;
        }
        words += run >= 3;
        run = 0;
        if (!c)
            break;
    }
    return *t && !(digits >= 4 && words <= 4);
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

static unsigned char lower_ascii(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Whether text (its first HEAD_SCAN bytes) holds w[0..n) as a whole word,
 * ASCII letters in either case. */
#define HEAD_SCAN 2000
static bool text_has_word(const char *text, size_t len, const char *w, size_t n)
{
    if (len > HEAD_SCAN)
        len = HEAD_SCAN;
    for (size_t i = 0; i + n <= len; i++) {
        if (lower_ascii((unsigned char)text[i]) != lower_ascii((unsigned char)w[0]) ||
            (i > 0 && word_byte((unsigned char)text[i - 1])) ||
            (i + n < len && word_byte((unsigned char)text[i + n])))
            continue;
        size_t k = 1;
        while (k < n && lower_ascii((unsigned char)text[i + k]) == lower_ascii((unsigned char)w[k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

/* How well a title speaks for a text: its words of 4 bytes or more that
 * the text holds ("Tara Reid Finally Checks Into Rehab" over "It's about
 * time, right?" for a text about Tara Reid). */
static unsigned title_score(const char *title, const char *text, size_t len)
{
    unsigned score = 0;
    for (const char *p = title; *p;) {
        while (*p && !word_byte((unsigned char)*p))
            p++;
        const char *w = p;
        while (*p && word_byte((unsigned char)*p))
            p++;
        if (p - w >= 4 && text_has_word(text, len, w, (size_t)(p - w)))
            score++;
    }
    return score;
}

/* Story s's headline into out (NUL-terminated): its representative's
 * title; when it has none (a corpus of bare texts) or only a date line,
 * the title among its first HEAD_MEMBERS members' that shares most words
 * with the representative's text (the first of those; one of HEAD_SHORT
 * bytes or fewer before any longer, which reads as a sentence); else one made from
 * that text (or from the first member's that is no copy, when it is
 * empty). x: the story's loaded texts, or NULL (titles and the text are
 * then read as needed, into sbuf and tbuf). */
static sf_status story_headline(const sf_engine *e, const sf_story *s, const sf_story_texts *x,
                                sf_buf *sbuf, sf_buf *tbuf, sf_buf *out)
{
    static const sf_story_texts none;
    if (!x)
        x = &none;
    const uint32_t *mem = e->members + s->first;
    sf_doc_strings ds;
    sf_status st = sf_story_doc_strings(e, x, s->rep, sbuf, &ds);
    if (st != SF_OK)
        return st;
    out->len = 0;
    if (usable_title(ds.title))
        return sf_buf_append(out, ds.title, strlen(ds.title) + 1) ? SF_OK : SF_ENOMEM;
    /* the representative's text, or the first member's that has one */
    const char *text = "";
    size_t len = 0;
    for (uint32_t k = 0; k <= s->count && k <= HEAD_MEMBERS && !len; k++) {
        uint32_t d = k == 0 ? s->rep : mem[k - 1];
        if (k > 0 && e->docs[d].copy_of != SF_NONE)
            continue;   /* (as the story's loaded texts: a copy says what its original says) */
        if (x != &none) {
            text = sf_story_text(e, x, d, &len);
        } else if ((st = sf_doc_text_get(e, &e->docs[d], tbuf, &text, &len)) != SF_OK) {
            return st;
        }
    }
    /* the members' titles: a short one before a long one (a sentence) */
    bool have = false, have_short = false;
    unsigned best = 0;
    for (uint32_t k = 0; k < s->count && k < HEAD_MEMBERS; k++) {
        if ((st = sf_story_doc_strings(e, x, mem[k], sbuf, &ds)) != SF_OK)
            return st;
        if (!usable_title(ds.title))
            continue;
        bool is_short = strlen(ds.title) <= HEAD_SHORT;
        unsigned score = title_score(ds.title, text, len);
        if (have && (have_short > is_short || (have_short == is_short && score <= best)))
            continue;
        have = true;
        have_short = is_short;
        best = score;
        out->len = 0;
        if (!sf_buf_append(out, ds.title, strlen(ds.title) + 1))
            return SF_ENOMEM;
    }
    if (have)
        return SF_OK;
    return headline_from_text(text, len, out) ? SF_OK : SF_ENOMEM;
}

size_t sf_engine_story_count(const sf_engine *e)
{
    return e && e->folded ? e->nstories : 0;
}

int sf_engine_story_changed(const sf_engine *e, size_t i)
{
    if (i >= sf_engine_story_count(e))
        return 0;
    return !e->changed || e->changed[i];
}

const char *sf_engine_story_gone(const sf_engine *e, size_t k)
{
    return e && e->folded && k < e->ngone ? e->gone[k] : NULL;
}

sf_status sf_engine_story_info(const sf_engine *e, size_t i, sf_story_info *out)
{
    if (!e || !out || i >= sf_engine_story_count(e))
        return SF_EINVAL;
    const sf_story *s = &e->stories[i];
    sf_doc_strings ds;
    sf_status st = sf_doc_strings_get(e, &e->docs[s->rep], e->info_buf, &ds);
    if (st != SF_OK)
        return st;
    out->headline = ds.title;
    if (!usable_title(ds.title)) {
        if (e->story_head && e->story_head[i]) {
            out->headline = e->story_head[i];
        } else {
            st = story_headline(e, s, NULL, e->info_buf, e->head_text, e->head_buf);
            if (st != SF_OK)
                return st;
            out->headline = e->head_buf->data;
            if (e->story_head && (e->story_head[i] = sf_strndup(e->head_buf->data,
                                                                 e->head_buf->len - 1)))
                out->headline = e->story_head[i];
        }
    }
    out->id = s->id;
    out->articles = s->count;
    out->copies = s->copies;
    out->related = s->rel_count;
    out->first_date = s->first_date;
    out->last_date = s->last_date;
    return SF_OK;
}

const char *sf_engine_story_article(const sf_engine *e, size_t i, size_t k,
                                    const char **copy_of)
{
    if (!e || i >= sf_engine_story_count(e) || k >= e->stories[i].count)
        return NULL;
    const sf_doc *d = &e->docs[e->members[e->stories[i].first + k]];
    if (copy_of)
        *copy_of = d->copy_of == SF_NONE ? NULL : e->docs[d->copy_of].id;
    return d->id;
}

sf_status sf_engine_story_article_info(const sf_engine *e, size_t i, size_t k,
                                       sf_story_article *out)
{
    if (!e || !out || i >= sf_engine_story_count(e) || k >= e->stories[i].count)
        return SF_EINVAL;
    const sf_doc *d = &e->docs[e->members[e->stories[i].first + k]];
    sf_doc_strings ds;
    sf_status st = sf_doc_strings_get(e, d, e->article_buf, &ds);
    if (st != SF_OK)
        return st;
    out->id = d->id;
    out->title = ds.title;
    out->url = ds.url;
    out->source = ds.source;
    out->date = ds.date;
    out->lang = d->lang == SF_LANG_UNKNOWN ? "" : sf_lang_code(d->lang);
    out->copy_of = d->copy_of == SF_NONE ? NULL : e->docs[d->copy_of].id;
    out->copy_similarity = d->copy_of == SF_NONE ? 0 : d->copy_sim;
    return SF_OK;
}

size_t sf_engine_story_related(const sf_engine *e, size_t i, size_t k)
{
    if (!e || i >= sf_engine_story_count(e) || k >= e->stories[i].rel_count)
        return SIZE_MAX;
    return e->related[e->stories[i].rel_first + k];
}

static bool put_field(sf_buf *b, const char *name, const char *v)
{
    return sf_buf_putc(b, ',') && sf_buf_putc(b, '"') && sf_buf_puts(b, name) &&
           sf_buf_puts(b, "\":") && sf_buf_json_string(b, v, strlen(v));
}

/* Story i as JSON, tokenising facts with t. Returns NULL and *st if out of
 * memory or a spilled text cannot be read. */
static char *story_json(const sf_engine *e, sf_text *t, size_t i, size_t *len, sf_status *st)
{
    const sf_story *s = &e->stories[i];
    const sf_doc *rep = &e->docs[s->rep];
    sf_story_texts tx;
    *st = sf_story_texts_load(e, s, &tx);
    if (*st != SF_OK) {
        sf_story_texts_free(&tx);
        return NULL;
    }
    size_t rep_len;
    const char *rep_text = sf_story_text(e, &tx, s->rep, &rep_len);
    sf_buf b, sb; /* the JSON; a spilled doc's strings */
    sf_buf_init(&b, 0);
    sf_buf_init(&sb, 0);
    sf_doc_strings ds;
    sf_status serr = SF_OK;
    sf_buf head;
    sf_buf_init(&head, 0);
    if ((*st = story_headline(e, s, &tx, &sb, NULL, &head)) != SF_OK) {
        sf_story_texts_free(&tx);
        sf_buf_free(&sb);
        sf_buf_free(&head);
        return NULL;
    }
    bool ok = sf_buf_puts(&b, "{\"id\":\"") && sf_buf_puts(&b, s->id) &&
              sf_buf_puts(&b, "\",\"headline\":") &&
              sf_buf_json_string(&b, head.data, head.len - 1) &&
              sf_buf_puts(&b, ",\"size\":") && sf_buf_put_uint(&b, s->count) &&
              sf_buf_puts(&b, ",\"copies\":") && sf_buf_put_uint(&b, s->copies);
    ok = ok && put_field(&b, "first_date", s->first_date) &&
         put_field(&b, "last_date", s->last_date) && sf_buf_puts(&b, ",\"articles\":[");
    for (uint32_t k = 0; ok && k < s->count; k++) {
        uint32_t di = e->members[s->first + k];
        const sf_doc *d = &e->docs[di];
        if ((serr = sf_story_doc_strings(e, &tx, di, &sb, &ds)) != SF_OK) {
            ok = false;
            break;
        }
        ok = sf_buf_puts(&b, k ? ",{\"id\":" : "{\"id\":") &&
             sf_buf_json_string(&b, d->id, strlen(d->id)) &&
             put_field(&b, "title", ds.title);
        if (ok && *ds.source)
            ok = put_field(&b, "source", ds.source);
        if (ok && *ds.url)
            ok = put_field(&b, "url", ds.url);
        if (ok && *ds.date)
            ok = put_field(&b, "date", ds.date);
        if (ok && d->lang != SF_LANG_UNKNOWN)
            ok = put_field(&b, "lang", sf_lang_code(d->lang));
        if (ok && d->copy_of != SF_NONE)
            ok = put_field(&b, "copy_of", e->docs[d->copy_of].id) &&
                 sf_buf_printf(&b, ",\"copy_similarity\":%.3f", (double)d->copy_sim);
        ok = ok && sf_buf_putc(&b, '}');
    }
    ok = ok && sf_buf_puts(&b, "],\"representative\":") &&
         sf_buf_json_string(&b, rep->id, strlen(rep->id)) &&
         sf_buf_puts(&b, ",\"text\":") && sf_buf_json_string(&b, rep_text, rep_len);
    sf_status fst = SF_OK;
    ok = ok && sf_story_facts_json(e, t, s, &tx, &b, &fst) && sf_buf_puts(&b, ",\"related\":[");
    for (uint32_t k = 0; ok && k < s->rel_count; k++) {
        const sf_story *o = &e->stories[e->related[s->rel_first + k]];
        ok = sf_buf_puts(&b, k ? ",\"" : "\"") && sf_buf_puts(&b, o->id) && sf_buf_putc(&b, '"');
    }
    ok = ok && sf_buf_puts(&b, "]}");
    sf_story_texts_free(&tx);
    sf_buf_free(&sb);
    sf_buf_free(&head);
    if (!ok) {
        *st = serr != SF_OK ? serr : fst != SF_OK ? fst : SF_ENOMEM;
        sf_buf_free(&b);
        return NULL;
    }
    return sf_buf_take(&b, len);
}

char *sf_story_json_text(const sf_engine *e, sf_text *t, size_t i, size_t *len)
{
    if (!e || !t || i >= sf_engine_story_count(e))
        return NULL;
    sf_status st;
    return story_json(e, t, i, len, &st);
}

char *sf_engine_story_json(const sf_engine *e, size_t i, size_t *len)
{
    if (!e || i >= sf_engine_story_count(e))
        return NULL;
    sf_status st;
    return story_json(e, e->workers[0].text, i, len, &st);
}

/* ---- stories in parallel ------------------------------------------------ */

typedef struct story_list {
    const sf_engine *e;
    const size_t *idx;
    char **json;
    size_t *len;
} story_list;

static void list_item(void *ctx, sf_worker *w, size_t k)
{
    story_list *l = ctx;
    sf_status st;
    l->json[k] = story_json(l->e, w->text, l->idx[k], &l->len[k], &st);
}

void sf_engine_stories_json(sf_engine *e, const size_t *idx, size_t n, char **json, size_t *len)
{
    story_list l = {.e = e, .idx = idx, .json = json, .len = len};
    sf_engine_parallel(e, n, list_item, &l);
}

/* ---- every story, in parallel ------------------------------------------- */

#define STORIES_PER_ROUND 1024

typedef struct story_round {
    const sf_engine *e;
    size_t first;              /* stories [first, first + n) */
    char **json;               /* json[k] of story first + k (NULL: failed, see st) */
    size_t *len;
    sf_status *st;
} story_round;

static void story_item(void *ctx, sf_worker *w, size_t k)
{
    story_round *r = ctx;
    r->json[k] = story_json(r->e, w->text, r->first + k, &r->len[k], &r->st[k]);
}

sf_status sf_engine_each_story_json(sf_engine *e, sf_story_json_fn fn, void *ctx)
{
    if (!e || !fn)
        return SF_EINVAL;
    size_t ns = sf_engine_story_count(e);
    char *json[STORIES_PER_ROUND];
    size_t len[STORIES_PER_ROUND];
    sf_status sts[STORIES_PER_ROUND];
    sf_status st = SF_OK;
    for (size_t first = 0; first < ns && st == SF_OK; first += STORIES_PER_ROUND) {
        story_round r = {.e = e, .first = first, .json = json, .len = len, .st = sts};
        size_t n = ns - first < STORIES_PER_ROUND ? ns - first : STORIES_PER_ROUND;
        sf_engine_parallel(e, n, story_item, &r);
        for (size_t k = 0; k < n; k++) {
            if (st == SF_OK && !json[k])
                st = sts[k] != SF_OK ? sts[k] : SF_ENOMEM;
            if (st == SF_OK && fn(ctx, first + k, json[k], len[k]) != 0)
                st = SF_END;
            free(json[k]);
        }
    }
    return st == SF_END ? SF_OK : st;
}
