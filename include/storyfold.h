/*
 * storyfold.h — the one public header of libstoryfold.
 *
 * storyfold reads noisy news pages and folds them into stories:
 *   read -> normalise -> clean -> features -> copies -> events -> stories -> write
 *
 * Conventions, stated once for the whole API:
 *   - Every symbol starts with sf_ (types) or sf_/SF_ (functions, constants).
 *   - Handles are opaque. A function that returns a new handle or a malloc'd
 *     buffer says so; the caller frees it with the matching sf_*_free() or
 *     free(). Every sf_*_free(NULL) does nothing.
 *   - Strings handed in are borrowed for the duration of the call unless a
 *     comment says otherwise; strings handed out are borrowed from the handle
 *     they come from and stay valid until that handle changes or is freed.
 *     Strings are UTF-8 with an explicit length; handed-out strings are also
 *     NUL-terminated.
 *   - Functions that can fail return an sf_status (SF_OK = 0). Those that
 *     parse input also fill an optional sf_error (pass NULL to ignore).
 *   - The library never prints and never exits.
 *   - A handle is used by one thread at a time; distinct handles are
 *     independent.
 */
#ifndef STORYFOLD_H
#define STORYFOLD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SF_VERSION_MAJOR 0
#define SF_VERSION_MINOR 1
#define SF_VERSION_PATCH 0
#define SF_VERSION_STRING "0.1.0"

/* Returns the library's version string, e.g. "0.1.0". */
const char *sf_version(void);

/* ------------------------------------------------------------------ */
/* Status and errors                                                   */
/* ------------------------------------------------------------------ */

/* Values are never renumbered; new ones are added at the end. */
typedef enum sf_status {
    SF_OK = 0,
    SF_END = 1,         /* no more records (not an error) */
    SF_ENOMEM = 2,      /* an allocation failed */
    SF_EINVAL = 3,      /* a bad argument from the caller */
    SF_EIO = 4,         /* reading or writing a file failed */
    SF_EPARSE = 5,      /* a record could not be parsed (broken JSON, ...) */
    SF_ENOTEXT = 6,     /* a record has no usable text (missing, empty, binary) */
    SF_ETOOBIG = 7,     /* a record exceeds a size limit */
    SF_EINTERNAL = 8    /* a bug: please report it */
} sf_status;

/* Returns a static, human-readable name for a status; never NULL. */
const char *sf_strerror(sf_status status);

/* Where and why a record or file was rejected. file points into a string
 * owned by whoever filled the record (the reader); copy it to keep it. */
typedef struct sf_error {
    sf_status code;
    const char *file;   /* input path, "-" for standard input, or NULL */
    uint64_t line;      /* 1-based line of the record, 0 if not line-based */
    uint64_t offset;    /* byte offset of the record (or of the fault) in file */
    char message[256];  /* reason, NUL-terminated */
} sf_error;

/* ------------------------------------------------------------------ */
/* Articles                                                            */
/* ------------------------------------------------------------------ */

/* One input article. All fields are borrowed; any may be NULL (length 0)
 * except text. date is ISO 8601 as given; lang an ISO 639-1 code. */
typedef struct sf_article {
    const char *id;     size_t id_len;
    const char *title;  size_t title_len;
    const char *text;   size_t text_len;
    const char *url;    size_t url_len;
    const char *source; size_t source_len;
    const char *date;   size_t date_len;
    const char *lang;   size_t lang_len;
} sf_article;

/* ------------------------------------------------------------------ */
/* Reading input                                                       */
/* ------------------------------------------------------------------ */

typedef struct sf_reader sf_reader;

typedef struct sf_reader_options {
    /* Largest record (JSON line or .txt file) accepted, in bytes; larger
     * ones are skipped with SF_ETOOBIG. 0 means the default (64 MiB). */
    size_t max_record_bytes;
    /* Non-zero: each JSON line holds a pair of articles, their fields
     * suffixed 1 and 2 (text1, title1, lang1, id1, ..., text2, ...), as in
     * a labelled set of article pairs; sf_reader_next returns the first,
     * then the second. A pair with a bad side is skipped whole. A side
     * without an id gets "<pair_id>:1" (or "<file>:<line>:1"). Folders and
     * .txt files ignore it. */
    int pairs;
} sf_reader_options;

