/*
 * strmap.c — string-keyed hash map.
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

void sf_strmap_init(sf_strmap *m)
{
    m->slots = NULL;
    m->mask = 0;
    m->count = 0;
    sf_arena_init(&m->keys, 0);
}

void sf_strmap_free(sf_strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->mask = 0;
    m->count = 0;
    sf_arena_free(&m->keys);
}

static sf_strmap_slot *find(const sf_strmap *m, const char *key, size_t len,
                            uint64_t h)
{
    size_t i = (size_t)h & m->mask;
    for (;;) {
        sf_strmap_slot *s = &m->slots[i];
        if (!s->key)
            return s;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
        i = (i + 1) & m->mask;
    }
}

uint64_t *sf_strmap_get(const sf_strmap *m, const char *key, size_t len)
{
    if (!m->slots)
        return NULL;
    sf_strmap_slot *s = find(m, key, len, sf_hash64(key, len, 0));
    return s->key ? &s->value : NULL;
}

static bool grow(sf_strmap *m)
{
    size_t cap = m->slots ? (m->mask + 1) * 2 : 64;
    sf_strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    sf_strmap old = *m;
    m->slots = slots;
    m->mask = cap - 1;
    if (old.slots) {
        for (size_t i = 0; i <= old.mask; i++)
            if (old.slots[i].key)
                *find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) =
                    old.slots[i];
        free(old.slots);
    }
    return true;
}

uint64_t *sf_strmap_put(sf_strmap *m, const char *key, size_t len,
                        uint64_t value, bool *added)
{
    if (added)
        *added = false;
    if (!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3)
        if (!grow(m))
            return NULL;
    uint64_t h = sf_hash64(key, len, 0);
    sf_strmap_slot *s = find(m, key, len, h);
    if (s->key)
        return &s->value;
    char *k = sf_arena_strndup(&m->keys, key, len);
    if (!k)
        return NULL;
    s->key = k;
    s->len = len;
    s->hash = h;
    s->value = value;
    m->count++;
    if (added)
        *added = true;
    return &s->value;
}
