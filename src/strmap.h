/*
 * strmap.h — a hash map from byte strings to 64-bit values (open
 * addressing, linear probing). Keys are copied into the map's own arena.
 */
#ifndef SF_STRMAP_H
#define SF_STRMAP_H

#include "common.h"

typedef struct sf_strmap_slot {
    const char *key;
    size_t len;
    uint64_t hash;
    uint64_t value;
} sf_strmap_slot;

typedef struct sf_strmap {
    sf_strmap_slot *slots;
    size_t mask;     /* capacity - 1; capacity is a power of two */
    size_t count;
    sf_arena keys;
} sf_strmap;

void sf_strmap_init(sf_strmap *m);
void sf_strmap_free(sf_strmap *m);

/* Returns the value slot for key, or NULL if absent. */
uint64_t *sf_strmap_get(const sf_strmap *m, const char *key, size_t len);

/* Inserts key with value if absent. Returns the value slot (existing or
 * new), setting *added when it was inserted; NULL if out of memory. */
uint64_t *sf_strmap_put(sf_strmap *m, const char *key, size_t len,
                        uint64_t value, bool *added);

#endif /* SF_STRMAP_H */