/* Reader statistics, cumulative over the reader's life. */
typedef struct sf_reader_stats {
    uint64_t records;       /* articles returned */
    uint64_t skipped;       /* records rejected (each reported once) */
    uint64_t repaired;      /* articles whose invalid UTF-8 was replaced by U+FFFD */
    uint64_t bytes;         /* input bytes consumed */
} sf_reader_stats;

/* Opens one input: a JSON Lines file (one article per line), a folder of
 * .txt files (one article per file, id = file name, read in name order),
 * or "-" for standard input (JSON Lines). opt may be NULL for defaults.
 * Returns NULL and fills err on failure (path missing, unreadable). */
sf_reader *sf_reader_open(const char *path, const sf_reader_options *opt,
                          sf_error *err);

/* Reads the next article into *out; its strings stay valid until the next
 * call or sf_reader_free(). Returns SF_OK, SF_END at the end, or an error
 * status with err filled for a record that was skipped: the reader stays
 * usable and the caller may simply call again (or stop, in strict mode).
 * A record without an id gets "<file>:<line>" (JSON Lines) as its id. */
sf_status sf_reader_next(sf_reader *r, sf_article *out, sf_error *err);

/* Returns the raw value of a top-level string or number field of the
 * current record (e.g. a label such as "event"), or NULL if absent. */
const char *sf_reader_field(const sf_reader *r, const char *name, size_t *len);

/* Copies the reader's statistics into *out. */
void sf_reader_stats_get(const sf_reader *r, sf_reader_stats *out);

void sf_reader_free(sf_reader *r);

/* ------------------------------------------------------------------ */
/* Cleaning one page                                                   */
/* ------------------------------------------------------------------ */

typedef struct sf_clean_result sf_clean_result;

/* Cleans one article: keeps the article body, drops page furniture with a
 * reason per dropped line, picks the title. Returns SF_OK and a new result
 * in *out (free with sf_clean_result_free), or SF_ENOMEM. */
sf_status sf_clean(const sf_article *a, sf_clean_result **out);

/* The clean body: the kept lines joined by "\n", the title's line not
 * among them (the title is sf_clean_title). */
const char *sf_clean_text(const sf_clean_result *c, size_t *len);
/* Characters repaired from mojibake (text decoded with the wrong encoding,
 * "gÃ¼nlÃ¼k" for "günlük") before cleaning; the clean text, title and
 * removed lines hold the repaired text. */
size_t sf_clean_mojibake(const sf_clean_result *c);
/* The page's language as an ISO 639-1 code: the article's lang, or the
 * one its words show; "" when unknown. */
const char *sf_clean_lang(const sf_clean_result *c);
/* The title chosen (from the article's title field or the page). */
const char *sf_clean_title(const sf_clean_result *c, size_t *len);
/* Number of removed lines, and the i-th one: its 1-based line number in the
 * input text, its text, and a short reason such as "ad-code" or "teaser". */
size_t sf_clean_removed_count(const sf_clean_result *c);
const char *sf_clean_removed(const sf_clean_result *c, size_t i,
                             uint64_t *line, size_t *len, const char **why);
void sf_clean_result_free(sf_clean_result *c);

/* Writes the result as one JSON object (no newline): id, title, text,
 * removed [{line, text, why}]. Returns a malloc'd string (caller frees)
 * with its length in *len, or NULL if out of memory. */
char *sf_clean_result_json(const sf_article *a, const sf_clean_result *c,
                           size_t *len);

/* Every non-empty line of the page in order, kept or not (for showing how
 * a page was cleaned; a line with code glued into its prose is listed as
 * its pieces, the code ones removed as "glued-code", each with the line's
 * number): the count, and the i-th line's 1-based line number
 * in the input, its trimmed text (not NUL-terminated: use *len), whether
 * it was kept (*kept 1, else 0) and, when not, its reason ("" when kept).
 * NULL if i is out of range. */
size_t sf_clean_line_count(const sf_clean_result *c);
const char *sf_clean_line(const sf_clean_result *c, size_t i, uint64_t *line,
                          size_t *len, int *kept, const char **why);
