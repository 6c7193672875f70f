/*
 * engine.h — the engine's internal state, shared by engine.c (adding
 * articles: clean, features), fold.c (copies, events, related stories) and
 * story.c (writing stories). Not part of the public API.
 */
#ifndef SF_ENGINE_H
#define SF_ENGINE_H

#include "common.h"
#include "sketch.h"
#include "text.h"

#define SF_NONE UINT32_MAX
#define SF_NO_DAY INT32_MIN

/* A content term of an article while it is made: hash of its normalised
 * (stemmed) form and its weighted count before IDF. */
typedef struct sf_term {
    uint64_t hash;
    float count;
} sf_term;

/* Largest weighted count kept for a term (counts are whole numbers: the
 * occurrence weights in engine.c are). */
#define SF_TERM_COUNT_MAX UINT16_MAX

#define SF_DOC_NAMES 6
#define SF_DOC_AGES 6
#define SF_NAME_REPEATS 4
#define SF_DOC_LEAD_CC 2
#define SF_DOC_ALL_CC 4
#define SF_CC_MANY 0xFF
#define SF_PLACE_LEAD_WORDS 40  /* the lead, for places: the body's first words */

/* What the engine keeps of an article (docs/ALGORITHMS.md, "What is kept
 * per article"). The strings are NUL-terminated and share one block of
 * the worker's arena with the term arrays. */
typedef struct sf_doc {
    /* title, url, source and date are NULL when spilled: they are written
     * to the text's file just before the text (meta_len bytes, each
     * NUL-terminated), read back with sf_doc_strings */
    const char *id, *title, *url, *source, *date;
    const char *text;            /* clean text; NULL when spilled (sf_story_texts) */
    size_t text_len;
    uint64_t text_off;           /* spilled: where in workers[text_file]'s spill file */
    int32_t day;                 /* days since 1970-01-01 or SF_NO_DAY */
    sf_lang lang;
    uint64_t exact;              /* hash of the normalised token stream */
    /* content terms: ids in the engine's dictionary, ascending, and their
     * weighted counts (saturated); both NULL when spilled, then read with
     * sf_doc_terms from e->terms_fd at terms_off */
    const uint32_t *term_id;
    const uint16_t *term_count;
    uint64_t terms_off;
    uint32_t nterms;
    uint32_t shingles;           /* shingles of the text (0: no words): sketch->shingles */
    uint32_t meta_len;           /* spilled: bytes of title, url, source, date before the text */
    uint32_t copy_of;            /* index of the article this copies, or SF_NONE */
    float copy_sim;              /* estimated similarity to that article */
    uint32_t story;              /* index of its story after a fold */
    /* Who the article is about: names it repeats (the stemmed last word of
     * capitalised spans seen SF_NAME_REPEATS times or more, a lone word
     * starting a sentence counting when the article also names it
     * elsewhere: "Jamal Williams ... Williams was"; 0 = none) and
     * the ages it states ("33-year-old", "aged 25", "Jackson, 25,"). */
    uint64_t names[SF_DOC_NAMES];
    uint8_t ages[SF_DOC_AGES];   /* 0 = none */
    uint8_t text_file;           /* spilled: the worker that wrote the text */
    /* Where the article is: the countries (sf_place_index; 0 = none) of the
     * places its lead names ("ANKARA, March 12 (Reuters) - ... eastern
     * Turkey"), and of every place it names; all_cc[SF_DOC_ALL_CC - 1] is
     * SF_CC_MANY when it names more countries than all_cc holds. */
    uint8_t lead_cc[SF_DOC_LEAD_CC];
    uint8_t all_cc[SF_DOC_ALL_CC];
    /* MinHash signature of the word shingles: in the doc's block, or NULL
     * when spilled (then after its terms: sf_doc_sketch) */
    const sf_sketch *sketch;
    /* The facts story JSON reads from the clean text (story_facts.c),
     * kept once read: a function of text, lang and day alone, so a story
     * rewritten does not tokenise its members again. NULL until first
     * read; owned by the doc (freed with the engine). */
    struct sf_doc_facts *facts;
} sf_doc;

