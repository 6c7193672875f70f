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
    const sf_doc *rep = &e->docs[s->rep];
    sf_doc_strings ds;
    sf_status st = sf_doc_strings_get(e, rep, e->info_buf, &ds);
    if (st != SF_OK)
        return st;
    out->id = s->id;
    out->headline = ds.title;
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
    if ((*st = sf_story_doc_strings(e, &tx, s->rep, &sb, &ds)) != SF_OK) {
        sf_story_texts_free(&tx);
        sf_buf_free(&sb);
        return NULL;
    }
    bool ok = sf_buf_puts(&b, "{\"id\":\"") && sf_buf_puts(&b, s->id) &&
              sf_buf_puts(&b, "\",\"headline\":") &&
              sf_buf_json_string(&b, ds.title, strlen(ds.title)) &&
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