/* The 1-based line number of the page line the title is (or repeats the
 * given title), 0 when the title is no line of the page. */
uint64_t sf_clean_title_line(const sf_clean_result *c);
/* Metadata printed on the page, read from the lines the cleaner removed
 * (NULL and *len 0 when the page shows none; NUL-terminated otherwise):
 * the byline's names ("Anna Keller" of "By Anna Keller | Reuters"), the
 * source a credit line names ("RPP" of "Source: RPP", "Reuters" of
 * "According to Reuters"; a picture's source when no story source is
 * named) and the date a line above the article prints, as "YYYY-MM-DD".
 * sf_clean_result_json writes them as "byline", "credit" and "date" when
 * found. */
const char *sf_clean_byline(const sf_clean_result *c, size_t *len);
const char *sf_clean_credit(const sf_clean_result *c, size_t *len);
const char *sf_clean_page_date(const sf_clean_result *c, size_t *len);

/* Site furniture: lines that recur on many pages of one site (menus,
 * bylines, newsletter boxes, legal lines). A site is the article's source,
 * else the host of its url. Build a model in a first pass over the pages
 * (sf_site_model_add counts each page's distinct lines), then clean each
 * page with it: a line on at least 3 of its site's pages and on at least
 * half of them is removed as "site-furniture", unless it is a long
 * paragraph of the article (or the page's paragraphs mostly recur: a copy
 * of one story, whose paragraphs stay). sf_site_model_new returns NULL if
 * out of memory; sf_site_model_add returns SF_OK (also for an article
 * without site or text), SF_ENOMEM or SF_EINVAL. A model may be read by
 * several threads at once once built. */
typedef struct sf_site_model sf_site_model;
sf_site_model *sf_site_model_new(void);
sf_status sf_site_model_add(sf_site_model *m, const sf_article *a);
void sf_site_model_free(sf_site_model *m);
/* sf_clean with a site model (NULL: same as sf_clean). */
sf_status sf_clean_with_site(const sf_article *a, const sf_site_model *m,
                             sf_clean_result **out);

/* ------------------------------------------------------------------ */
/* Folding articles into stories                                       */
/* ------------------------------------------------------------------ */

typedef struct sf_engine sf_engine;

typedef struct sf_options {
    /* Estimated Jaccard similarity of word shingles above which two
     * articles are copies of each other. */
    double copy_threshold;
    /* Similarity of event signatures above which two stories are one. */
    double event_threshold;
    /* Similarity above which two different stories are linked as related. */
    double related_threshold;
    /* Words per shingle for copy detection. */
    unsigned shingle_words;
    /* Threads for sf_engine_add_batch: 0 = one per online processor. The
     * result never depends on it. */
    unsigned threads;
    /* Incremental folding, for an engine that is fed and folded again and
     * again (a service). 0 (the default): every sf_engine_fold groups all
     * articles from scratch. Above 0: the engine keeps its indexes between
     * folds, and a fold after new articles places only those: their copy
     * groups, their candidate edges, and a new clustering of just the
     * stories they touch. Everything is folded afresh when the collection
     * has grown by this fraction since the last full fold (1: each time
     * it doubles), so that the stories stay close to those of one fold of
     * everything. */
    double refold_growth;
} sf_options;

/* Fills *opt with the defaults. */
void sf_options_default(sf_options *opt);

/* Returns a new engine, or NULL if out of memory. opt NULL = defaults. */
sf_engine *sf_engine_new(const sf_options *opt);
void sf_engine_free(sf_engine *e);

/* Adds one article: cleans it, computes its features and keeps what the
 * fold needs (the article's strings are copied). Returns SF_OK, SF_ENOMEM,
 * or SF_EINVAL (no text). */
sf_status sf_engine_add(sf_engine *e, const sf_article *a);

/* Adds n articles at once, cleaning and sketching them on opt.threads
 * threads. Articles are kept in input order whatever the thread count.
 * status (may be NULL) receives each article's own status; an article
 * that failed is not added. Returns SF_OK if all were added, else the
 * first failure's status. */
sf_status sf_engine_add_batch(sf_engine *e, const sf_article *arts, size_t n,
                              sf_status *status);