typedef struct sf_story {
    uint32_t first;              /* index into members */
    uint32_t count;
    uint32_t rep;                /* representative article (doc index) */
    uint32_t rel_first, rel_count; /* index into related */
    uint32_t copies;
    int32_t first_day, last_day;
    char id[24];
    char first_date[16], last_date[16]; /* "YYYY-MM-DD" or "" */
} sf_story;

/* The engine's dictionary of terms: each term hash an added article holds
 * gets a dense id, in the order articles were added (sf_engine_add_batch
 * numbers a batch's terms after cleaning it, in input order: ids never
 * depend on the threads). Docs keep ids (4 bytes a term, not 8), and the
 * fold counts document frequencies in an array indexed by id. */
typedef struct sf_dict_slot {
    uint64_t key;
    uint32_t id;                 /* id + 1; 0 = empty slot */
} sf_dict_slot;

typedef struct sf_dict {
    uint64_t *hash;              /* per id: the term's hash */
    size_t n, cap;
    sf_dict_slot *slot;          /* open addressing, at most 3/4 full */
    size_t mask;
} sf_dict;

/* The id of term hash h, or SF_NONE. The lookup table must be there
 * (sf_dict_ready). */
uint32_t sf_dict_find(const sf_dict *d, uint64_t h);
/* Makes the lookup table again from the ids' hashes if it was let go
 * (sf_dict_drop_slots); false if out of memory. sf_dict_add does it. */
bool sf_dict_ready(sf_dict *d);
/* Lets the lookup table go (a fold under a memory limit, once it has
 * looked up what it needs): the ids and their hashes stay. */
void sf_dict_drop_slots(sf_dict *d);
/* The id of h, given a new one if needed; SF_NONE if out of memory. */
uint32_t sf_dict_add(sf_dict *d, uint64_t h);
void sf_dict_free(sf_dict *d);

/* Numbers m terms (hash[t] with count[t]) in dict: tmp[0..m) gets them as
 * id << 16 | count, ascending. Returns false if out of memory. */
bool sf_dict_number(sf_dict *dict, const uint64_t *hash, const uint16_t *count, uint32_t m,
                    uint64_t *tmp);
/* Splits what sf_dict_number made into ids and counts. */
void sf_terms_unpack(const uint64_t *tmp, uint32_t m, uint32_t *id, uint16_t *count);

/* Doc d's MinHash signature: its own, or when spilled read into *tmp.
 * NULL if it cannot be read. */
const sf_sketch *sf_doc_sketch(const sf_engine *e, const sf_doc *d, sf_sketch *tmp);
/* The same, reading through buf as sf_doc_terms does (for docs taken in
 * order); copied into *tmp. */
const sf_sketch *sf_doc_sketch_in(const sf_engine *e, const sf_doc *d, sf_buf *buf,
                                  sf_sketch *tmp);

/* Doc d's title, url, source and date: its own, or when spilled read into
 * buf (kept until the next call with it). Returns SF_OK, SF_EIO or
 * SF_ENOMEM (then the four are ""). */
typedef struct sf_doc_strings {
    const char *title, *url, *source, *date;
} sf_doc_strings;
sf_status sf_doc_strings_get(const sf_engine *e, const sf_doc *d, sf_buf *buf,
                             sf_doc_strings *out);

/* Doc d's term ids and counts: its own arrays, or when spilled read into
 * buf (kept for the next call: it holds up to 128 KiB of the file from
 * the doc read last on, so that docs taken in order cost one read for
 * many). Returns SF_OK, SF_EIO or SF_ENOMEM. */
sf_status sf_doc_terms(const sf_engine *e, const sf_doc *d, sf_buf *buf, const uint32_t **id,
                       const uint16_t **count);

/* A name key of the article being made: how often it is read as a name
 * (inside a sentence, or in a span of several capitalised words), and how
 * often as a lone capitalised word starting a sentence ("Williams was"),
 * which counts only for a key that is also read as a name. */
typedef struct sf_name_count {
    uint64_t hash;
    uint32_t named, starts;
} sf_name_count;

/* What one thread needs to turn articles into sf_docs. Each worker owns
 * the memory of the docs it made (strings, terms) for the engine's life, so
 * docs made in parallel need no copying. */