/* Keeps the clean texts, term lists and MinHash signatures of the articles
 * added from now on on disk instead of in memory, for a caller that folds
 * and writes stories: a fold reads the signatures once and each article's
 * terms twice, in order, and the texts are read back when stories are
 * written (sf_engine_story_json, sf_engine_each_story_json); so are the
 * titles, urls, sources and dates (the ids stay in memory), also for the
 * listing functions (sf_engine_story_info, sf_engine_story_article_info).
 * The fold's event vectors go to a file of their own. Everything
 * works as before, only slower where they are read one article at a time
 * (sf_engine_similarity, an incremental fold). The files are made in dir (NULL or "": $TMPDIR, else
 * /tmp) and removed from the folder at once, so that nothing is left
 * behind however the process ends; the space is freed by sf_engine_free.
 * An engine that spills saves no features for a store. Returns SF_OK,
 * SF_EIO (a file could not be made: errno says why; nothing spills) or
 * SF_ENOMEM. Adding, folding or writing a story fails with SF_EIO if the
 * files cannot be written or read back. */
sf_status sf_engine_spill(sf_engine *e, const char *dir);

/* Memory, estimated: *held (may be NULL) gets the bytes the engine holds
 * for the articles added so far (what they keep, the term dictionary),
 * *fold (may be NULL) what a full sf_engine_fold of them would allocate
 * on top at its peak (vectors, indexes, candidate lists, the clustering's
 * edges and sums), by stage, from what the articles hold and the pairs a
 * fold typically keeps an article (measured: bench/README.md). For a
 * caller that must stay within a budget (sf_engine_set_memory_limit): an
 * engine that spills keeps its event vectors on disk, its other indexes
 * are in memory. */
void sf_engine_memory(const sf_engine *e, size_t *held, size_t *fold);
/* The same for `articles` articles like those added so far (what each
 * keeps, its terms and vectors in proportion; the term dictionary as it
 * is now: it grows less than in proportion): for a caller that knows how
 * many are coming, to stop before adding them. */
void sf_engine_memory_for(const sf_engine *e, size_t articles, size_t *held, size_t *fold);

/* For an engine that spills (sf_engine_spill): the bytes of event
 * vectors a full fold reads back from disk at a time, whatever the
 * collection's size (0: the default, 32 MB; at least one article's are
 * read). The stories do not depend on it. */
void sf_engine_set_fold_block(sf_engine *e, size_t bytes);

/* A memory limit: the bytes the whole process may hold (0, the default:
 * none). A full fold then trades time for memory where it can: event
 * vectors are read back a sixteenth of the limit at a time (at most the
 * default 32 MB; sf_engine_set_fold_block overrides it), and an engine
 * that spills keeps the fold's edges on disk while it clusters.
 * sf_engine_memory estimates with these. The engine does not check the
 * limit itself: a caller compares it with sf_engine_memory. The stories
 * do not depend on it. */
void sf_engine_set_memory_limit(sf_engine *e, size_t bytes);

/* Groups every article added so far into stories (copies, events, related
 * links). May be called again after more articles are added. */
sf_status sf_engine_fold(sf_engine *e);

/* Articles added so far (copies and all); article i is the i-th added. */
size_t sf_engine_article_count(const sf_engine *e);
/* The id of article i (borrowed from the engine), or NULL if out of range. */
const char *sf_engine_article_id(const sf_engine *e, size_t i);

/* How alike articles a and b are (indices in the order added), on the
 * fold's own scales: event is the similarity the fold links events by
 * (weighted term cosine times its date and different-people factors,
 * comparable with opt.event_threshold; 1 for a == b), copy the estimated
 * Jaccard similarity of their word shingles (comparable with
 * opt.copy_threshold). Term weights come from every article added so far;
 * the first call after an add computes them again. Needs no fold. Not to
 * be called by two threads at once on one engine. Returns SF_EINVAL for an
 * index out of range, SF_ENOMEM. */
typedef struct sf_similarity {
    double event;
    double copy;
} sf_similarity;
sf_status sf_engine_similarity(sf_engine *e, size_t a, size_t b, sf_similarity *out);

/* Stories, valid after sf_engine_fold() until the next add or fold. */
size_t sf_engine_story_count(const sf_engine *e);

/* What the last fold changed, for a caller that keeps stories elsewhere
 * (a store): whether story i may differ (1) or not (0) from the story of the same id
 * before the fold (after a full fold every story counts as changed), and
 * the ids of the previous fold's stories that are gone (merged into
 * another or split under another id), k = 0, 1, ... until NULL. */
int sf_engine_story_changed(const sf_engine *e, size_t i);
const char *sf_engine_story_gone(const sf_engine *e, size_t k);

/* Writes story i as one JSON object (no newline): id, headline (the
 * representative's title; for untitled articles a member's title or the
 * representative's first sentence, see docs/ALGORITHMS.md), articles
 * [{id, copy_of?, ...}], text, facts, related. Returns a malloc'd string
 * (caller frees), or NULL if out of memory, i is out of range or a text
 * spilled to disk (sf_engine_spill) cannot be read back. */
char *sf_engine_story_json(const sf_engine *e, size_t i, size_t *len);

/* Called with each story's JSON, in story order; json is freed after the
 * call returns. Return 0 to go on, non-zero to stop. */
typedef int (*sf_story_json_fn)(void *ctx, size_t i, const char *json, size_t len);

/* Writes every story as sf_engine_story_json does, building them on
 * opt.threads threads and handing them to fn in order. Returns SF_OK (also
 * when fn stopped), SF_ENOMEM, SF_EIO (a spilled text could not be read)
 * or SF_EINVAL. */
sf_status sf_engine_each_story_json(sf_engine *e, sf_story_json_fn fn, void *ctx);

/* A summary of story i, for listings; strings are borrowed from the
 * engine (for an engine that spills, the headline is read back from disk
 * and valid until the next sf_engine_story_info call on it; a story whose
 * articles have no title gets one made from them at its first call, kept
 * until the next fold: call from one thread). Returns SF_EINVAL if i is
 * out of range, SF_EIO if a spilled headline cannot be read. */
typedef struct sf_story_info {
    const char *id;          /* stable: derived from the story's first article */
    const char *headline;
    size_t articles;         /* articles in the story, copies included */
    size_t copies;           /* of which copies of another article */
    size_t related;          /* number of related stories */
    const char *first_date;  /* earliest and latest article dates, "" if none */
    const char *last_date;
} sf_story_info;
sf_status sf_engine_story_info(const sf_engine *e, size_t i, sf_story_info *out);

/* Article k of story i: its id, and in *copy_of the id of the article it
 * copies (NULL if none). Returns NULL if out of range. */
const char *sf_engine_story_article(const sf_engine *e, size_t i, size_t k,
                                    const char **copy_of);

/* Everything about article k of story i, borrowed from the engine; absent
 * fields are "" (copy_of is NULL for an article that copies none). For an
 * engine that spills, title, url, source and date are read back from
 * disk and valid until the next call of this function on it (call from
 * one thread); SF_EIO if they cannot be read. */
typedef struct sf_story_article {
    const char *id, *title, *url, *source, *date, *lang;
    const char *copy_of;
    double copy_similarity;  /* estimated shingle similarity to copy_of */
} sf_story_article;
sf_status sf_engine_story_article_info(const sf_engine *e, size_t i, size_t k,
                                       sf_story_article *out);

/* The k-th story related to story i (an index below
 * sf_engine_story_count), or SIZE_MAX when k is out of range. */
size_t sf_engine_story_related(const sf_engine *e, size_t i, size_t k);

/* Engine statistics. */
typedef struct sf_engine_stats {
    uint64_t articles;
    double clean_seconds;    /* processor time in the cleaner, all threads */
    double feature_seconds;  /* in tokenising, sketching and term counting */
    double copies_seconds;   /* wall time of the last fold's copy grouping */
    double events_seconds;   /* ... of its event clustering and stories */
    uint64_t pairs_compared; /* article pairs whose similarity was computed */
    uint64_t pairs_linked;   /* of which similar enough to count */
    uint64_t exact_copies;   /* articles whose clean text equals an earlier one's */
    uint64_t near_copies;    /* articles that are near-copies of another */
    uint64_t stories;
    uint64_t full_folds;        /* folds of everything from scratch */
    uint64_t incremental_folds; /* folds that placed only new articles */
    uint64_t nodes_reclustered; /* by the last fold: copy groups clustered anew */
} sf_engine_stats;
void sf_engine_stats_get(const sf_engine *e, sf_engine_stats *out);