typedef struct sf_worker {
    sf_text *text;
    sf_arena strings;            /* its docs' strings and term arrays */
    uint64_t *words;             /* scratch, reused between articles */
    size_t nwords, words_cap;
    sf_term *tscratch;           /* the article's distinct terms so far */
    size_t ntscratch, tscratch_cap;
    sf_term *tsorted;            /* scratch for sorting them, tscratch_cap */
    struct sf_term_slot *tslot;  /* hash table over tscratch: tslot_mask + 1 */
    size_t tslot_mask;
    uint32_t tgen;               /* slots of other generations are empty */
    sf_name_count *names;        /* name keys of the article being made, counted */
    size_t nnames, names_cap;
    double clean_seconds, feature_seconds;
    unsigned index;              /* its place in the engine's workers */
    /* Term hashes of the docs made since the dictionary last numbered
     * them (sf_doc_features leaves a doc's hashes here, ascending; its id
     * array waits to be filled) */
    uint64_t *pend;
    uint16_t *pend_count;        /* and their counts */
    size_t npend, pend_cap;
    sf_sketch *pend_sketch;      /* signatures of the docs made since, when spilling */
    size_t npend_sketch, pend_sketch_cap;
    /* Texts spilled to disk (sf_engine_spill): an unlinked temporary
     * file this worker appends its docs' clean texts to, or -1 (then
     * its docs keep texts and terms in memory). */
    int spill_fd;
    uint64_t spill_off;          /* bytes written to it */
    sf_buf page;                 /* scratch: the title line and the body */
} sf_worker;

/* Sets up a worker (returns false if out of memory; sf_worker_free is
 * then still needed) and frees what it owns, the docs' memory included. */
bool sf_worker_init(sf_worker *w);
void sf_worker_free(sf_worker *w);

/* Computes the features of an article whose page is already cleaned
 * (title: the clean title; text: what the features are read from, the
 * page's title line and the body; body: the clean body, kept for facts
 * and stories; lang: the cleaner's language or SF_LANG_UNKNOWN) into *d,
 * keeping what d points to in w's arena.
 * Everything sf_engine_add does after cleaning; bench/ times it alone.
 * The doc's term hashes and counts are left as the last d->nterms of
 * w->pend and w->pend_count, for the engine to number: until then
 * d->term_id (room for them, NULL when w spills) is not filled. When w
 * spills, the doc's signature is the last of w->pend_sketch. */
sf_status sf_doc_features(sf_worker *w, const sf_options *opt, const sf_article *a,
                          const char *title, size_t tlen, const char *text, size_t xlen,
                          const char *body, size_t blen, sf_lang lang, sf_doc *d);

/* The clean texts a story's JSON quotes (story.c, story_facts.c). When
 * the engine keeps texts in memory they are the docs' own; when it spills
 * them, sf_story_texts_load reads those of the representative and of the
 * first SF_MEMBERS_READ members that are not copies (the ones facts are
 * taken from) into one buffer. */
#define SF_MEMBERS_READ 200
typedef struct sf_story_texts {
    size_t n;
    uint32_t doc[SF_MEMBERS_READ + 1];
    const char *text[SF_MEMBERS_READ + 1];
    const char *meta[SF_MEMBERS_READ + 1]; /* its strings, read with it */
    char *buf;
} sf_story_texts;

/* Loads story s's texts into *x (free with sf_story_texts_free, also after
 * a failure). Returns SF_OK, SF_ENOMEM or SF_EIO. */
sf_status sf_story_texts_load(const sf_engine *e, const sf_story *s, sf_story_texts *x);
/* The clean text of doc i and its length: the doc's own, or as loaded;
 * "" (length 0) for a spilled doc x does not hold. */
const char *sf_story_text(const sf_engine *e, const sf_story_texts *x, uint32_t i, size_t *len);
void sf_story_texts_free(sf_story_texts *x);
/* Doc d's clean text and its length: its own, or read back into buf when
 * spilled. Returns SF_OK, SF_ENOMEM or SF_EIO. */
sf_status sf_doc_text_get(const sf_engine *e, const sf_doc *d, sf_buf *buf, const char **text,
                          size_t *len);
/* sf_doc_strings_get of doc i: from x when x holds its text (the strings
 * were read with it), else read (into buf, as sf_doc_strings_get). */