/* ------------------------------------------------------------------ */
/* Near-duplicate detection alone                                      */
/* ------------------------------------------------------------------ */

/* Finds exact and near copies in a stream of articles, as MinHash dedup
 * tools do, without the fold's cleaning, events or stories: the words of
 * each text are its lower-cased \w+ runs (as Python's re reads them), its
 * shingles runs of shingle_words words, its signature a 128-value one
 * permutation MinHash with densification, candidates come from LSH bands
 * and a candidate is a copy when the estimated Jaccard similarity of the
 * shingles is at least threshold. Articles are taken in order: each one
 * is compared with the articles before it, and joins the group of the
 * most similar earlier one (an exact copy: the first with the same text).
 * Results do not depend on the threads. Memory: 0.6-1 KB an article
 * (signature, band index, exact-text index); see docs/ALGORITHMS.md. */
typedef struct sf_dedup sf_dedup;

typedef struct sf_dedup_options {
    double threshold;        /* estimated Jaccard of a near copy (default:
                                sf_options' copy_threshold, 0.70) */
    unsigned shingle_words;  /* words per shingle (default 5) */
    unsigned bands;          /* LSH bands of 128 / bands rows; 0 (default):
                                the fewest bands that make a pair at the
                                threshold a candidate with probability
                                >= 0.99 (32 for 0.70) */
    unsigned threads;        /* 0 = one per core */
    int clean;               /* non-zero: compare the clean text (sf_clean)
                                instead of the raw text */
} sf_dedup_options;

void sf_dedup_options_default(sf_dedup_options *opt);

/* A new detector (opt NULL: defaults), or NULL if out of memory or an
 * option is out of range (threshold outside (0, 1], shingle_words 0 or
 * above 64, bands above 128). */
sf_dedup *sf_dedup_new(const sf_dedup_options *opt);

#define SF_DEDUP_NONE UINT64_MAX

/* What became of one article; articles are numbered from 0 in the order
 * added. */
typedef struct sf_dedup_result {
    uint64_t copy_of;    /* the earlier article it copies, SF_DEDUP_NONE */
    uint64_t group;      /* its group's first article (itself if it copies none) */
    double similarity;   /* estimated Jaccard with copy_of (1 for an exact copy) */
    int exact;           /* 1: its text is byte for byte copy_of's */
    uint32_t shingles;   /* its shingles (0: no word; such an article copies
                            nothing and nothing copies it) */
} sf_dedup_result;

/* Adds n articles, sketched on opt.threads threads, and writes each one's
 * result to out[i]. Returns SF_OK, SF_ETOOBIG (more than 2^32 - 2
 * articles in all; nothing of the batch added) or SF_ENOMEM: out of
 * memory, no result of the batch is valid, and if the memory ran out
 * while the batch was being indexed, every later call returns SF_ENOMEM
 * too (the detector holds part of the batch: free it). */
sf_status sf_dedup_add_batch(sf_dedup *d, const sf_article *arts, size_t n,
                             sf_dedup_result *out);

typedef struct sf_dedup_stats {
    uint64_t articles;
    uint64_t exact_copies, near_copies;
    uint64_t candidates;     /* candidate pairs whose signatures were compared */
    unsigned bands, rows;    /* the LSH banding used */
    double sketch_seconds;   /* wall time sketching (all threads) */
    double sketch_cpu;       /* processor time sketching, all threads */
    double index_seconds;    /* wall time of the band index (one thread) */
    size_t memory;           /* bytes held now (signatures, indexes) */
} sf_dedup_stats;
void sf_dedup_stats_get(const sf_dedup *d, sf_dedup_stats *out);

void sf_dedup_free(sf_dedup *d);

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

typedef struct sf_cluster_scores {
    double bcubed_p, bcubed_r, bcubed_f1;
    double ari;                  /* adjusted Rand index */
    double pair_p, pair_r, pair_f1;
    uint64_t items;              /* labelled items scored */
    uint64_t missing;            /* labelled items absent from the prediction */
    uint64_t pred_clusters, gold_clusters;
} sf_cluster_scores;

/* Scores a clustering: pred[i] and gold[i] are cluster numbers of item i. */
sf_status sf_eval_clusters(const uint64_t *pred, const uint64_t *gold, size_t n,
                           sf_cluster_scores *out);

/* Scores a `fold` output file against a labelled JSON Lines file whose
 * records carry `id` and the label in field label_field. Items missing
 * from the prediction count as singletons and are counted in missing. */
sf_status sf_eval_fold_files(const char *pred_path, const char *gold_path,
                             const char *label_field, sf_cluster_scores *out,
                             sf_error *err);

typedef struct sf_text_scores {
    double p, r, f1;     /* averaged over pages; f1 from the averaged p and r */
    uint64_t pages;
    uint64_t missing;    /* gold pages absent from the prediction (scored 0) */
} sf_text_scores;

/* Shingle counts of one kept text against its gold body, as the
 * article-extraction benchmark defines them: word 4-grams (words are \w+
 * runs, case kept), multiset counts clipped. */
typedef struct sf_shingle_counts {
    uint64_t tp, fp, fn;
} sf_shingle_counts;
sf_status sf_eval_text_pair(const char *kept, size_t kept_len,
                            const char *gold, size_t gold_len,
                            sf_shingle_counts *out);

/* Scores a `clean` output file (records with id, text) against a gold JSON
 * Lines file whose records carry id and the body in field body_field. */
sf_status sf_eval_clean_files(const char *pred_path, const char *gold_path,
                              const char *body_field, sf_text_scores *out,
                              sf_error *err);

/* Pearson and Spearman correlation of x and y (n values each); either
 * out pointer may be NULL. 0 when n < 2 or a side is constant. */
sf_status sf_eval_correlation(const double *x, const double *y, size_t n,
                              double *pearson, double *spearman);

typedef struct sf_pair_scores {
    double pearson, spearman;  /* of the similarity against the label */
    uint64_t pairs;            /* labelled pairs scored */
    uint64_t missing;          /* labelled pairs absent from the prediction */
} sf_pair_scores;

/* Scores a `pairs` output (records with pair_id and similarity) against a
 * gold JSON Lines file whose records carry pair_id and a numeric label in
 * label_field. label_is_distance: the label falls as pairs grow alike
 * (SemEval 2022 task 8's overall: 1 same story ... 4 unrelated), so it is
 * correlated with its negative. Missing pairs are counted, not scored. */
sf_status sf_eval_pair_files(const char *pred_path, const char *gold_path,
                             const char *label_field, int label_is_distance,
                             sf_pair_scores *out, sf_error *err);

/* ------------------------------------------------------------------ */
/* Store                                                               */
/* ------------------------------------------------------------------ */

/* A persistent story index in one SQLite file (WAL: one writer, many
 * readers, in this process or others). It keeps every article as given,
 * its clean text and features, and every story's JSON, and folds new
 * articles into the stored stories (incrementally, folding everything
 * afresh as the store grows; see docs/SERVE.md). Each add is one transaction:
 * once sf_store_add_batch returns SF_OK its articles are durable.
 * A handle is used by one thread at a time; open one handle per thread. */
typedef struct sf_store sf_store;

/* The schema version this library writes; older files are migrated on
 * open, newer ones are refused. */
#define SF_STORE_SCHEMA 2

/* Opens (creating if missing) the store at path and migrates its schema.
 * opt (NULL = defaults) sets the fold's thresholds for adds through this
 * handle. Returns NULL and fills err on failure (SF_EIO: cannot open or
 * not a store; SF_EPARSE: schema newer than this library; SF_ENOMEM). */
sf_store *sf_store_open(const char *path, const sf_options *opt, sf_error *err);

/* Problems a store works around are reported to fn (NULL: not at all),
 * with ctx, as one sentence each: an article whose saved features are
 * corrupt (it is cleaned again from its text), articles whose features
 * were missing or of another version (they are cleaned again and their
 * features saved). */
void sf_store_set_warnings(sf_store *s, void (*fn)(void *ctx, const char *message),
                           void *ctx);