sf_status sf_story_doc_strings(const sf_engine *e, const sf_story_texts *x, uint32_t i,
                               sf_buf *buf, sf_doc_strings *out);

/* ---- saved features (features.c) ---------------------------------------
 *
 * An article's features as bytes, so that a store can rebuild its engine
 * without cleaning and sketching every article again. The bytes hold what
 * sf_doc_features computed that the article's own fields do not give: the
 * clean title, language, exact-text hash, terms and counts, names, ages,
 * places and the MinHash signature. The clean text is kept beside them (the store
 * has it in its own column) and covered by their checksum; the date is
 * parsed again. Layout (little-endian), SF_FEATURES_HEADER bytes first:
 *
 *   0  u8  SF_FEATURES_VERSION     1  u8  shingle_words    2  u8  lang
 *   3  u8  0                       4  u32 terms            8  u32 title bytes
 *  12  u32 sketch shingles        16  u64 exact           24  u64 names[6]
 *  72  u8  ages[6], 0, 0          80  u16 sketch[128]
 * 336  char[8] place codes: lead_cc[2] then all_cc[4], each NUL-padded
 *      ("TR", "US-MO"; "" none, "*" more places than kept)
 * 384  u64 term hashes[terms], u16 counts[terms], the title, and last a u64
 *      checksum: sf_hash64 of everything before it, seeded with the
 *      sf_hash64 of the clean text.
 *
 * SF_FEATURES_VERSION changes whenever the layout or the way features are
 * computed from a clean text changes; saved features of another version,
 * or of another shingle size, are then computed again, not read. */
#define SF_FEATURES_VERSION 2
#define SF_FEATURES_HEADER 384

/* Appends the saved form of d (made with shingle_words; its term ids in
 * dict) to out. Returns false if out of memory (out is then as it was). */
bool sf_doc_features_save(const sf_dict *dict, const sf_doc *d, unsigned shingle_words,
                          sf_buf *out);

/* What sf_engine_add_features found in saved features. */
typedef enum sf_features_check {
    SF_FEATURES_OK = 0,
    SF_FEATURES_STALE = 1,   /* well formed but of another version or shingle size */
    SF_FEATURES_CORRUPT = 2  /* not features at all: length, values or checksum wrong */
} sf_features_check;

/* Adds an article from its saved features instead of cleaning it: a gives
 * id, url, source and date (its title, text and lang are not read); clean
 * is the clean text the features were made from. Checks the bytes first:
 * *check (may be NULL) says whether they were usable and *why (may be
 * NULL) what was wrong with them (a static string, "" if nothing).
 * Returns SF_OK (added), SF_EPARSE (not usable: nothing added; clean the
 * article instead), SF_ENOMEM, SF_ETOOBIG or SF_EINVAL. */
sf_status sf_engine_add_features(sf_engine *e, const sf_article *a, const char *clean,
                                 size_t clean_len, const void *saved, size_t len,
                                 sf_features_check *check, const char **why);

#define SF_MAX_THREADS 64

struct sf_engine {
    sf_options opt;
    sf_doc *docs;
    size_t n, cap;
    sf_dict dict;                /* every added article's terms */
    /* keep each article's facts once read (sf_doc.facts): for an engine
     * whose stories are written again as articles arrive (a store); off,
     * a story's facts are read for its JSON and let go */
    bool keep_facts;
    sf_worker workers[SF_MAX_THREADS];
    unsigned nworkers;           /* workers made so far */
    /* results of the last fold */
    sf_story *stories;
    size_t nstories;
    uint32_t *members;           /* story members, in input order per story */
    uint32_t *related;           /* related story indices */
    bool folded;
    /* what the last fold changed: per story (NULL = all), and the ids of
     * stories it removed */
    bool *changed;
    char (*gone)[24];
    size_t ngone;
    /* the incremental fold's indexes (fold.c), NULL when not kept */
    struct sf_inc *inc;
    /* every article's event vector for sf_engine_similarity (fold.c),
     * NULL until asked */
    struct sf_simcache *sim;
    sf_engine_stats stats;
    /* sf_engine_spill: workers made from now on spill their texts
     * into files made in this folder (NULL: texts stay in memory), and
     * the docs' numbered terms go to terms_fd (-1: none), terms_end
     * bytes so far */
    char *spill_dir;
    int terms_fd;
    uint64_t terms_end;
    sf_buf terms_out;            /* a batch's records, written at once */
    /* sf_engine_set_fold_block: vectors read back at a time (0: default) */
    size_t fold_block;
    /* sf_engine_set_memory_limit: bytes the process may hold (0: none) */
    size_t mem_limit;
    /* a spilling engine's strings read back for sf_engine_story_info and
     * sf_engine_story_article_info (valid until their next call) */
    sf_buf *info_buf, *article_buf;
    /* sf_engine_story_info's headlines of stories whose representative has
     * no title: made once per story (nstories entries, NULL until made;
     * head_buf when the array could not be had, valid until the next
     * call), and a text read back for them */
    char **story_head;
    sf_buf *head_buf, *head_text;
};

/* For tests only: the copy pass sorts arrays of at least this many band
 * keys by radix, smaller ones in place (4096; both give the same order). */
extern size_t sf_fold_radix_min;

/* A new unlinked temporary file in the engine's spill folder (gone when
 * closed): its descriptor, or -1 (errno; EINVAL if the engine does not
 * spill). */
int sf_engine_temp_file(const sf_engine *e);
/* All n bytes at off of fd, written or read; false on failure. */
bool sf_write_at(int fd, const void *p, size_t n, uint64_t off);
bool sf_read_at(int fd, void *p, size_t n, uint64_t off);

/* Starts the workers that n articles (or stories) can use, up to the
 * thread option; returns how many there are (at least 1). */
unsigned sf_engine_workers(sf_engine *e, size_t n);

/* Calls fn(ctx, w, i) for every i in [0, n), spread over the engine's
 * workers (each call gets the worker of the thread running it; the calling
 * thread is one of them). Returns when all are done. */
typedef void (*sf_item_fn)(void *ctx, sf_worker *w, size_t i);
void sf_engine_parallel(sf_engine *e, size_t n, sf_item_fn fn, void *ctx);

/* Appends s[0..n) and a NUL at *p, moves *p past them; returns where s
 * went (for strings packed into one block). */
const char *sf_put_string(char **p, const char *s, size_t n);

/* fold.c: groups copies and events; fills stories, members, related. */
sf_status sf_fold_run(sf_engine *e);
/* The factor the dates of two articles (days, or SF_NO_DAY) leave of
 * their event similarity (fold.c). */
double sf_date_factor(int32_t a, int32_t b);
void sf_fold_clear(sf_engine *e);
/* Frees the incremental fold's indexes (the next fold is a full one). */
void sf_fold_drop_index(sf_engine *e);
/* Frees the vectors kept for sf_engine_similarity. */
void sf_fold_drop_similarity(sf_engine *e);

/* story_facts.c: appends ,"facts":[...],"disagreements":[...] for story s,
 * tokenising with t (one per thread) the members whose facts are not kept
 * yet, their texts from tx, and keeping them (d->facts): stories of one
 * fold share no member, so threads writing different stories touch
 * different docs. Returns false (and *st) if out of memory. */
bool sf_story_facts_json(const sf_engine *e, sf_text *t, const sf_story *s,
                         const sf_story_texts *tx, sf_buf *b,
                         sf_status *st);

/* story.c: sf_engine_story_json tokenising with t (the engine's first
 * worker may be busy on another thread). */
char *sf_story_json_text(const sf_engine *e, sf_text *t, size_t i, size_t *len);

/* story.c: the JSON of stories idx[0..n) (distinct), as
 * sf_engine_story_json writes it, built on the engine's workers into
 * json[k] and len[k] (json[k] NULL if out of memory or a spilled text
 * cannot be read; the caller frees). */
void sf_engine_stories_json(sf_engine *e, const size_t *idx, size_t n, char **json, size_t *len);

/* Frees what sf_story_facts_json kept for d. */
void sf_doc_facts_free(sf_doc *d);

/* Days since 1970-01-01 of an ISO 8601 date ("2014-02-13", or a date-time
 * starting with one), or SF_NO_DAY. */
int32_t sf_parse_day(const char *s, size_t len);

/* "YYYY-MM-DD" of a day number (inverse of sf_parse_day); "" if none. */
void sf_format_day(int32_t day, char out[16]);

#endif /* SF_ENGINE_H */