/* Whether (automatic non-zero) a commit through s also copies the
 * write-ahead log into the file once the log is long (SQLite's automatic
 * checkpoint; on by default). With it off, the log is copied by sf_store_checkpoint, which
 * another handle on the file can do on a thread of its own, so that the
 * copy is not part of an add's time. A commit is durable either way.
 * Returns SF_OK or SF_EIO. */
sf_status sf_store_set_checkpoints(sf_store *s, int automatic, sf_error *err);

/* Copies what it can of the write-ahead log into the file without waiting
 * for readers or the writer (a passive checkpoint). Returns SF_OK or
 * SF_EIO. */
sf_status sf_store_checkpoint(sf_store *s, sf_error *err);

/* The options a store uses when opened with opt NULL: sf_options_default
 * with incremental folding (refold_growth 1: folded afresh each time the store doubles). */
void sf_store_options_default(sf_options *opt);
void sf_store_close(sf_store *s);

/* What became of one article handed to sf_store_add_batch. */
typedef enum sf_store_outcome {
    SF_STORE_ADDED = 0,        /* stored and folded */
    SF_STORE_SAME_ID = 1,      /* an article with this id is stored: ignored */
    SF_STORE_SAME_CONTENT = 2, /* an article with the same title, text, url
                                  and source is stored: ignored */
    SF_STORE_REJECTED = 3      /* not stored (no usable text) */
} sf_store_outcome;

typedef struct sf_store_result {
    sf_store_outcome outcome;
    char story_id[24];         /* the story now holding the article (for a
                                  duplicate, the stored one's); "" if rejected */
    char same_as[128];         /* SF_STORE_SAME_CONTENT: the stored article's
                                  id (truncated if longer); else "" */
} sf_store_result;

/* Adds n articles in one transaction: skips those already stored (same id,
 * or same content, also within the batch), folds the rest into the stories
 * and rewrites the stories that changed. results (n entries, may be NULL)
 * receives each article's outcome. Returns SF_OK (even if some articles
 * were rejected or duplicates), or SF_ENOMEM / SF_EIO with err filled, in
 * which case nothing of the batch is stored. */
sf_status sf_store_add_batch(sf_store *s, const sf_article *arts, size_t n,
                             sf_store_result *results, sf_error *err);

/* Which stories sf_store_stories lists, newest first (by the time their
 * latest article was added). All fields may be 0/NULL. */
typedef struct sf_story_query {
    const char *since;   /* ISO 8601: stories updated at or after it */
    const char *words;   /* every word must occur in headline or text */
    size_t offset;       /* stories skipped first */
    size_t limit;        /* at most this many; 0 = no limit */
    int full;            /* nonzero: each story's whole JSON (as
                            sf_store_story_json); else a summary: id,
                            headline, sources, copies, first_seen, updated,
                            first_date, last_date, related */
} sf_story_query;

/* Calls fn with each listed story as one JSON object (no newline; json is
 * borrowed for the call). fn returns 0 to go on, nonzero to stop. Returns
 * SF_OK, SF_EINVAL (bad query), SF_EIO or SF_ENOMEM. */
sf_status sf_store_stories(sf_store *s, const sf_story_query *q,
                           int (*fn)(void *ctx, const char *json, size_t len),
                           void *ctx);

/* Story id as one JSON object: the fold's story JSON (sf_engine_story_json)
 * plus first_seen and updated, "added" per article, related_stories
 * [{id, headline, sources}] and a timeline (articles by date, then by
 * time added). On SF_OK *json is malloc'd (caller frees); SF_END if no
 * story has that id; else SF_EIO or SF_ENOMEM. */
sf_status sf_store_story_json(sf_store *s, const char *id, char **json, size_t *len);

/* Article id as one JSON object: id, title, url, source, date, lang, added,
 * story, text (as given) and clean (the clean text). Same returns as
 * sf_store_story_json. */
sf_status sf_store_article_json(sf_store *s, const char *id, char **json, size_t *len);

typedef struct sf_store_stats {
    uint64_t articles, stories;
    int schema;
    char last_added[32];  /* ISO 8601 time of the latest add, "" if none */
} sf_store_stats;
sf_status sf_store_stats_get(sf_store *s, sf_store_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* STORYFOLD_H */
