/* The engine through the public API: copies, stories, related links,
 * folding again after more articles, JSON output, bad arguments. */
#include "harness.h"
#include "synth.h"

#include "engine.h"
#include "facts.h"

#include <fcntl.h>
#include <jansson.h>

static sf_article art(const char *id, const char *title, const char *text,
                      const char *date)
{
    sf_article a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.id_len = strlen(id);
    a.title = title;
    a.title_len = title ? strlen(title) : 0;
    a.text = text;
    a.text_len = strlen(text);
    a.date = date;
    a.date_len = date ? strlen(date) : 0;
    a.lang = "en";
    a.lang_len = 2;
    return a;
}

static const char *QUAKE =
    "An earthquake of magnitude 6.4 struck the northern province of Valdora on "
    "Monday morning, killing at least 12 people and injuring 80, officials in the "
    "provincial capital Mirenza said.\n"
    "The quake hit at a depth of 15 kilometres near the town of Castelbra, where "
    "several houses and a school collapsed. Rescue teams from Mirenza worked "
    "through the night to reach villages cut off by landslides.\n"
    "Governor Alma Ruiz declared a state of emergency in Valdora and asked the "
    "national government for help with tents and water.";

static const char *QUAKE_REWRITE =
    "At least 12 people died when a magnitude 6.4 earthquake hit Valdora province "
    "on Monday, provincial officials in Mirenza said, with 80 more injured.\n"
    "Houses and a school in Castelbra collapsed in the quake, which struck 15 "
    "kilometres underground. Landslides cut off villages and rescue teams from "
    "Mirenza worked overnight.\n"
    "Governor Alma Ruiz declared an emergency across Valdora and appealed for "
    "tents and drinking water from the national government.";

static const char *ELECTION =
    "Voters in the coastal city of Porto Lenz elected a new mayor on Sunday, "
    "choosing the independent candidate Jonas Weller with 54 percent of the vote.\n"
    "Weller, a former harbour engineer, promised to rebuild the ferry pier and to "
    "cut the waiting time for council housing. Turnout was 61 percent, the highest "
    "in two decades.\n"
    "The outgoing mayor, Ida Brenner, congratulated Weller and said she would "
    "return to teaching at the Porto Lenz technical college.";

static json_t *story_json(sf_engine *e, size_t i)
{
    size_t len;
    char *s = sf_engine_story_json(e, i, &len);
    assert_non_null(s);
    assert_int_equal(strlen(s), len);
    json_error_t jerr;
    json_t *j = json_loads(s, 0, &jerr);
    free(s);
    assert_non_null(j);
    return j;
}

/* Story index holding article id, or -1. */
static long story_of(sf_engine *e, const char *id)
{
    for (size_t i = 0; i < sf_engine_story_count(e); i++) {
        const char *got;
        for (size_t k = 0; (got = sf_engine_story_article(e, i, k, NULL)); k++)
            if (strcmp(got, id) == 0)
                return (long)i;
    }
    return -1;
}

static void test_fold_copies_and_events(void **state)
{
    (void)state;
    sf_engine *e = sf_engine_new(NULL);
    assert_non_null(e);
    sf_article a1 = art("q1", "Earthquake kills 12 in Valdora", QUAKE, "2024-03-04");
    sf_article a2 = art("q2", "Valdora quake: 12 dead", QUAKE, "2024-03-04");
    sf_article a3 = art("q3", "Quake in Valdora leaves 12 dead", QUAKE_REWRITE, "2024-03-05");
    sf_article a4 = art("e1", "Porto Lenz elects Jonas Weller mayor", ELECTION, "2024-03-03");
    assert_int_equal(sf_engine_add(e, &a1), SF_OK);
    assert_int_equal(sf_engine_add(e, &a2), SF_OK);
    assert_int_equal(sf_engine_add(e, &a3), SF_OK);
    assert_int_equal(sf_engine_add(e, &a4), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 0); /* not folded yet */
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 2);
    long sq = story_of(e, "q1");
    assert_true(sq >= 0);
    assert_int_equal(story_of(e, "q2"), sq);
    assert_int_equal(story_of(e, "q3"), sq);
    assert_true(story_of(e, "e1") != sq);

    /* q2 has the same text as q1: an exact copy of the earlier article */
    const char *copy_of = NULL;
    for (size_t k = 0; k < 3; k++) {
        const char *id = sf_engine_story_article(e, (size_t)sq, k, &copy_of);
        if (strcmp(id, "q2") == 0)
            break;
    }
    assert_non_null(copy_of);
    assert_string_equal(copy_of, "q1");

    sf_story_info info;
    assert_int_equal(sf_engine_story_info(e, (size_t)sq, &info), SF_OK);
    assert_int_equal(info.articles, 3);
    assert_int_equal(info.copies, 1);
    assert_string_equal(info.first_date, "2024-03-04");
    assert_string_equal(info.last_date, "2024-03-05");
    assert_int_equal(sf_engine_story_info(e, 99, &info), SF_EINVAL);

    sf_story_article sa;
    assert_int_equal(sf_engine_story_article_info(e, (size_t)sq, 0, &sa), SF_OK);
    assert_string_equal(sa.id, "q1");
    assert_string_equal(sa.title, "Earthquake kills 12 in Valdora");
    assert_string_equal(sa.date, "2024-03-04");
    assert_string_equal(sa.lang, "en");
    assert_null(sa.copy_of);
    assert_int_equal(sf_engine_story_article_info(e, (size_t)sq, 1, &sa), SF_OK);
    assert_string_equal(sa.copy_of, "q1");
    assert_near(sa.copy_similarity, 1.0, 1e-9);
    assert_int_equal(sf_engine_story_article_info(e, (size_t)sq, 3, &sa), SF_EINVAL);
    assert_true(sf_engine_story_related(e, (size_t)sq, 99) == SIZE_MAX);

    json_t *j = story_json(e, (size_t)sq);
    assert_string_equal(json_string_value(json_object_get(j, "id")), info.id);
    json_t *arts = json_object_get(j, "articles");
    assert_int_equal(json_array_size(arts), 3);
    assert_true(json_is_array(json_object_get(j, "related")));
    assert_true(json_is_array(json_object_get(j, "facts")));
    const char *text = json_string_value(json_object_get(j, "text"));
    assert_non_null(strstr(text, "Valdora"));
    json_decref(j);
    assert_null(sf_engine_story_json(e, 99, NULL));

    sf_engine_stats st;
    sf_engine_stats_get(e, &st);
    assert_int_equal(st.articles, 4);
    assert_int_equal(st.exact_copies, 1);
    assert_int_equal(st.stories, 2);
    sf_engine_free(e);
}

/* Articles whose text is empty (or cleaned away) are equal texts but copy
 * nothing: each stays its own copy group, in a full and an incremental
 * fold. */
static void test_empty_texts_are_not_copies(void **state)
{
    (void)state;
    for (int incremental = 0; incremental < 2; incremental++) {
        sf_options opt;
        sf_options_default(&opt);
        opt.threads = 1;
        opt.refold_growth = incremental ? 1000 : 0;
        sf_engine *e = sf_engine_new(&opt);
        assert_non_null(e);
        sf_article q1 = art("q1", "Earthquake kills 12 in Valdora", QUAKE, "2024-03-04");
        sf_article x1 = art("x1", "Lohan checks into rehab", "", "2013-05-03");
        sf_article x2 = art("x2", "June 06, 2013", "", "2013-06-06");
        assert_int_equal(sf_engine_add(e, &q1), SF_OK);
        assert_int_equal(sf_engine_add(e, &x1), SF_OK);
        if (incremental)
            assert_int_equal(sf_engine_fold(e), SF_OK);
        assert_int_equal(sf_engine_add(e, &x2), SF_OK);
        assert_int_equal(sf_engine_fold(e), SF_OK);
        assert_true(story_of(e, "x1") >= 0 && story_of(e, "x2") >= 0);
        assert_true(story_of(e, "x1") != story_of(e, "x2"));
        for (size_t i = 0; i < sf_engine_story_count(e); i++) {
            const char *got, *copy_of = NULL;
            for (size_t k = 0; (got = sf_engine_story_article(e, i, k, &copy_of)); k++)
                assert_null(copy_of);
        }
        sf_engine_stats st;
        sf_engine_stats_get(e, &st);
        assert_int_equal(st.exact_copies, 0);
        sf_engine_free(e);
    }
}

/* The date factor: no loss within 3 days, linear to 0.6 at 33 days, then
 * slowly on to 0.45 a year apart; unknown dates are no evidence. */
static void test_date_factor(void **state)
{
    (void)state;
    int32_t d = 20000;
    assert_near(sf_date_factor(SF_NO_DAY, d), 1.0, 1e-12);
    assert_near(sf_date_factor(d, SF_NO_DAY), 1.0, 1e-12);
    assert_near(sf_date_factor(d, d), 1.0, 1e-12);
    assert_near(sf_date_factor(d, d + 3), 1.0, 1e-12);
    assert_near(sf_date_factor(d, d + 18), 0.8, 1e-9);
    assert_near(sf_date_factor(d + 18, d), 0.8, 1e-9);
    assert_near(sf_date_factor(d, d + 33), 0.6, 1e-9);
    assert_near(sf_date_factor(d, d + 365), 0.1, 1e-9);
    assert_near(sf_date_factor(d, d + 3000), 0.1, 1e-9);
    /* a season apart is between the month's and the half year's factor */
    double season = sf_date_factor(d, d + 120);
    assert_true(season < 0.6 && season > 0.45);
    assert_near(sf_date_factor(d, d + 180), 0.45, 1e-9);
    double nine = sf_date_factor(d, d + 270);
    assert_true(nine < 0.45 && nine > 0.1);
    double prev = 1.0;
    for (int32_t gap = 0; gap <= 400; gap++) {
        double f = sf_date_factor(d, d + gap);
        assert_true(f <= prev + 1e-12);
        prev = f;
    }
}

static void test_fold_again_after_adding(void **state)
{
    (void)state;
    sf_engine *e = sf_engine_new(NULL);
    sf_article a1 = art("q1", "Earthquake kills 12 in Valdora", QUAKE, NULL);
    sf_article a4 = art("e1", "Porto Lenz elects Jonas Weller mayor", ELECTION, NULL);
    assert_int_equal(sf_engine_add(e, &a1), SF_OK);
    assert_int_equal(sf_engine_add(e, &a4), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 2);
    sf_story_info before;
    assert_int_equal(sf_engine_story_info(e, (size_t)story_of(e, "q1"), &before), SF_OK);
    char id_before[64];
    snprintf(id_before, sizeof id_before, "%s", before.id);
    sf_article a3 = art("q3", "Quake in Valdora leaves 12 dead", QUAKE_REWRITE, NULL);
    assert_int_equal(sf_engine_add(e, &a3), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 0); /* stale until folded */
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 2);
    assert_int_equal(story_of(e, "q3"), story_of(e, "q1"));
    /* the story keeps its id: it is named after its first article */
    sf_story_info after;
    assert_int_equal(sf_engine_story_info(e, (size_t)story_of(e, "q1"), &after), SF_OK);
    assert_string_equal(after.id, id_before);
    sf_engine_free(e);
}

/* Incremental folding places new articles in the stories they belong to,
 * reports what changed, and gives the stories of one fold of everything
 * on these articles. */
static void test_incremental_fold(void **state)
{
    (void)state;
    sf_options opt;
    sf_options_default(&opt);
    opt.refold_growth = 1000; /* never refold everything */
    opt.threads = 1;
    sf_engine *e = sf_engine_new(&opt);
    sf_article q1 = art("q1", "Earthquake kills 12 in Valdora", QUAKE, "2024-03-04");
    sf_article e1 = art("e1", "Porto Lenz elects Jonas Weller mayor", ELECTION, "2024-03-03");
    sf_article q2 = art("q2", "Quake in Valdora leaves 12 dead", QUAKE_REWRITE, "2024-03-04");
    sf_article q3 = art("q3", "Earthquake kills 12 in Valdora", QUAKE, "2024-03-05");
    assert_int_equal(sf_engine_add(e, &q1), SF_OK);
    assert_int_equal(sf_engine_add(e, &e1), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    sf_engine_stats es;
    sf_engine_stats_get(e, &es);
    assert_int_equal(es.full_folds, 1);
    assert_int_equal(sf_engine_story_count(e), 2);
    assert_true(sf_engine_story_changed(e, 0) && sf_engine_story_changed(e, 1));
    assert_null(sf_engine_story_gone(e, 0));
    long quake = story_of(e, "q1"), election = story_of(e, "e1");
    char quake_id[32];
    sf_story_info info;
    assert_int_equal(sf_engine_story_info(e, (size_t)quake, &info), SF_OK);
    snprintf(quake_id, sizeof quake_id, "%s", info.id);

    /* a rewrite joins the quake story; the election story is untouched */
    assert_int_equal(sf_engine_add(e, &q2), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    sf_engine_stats_get(e, &es);
    assert_int_equal(es.full_folds, 1);
    assert_int_equal(es.incremental_folds, 1);
    assert_int_equal(sf_engine_story_count(e), 2);
    quake = story_of(e, "q1");
    election = story_of(e, "e1");
    assert_int_equal(story_of(e, "q2"), quake);
    assert_true(sf_engine_story_changed(e, (size_t)quake));
    assert_false(sf_engine_story_changed(e, (size_t)election));
    assert_int_equal(sf_engine_story_info(e, (size_t)quake, &info), SF_OK);
    assert_string_equal(info.id, quake_id);
    assert_int_equal(info.articles, 2);

    /* an exact copy joins its original's copy group */
    assert_int_equal(sf_engine_add(e, &q3), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(story_of(e, "q3"), story_of(e, "q1"));
    const char *copy_of = NULL;
    const char *got;
    size_t i = (size_t)story_of(e, "q1");
    for (size_t k = 0; (got = sf_engine_story_article(e, i, k, &copy_of)); k++)
        if (strcmp(got, "q3") == 0)
            break;
    assert_non_null(got);
    assert_non_null(copy_of);
    assert_string_equal(copy_of, "q1");
    assert_true(sf_engine_story_changed(e, i));
    assert_false(sf_engine_story_changed(e, (size_t)story_of(e, "e1")));
    sf_engine_stats_get(e, &es);
    assert_int_equal(es.exact_copies, 1);

    /* the same stories as one fold of everything */
    opt.refold_growth = 0;
    sf_engine *once = sf_engine_new(&opt);
    const sf_article all[] = {q1, e1, q2, q3};
    assert_int_equal(sf_engine_add_batch(once, all, 4, NULL), SF_OK);
    assert_int_equal(sf_engine_fold(once), SF_OK);
    assert_int_equal(sf_engine_story_count(once), sf_engine_story_count(e));
    for (size_t k = 0; k < 4; k++)
        for (size_t j = 0; j < 4; j++)
            assert_int_equal(story_of(once, all[k].id) == story_of(once, all[j].id),
                             story_of(e, all[k].id) == story_of(e, all[j].id));
    sf_engine_free(once);
    sf_engine_free(e);
}

/* Within refold_growth of the last full fold a fold is incremental; past
 * it, the fold is a full one again. */
static void test_incremental_refold_after_growth(void **state)
{
    (void)state;
    sf_options opt;
    sf_options_default(&opt);
    opt.refold_growth = 1.0;
    opt.threads = 1;
    sf_engine *e = sf_engine_new(&opt);
    sf_article q1 = art("q1", "Earthquake kills 12 in Valdora", QUAKE, "2024-03-04");
    sf_article e1 = art("e1", "Porto Lenz elects Jonas Weller mayor", ELECTION, "2024-03-03");
    sf_article q2 = art("q2", "Quake in Valdora leaves 12 dead", QUAKE_REWRITE, "2024-03-04");
    assert_int_equal(sf_engine_add(e, &q1), SF_OK);
    assert_int_equal(sf_engine_add(e, &e1), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    /* 2 -> 3 articles: within the growth allowed, incremental */
    assert_int_equal(sf_engine_add(e, &q2), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    sf_engine_stats es;
    sf_engine_stats_get(e, &es);
    assert_int_equal(es.incremental_folds, 1);
    /* 3 -> 5: past twice the last full fold's 2, folded afresh */
    sf_article c1 = art("c1", "Copy", ELECTION, NULL), c2 = art("c2", "Copy", QUAKE, NULL);
    assert_int_equal(sf_engine_add(e, &c1), SF_OK);
    assert_int_equal(sf_engine_add(e, &c2), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    sf_engine_stats_get(e, &es);
    assert_int_equal(es.full_folds, 2);
    assert_int_equal(es.incremental_folds, 1);
    assert_int_equal(story_of(e, "c1"), story_of(e, "e1"));
    assert_int_equal(story_of(e, "c2"), story_of(e, "q1"));
    assert_null(sf_engine_story_gone(e, 0)); /* nothing merged away */
    sf_engine_free(e);
}

static void test_thresholds_change_grouping(void **state)
{
    (void)state;
    sf_options opt;
    sf_options_default(&opt);
    assert_true(opt.event_threshold > 0 && opt.event_threshold < 1);
    assert_true(opt.related_threshold < opt.event_threshold);
    opt.event_threshold = 0.999; /* nothing but copies can meet this */
    sf_engine *e = sf_engine_new(&opt);
    sf_article a1 = art("q1", NULL, QUAKE, NULL);
    sf_article a3 = art("q3", NULL, QUAKE_REWRITE, NULL);
    assert_int_equal(sf_engine_add(e, &a1), SF_OK);
    assert_int_equal(sf_engine_add(e, &a3), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 2);
    sf_engine_free(e);
}

/* Reports of one plant written for this test: two give its capacity as
 * 300,000 vehicles a year and a start by 2026, one as 200,000 and by 2027;
 * PHASES states two capacities itself (a plant and its first phase). */
static const char *PLANT_A =
    "Carmaker Velora will build a plant in the port of Ostrava Nova with a "
    "capacity of 300,000 vehicles a year, the company said on Tuesday.\n"
    "Production is due to start by 2026, chief executive Mira Halden told "
    "reporters at the site.";
static const char *PLANT_B =
    "Velora's new factory at Ostrava Nova will turn out 300,000 vehicles a year "
    "once it runs at full speed, according to the carmaker.\n"
    "Halden said the first cars would leave the line by 2026 and that the region "
    "had offered land and a rail link.";
static const char *PLANT_C =
    "The Ostrava Nova works planned by Velora are to make 200,000 vehicles a "
    "year, a regional official said.\n"
    "Assembly should begin by 2027, he added, after Mira Halden visited the "
    "port.";
static const char *PHASES =
    "Velora said the Ostrava Nova plant would make 300,000 vehicles a year, "
    "with a first phase of 100,000 vehicles a year.\n"
    "Halden has not said when the second phase would follow.";

/* The disagreement of story s about what, or NULL. */
static json_t *disagreement(json_t *story, const char *what)
{
    json_t *d = json_object_get(story, "disagreements");
    for (size_t i = 0; i < json_array_size(d); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(d, i), "what")), what) == 0)
            return json_array_get(d, i);
    return NULL;
}

/* The side of disagreement d with value v (number), its support and the id
 * of its first source. */
static json_t *side_of(json_t *d, double v)
{
    json_t *sides = json_object_get(d, "sides");
    for (size_t i = 0; i < json_array_size(sides); i++) {
        json_t *val = json_object_get(json_array_get(sides, i), "value");
        if (json_is_number(val) && json_number_value(val) == v)
            return json_array_get(sides, i);
    }
    return NULL;
}

static sf_engine *fold_all(const sf_article *a, size_t n)
{
    sf_options opt;
    sf_options_default(&opt);
    opt.event_threshold = 0.0001; /* one story: the test is about its facts */
    opt.related_threshold = 0.00005;
    sf_engine *e = sf_engine_new(&opt);
    assert_non_null(e);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sf_engine_add(e, &a[i]), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 1);
    return e;
}

/* A quake reported in the same agency's words a year later is another
 * event: a year apart the similarity of such reports falls under the
 * event threshold. */
static void test_year_apart(void **state)
{
    (void)state;
    static const char *const now =
        "ANKARA, March 12 (Reuters) - A magnitude 6.1 earthquake struck eastern Turkey on "
        "Tuesday, killing at least 12 people and injuring 150, the disaster agency AFAD said.\n"
        "The quake hit the province of Malatya at 4:15 a.m. local time, AFAD said. Rescue teams "
        "were searching collapsed buildings in the town of Yesilyurt.";
    static const char *const before =
        "ANKARA, February 6 (Reuters) - A magnitude 5.8 earthquake struck eastern Turkey on "
        "Monday, killing at least 20 people and injuring 300, the disaster agency AFAD said.\n"
        "The quake struck Malatya province before dawn, and rescuers dug through the rubble of "
        "homes in Yesilyurt, AFAD said.";
    sf_article a[2] = {art("now", "Earthquake kills 12 in eastern Turkey", now, "2024-03-12"),
                       art("before", "Earthquake kills 20 in eastern Turkey", before, "2023-02-06")};
    sf_options opt;
    sf_options_default(&opt);
    for (int pass = 0; pass < 2; pass++) {
        /* then the same reports two days apart: one event */
        if (pass == 1) {
            a[1].date = "2024-03-14";
            a[1].date_len = strlen(a[1].date);
        }
        sf_engine *e = sf_engine_new(NULL);
        for (size_t i = 0; i < 2; i++)
            assert_int_equal(sf_engine_add(e, &a[i]), SF_OK);
        assert_int_equal(sf_engine_fold(e), SF_OK);
        sf_similarity s;
        assert_int_equal(sf_engine_similarity(e, 0, 1, &s), SF_OK);
        assert_true(pass == 0 ? s.event < opt.event_threshold : s.event > opt.event_threshold);
        assert_int_equal(sf_engine_story_count(e), pass == 0 ? 2 : 1);
        sf_engine_free(e);
    }
}

static void test_value_disagreements(void **state)
{
    (void)state;
    sf_article a[3] = {art("a", "Velora to build Ostrava Nova plant", PLANT_A, "2024-05-07"),
                       art("b", "Velora plant for 300,000 cars", PLANT_B, "2024-05-07"),
                       art("c", "Ostrava Nova car plant", PLANT_C, "2024-05-08")};
    sf_engine *e = fold_all(a, 3);
    json_t *j = story_json(e, 0);
    json_t *cap = disagreement(j, "quantity vehicle");
    assert_non_null(cap);
    assert_int_equal(json_array_size(json_object_get(cap, "sides")), 2);
    json_t *big = side_of(cap, 300000), *small = side_of(cap, 200000);
    assert_non_null(big);
    assert_non_null(small);
    assert_int_equal(json_integer_value(json_object_get(big, "support")), 2);
    assert_int_equal(json_integer_value(json_object_get(small, "support")), 1);
    assert_string_equal(json_string_value(json_object_get(big, "per")), "year");
    json_t *src = json_array_get(json_object_get(small, "sources"), 0);
    assert_string_equal(json_string_value(json_object_get(src, "id")), "c");
    assert_string_equal(json_string_value(json_object_get(src, "quote")),
                        "200,000 vehicles a year");
    /* the deadline: by 2026 (a, b) against by 2027 (c) */
    json_t *by = disagreement(j, "date by");
    assert_non_null(by);
    json_t *sides = json_object_get(by, "sides");
    assert_int_equal(json_array_size(sides), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(sides, 0), "value")),
                        "2026");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(sides, 0), "support")), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(sides, 1), "value")),
                        "2027");
    json_decref(j);
    sf_engine_free(e);
}

static void test_no_disagreement_within_one_article(void **state)
{
    (void)state;
    /* One article states 300,000 and 100,000 vehicles a year: two
     * different quantities (the plant, its first phase), not a dispute;
     * and agreeing articles give none. */
    sf_article a[2] = {art("a", "Velora to build Ostrava Nova plant", PLANT_A, "2024-05-07"),
                       art("p", "Velora plant in phases", PHASES, "2024-05-07")};
    sf_engine *e = fold_all(a, 2);
    json_t *j = story_json(e, 0);
    assert_null(disagreement(j, "quantity vehicle"));
    json_decref(j);
    sf_engine_free(e);
}

/* Counts of the dead: a report giving two counts (a toll and a past
 * disaster's, a breakdown) speaks of different things; counts stated alone
 * by different reports disagree. */
static void test_count_disagreements(void **state)
{
    (void)state;
    static const char *const one =
        "A ferry capsized on Lake Varnoa near Mirel, and 12 people were killed, the coastguard "
        "said. In 2019 a storm on the lake killed 40 people.";
    static const char *const twelve =
        "The coastguard said 12 people were killed when a ferry capsized on Lake Varnoa "
        "near Mirel.";
    static const char *const fifteen =
        "Divers said 15 people were killed when the ferry capsized on Lake Varnoa near Mirel.";
    /* one report alone: its two counts are no disagreement */
    sf_article a[3] = {art("both", NULL, one, "2026-03-05"),
                       art("twelve", NULL, twelve, "2026-03-05"),
                       art("fifteen", NULL, fifteen, "2026-03-06")};
    sf_engine *e = fold_all(a, 1);
    json_t *j = story_json(e, 0);
    assert_null(disagreement(j, "people killed"));
    json_decref(j);
    sf_engine_free(e);
    /* with a report of 12 that agrees with it: still none (40 is stated
     * only beside 12) */
    e = fold_all(a, 2);
    j = story_json(e, 0);
    assert_null(disagreement(j, "people killed"));
    json_decref(j);
    sf_engine_free(e);
    /* and a report of 15: 12 (two reports) against 15 (one), 40 not a side */
    e = fold_all(a, 3);
    j = story_json(e, 0);
    json_t *d = disagreement(j, "people killed");
    assert_non_null(d);
    assert_int_equal(json_array_size(json_object_get(d, "sides")), 2);
    json_t *s12 = side_of(d, 12), *s15 = side_of(d, 15);
    assert_non_null(s12);
    assert_non_null(s15);
    assert_null(side_of(d, 40));
    assert_int_equal(json_integer_value(json_object_get(s12, "support")), 2);
    json_t *src = json_array_get(json_object_get(s15, "sources"), 0);
    assert_string_equal(json_string_value(json_object_get(src, "id")), "fifteen");
    assert_string_equal(json_string_value(json_object_get(src, "quote")), "15 people were killed");
    json_decref(j);
    sf_engine_free(e);
    /* a past event's toll, in the sentence of an earlier year, takes no
     * side even in a report stating no other count (undated: of the
     * story's latest year) */
    static const char *const past =
        "The ferry capsized on Lake Varnoa near Mirel. A storm on the lake in 2019 killed 40 "
        "people.";
    sf_article b[3] = {art("twelve", NULL, twelve, "2026-03-05"),
                       art("fifteen", NULL, fifteen, "2026-03-06"), art("past", NULL, past, NULL)};
    e = fold_all(b, 3);
    j = story_json(e, 0);
    d = disagreement(j, "people killed");
    assert_non_null(d);
    assert_int_equal(json_array_size(json_object_get(d, "sides")), 2);
    assert_null(side_of(d, 40));
    json_decref(j);
    sf_engine_free(e);
    /* the same report dated 2019 tells of that storm: a side */
    b[2] = art("past", NULL, past, "2019-06-01");
    e = fold_all(b, 3);
    j = story_json(e, 0);
    assert_non_null(side_of(disagreement(j, "people killed"), 40));
    json_decref(j);
    sf_engine_free(e);
    /* "last year", resolved against the article's date, is an earlier
     * year too: each report's own toll still takes its side */
    static const char *const last_year =
        "The ferry capsized on Lake Varnoa near Mirel. Last year a storm on the lake killed 40 "
        "people.";
    char twelve_ly[512], fifteen_ly[512];
    snprintf(twelve_ly, sizeof twelve_ly, "%s %s", twelve, last_year);
    snprintf(fifteen_ly, sizeof fifteen_ly, "%s %s", fifteen, last_year);
    sf_article c[2] = {art("twelve", NULL, twelve_ly, "2026-03-05"),
                       art("fifteen", NULL, fifteen_ly, "2026-03-06")};
    e = fold_all(c, 2);
    j = story_json(e, 0);
    d = disagreement(j, "people killed");
    assert_non_null(d);
    assert_null(side_of(d, 40));
    assert_int_equal(json_array_size(json_object_get(d, "sides")), 2);
    json_decref(j);
    sf_engine_free(e);
}

/* The sources' ids of fact f, joined by spaces (static). */
static const char *source_ids(json_t *f)
{
    static char buf[256];
    buf[0] = '\0';
    json_t *src = json_object_get(f, "sources");
    for (size_t i = 0; i < json_array_size(src); i++) {
        const char *id = json_string_value(json_object_get(json_array_get(src, i), "id"));
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? " " : "", id);
    }
    return buf;
}

/* The day of the deaths: reports giving one day each disagree; a report
 * giving two days (two events) takes no side; the day of a deadline is not
 * the deadline's year. */
static void test_harm_day_disagreements(void **state)
{
    (void)state;
    sf_article a[4] = {
        art("four", NULL, "Twelve people were killed on 4 March when a ferry capsized on Lake "
            "Varnoa near Mirel. The port will reopen by 2026.", "2026-03-06"),
        art("four2", NULL, "A ferry capsized on Lake Varnoa near Mirel and 12 people were killed "
            "on March 4, the coastguard said.", "2026-03-06"),
        art("three", NULL, "A ferry capsized on Lake Varnoa near Mirel, where 12 people were "
            "killed on 3 March. The port will reopen by 2027.", "2026-03-06"),
        art("both", NULL, "A ferry capsized on Lake Varnoa near Mirel and 12 people were killed "
            "on 3 March; on 4 March 2 people were killed in a second ferry.", "2026-03-06")};
    /* the same day twice: none */
    sf_engine *e = fold_all(a, 2);
    json_t *j = story_json(e, 0);
    assert_null(disagreement(j, "date people killed"));
    json_decref(j);
    sf_engine_free(e);
    /* 4 March (two reports) against 3 March (one); "both" takes no side */
    sf_article b[4] = {a[0], a[1], a[2], a[3]};
    e = fold_all(b, 4);
    j = story_json(e, 0);
    json_t *d = disagreement(j, "date people killed");
    assert_non_null(d);
    json_t *sides = json_object_get(d, "sides");
    assert_int_equal(json_array_size(sides), 2);
    json_t *s0 = json_array_get(sides, 0), *s1 = json_array_get(sides, 1);
    assert_string_equal(json_string_value(json_object_get(s0, "value")), "2026-03-04");
    assert_string_equal(source_ids(s0), "four four2");
    assert_string_equal(json_string_value(json_object_get(s1, "value")), "2026-03-03");
    assert_string_equal(source_ids(s1), "three");
    /* by 2026 against by 2027, though 4 March 2026 is a date of 2026 */
    json_t *by = disagreement(j, "date by");
    assert_non_null(by);
    assert_string_equal(source_ids(json_array_get(json_object_get(by, "sides"), 0)), "four");
    json_decref(j);
    sf_engine_free(e);
    /* a weekday's day comes from its article's date: "Tuesday" in a
     * report of Friday 6 March 2026 is a date fact of 3 March, but takes
     * no side against the other report's 4 March */
    sf_article w[2] = {a[0], art("wed", NULL, "A ferry capsized on Lake Varnoa near Mirel and "
                                 "12 people were killed on Tuesday, the coastguard said.",
                                 "2026-03-06")};
    e = fold_all(w, 2);
    j = story_json(e, 0);
    assert_int_equal(json_array_size(json_object_get(j, "articles")), 2);
    assert_null(disagreement(j, "date people killed"));
    bool tuesday = false;
    json_t *facts = json_object_get(j, "facts");
    for (size_t i = 0; i < json_array_size(facts); i++) {
        json_t *f = json_array_get(facts, i);
        const char *v = json_string_value(json_object_get(f, "value"));
        tuesday |= v && strcmp(v, "2026-03-03") == 0 && !strcmp(source_ids(f), "wed");
    }
    assert_true(tuesday);
    json_decref(j);
    sf_engine_free(e);
}

/* The quantity fact of story j whose unit is unit, or NULL. */
static json_t *quantity_fact(json_t *j, const char *unit)
{
    json_t *facts = json_object_get(j, "facts");
    for (size_t i = 0; i < json_array_size(facts); i++) {
        json_t *f = json_array_get(facts, i);
        json_t *u = json_object_get(f, "unit");
        if (strcmp(json_string_value(json_object_get(f, "kind")), "quantity") == 0 && u &&
            strcmp(json_string_value(u), unit) == 0)
            return f;
    }
    return NULL;
}

/* "300.000" is three hundred in English and three hundred thousand in
 * Spanish: read by the article's language, the other reading said; an
 * English "300.000" joins the others' 300,000 by that reading, and the
 * fact is shown by a form that reads one way. */
static void test_ambiguous_numbers(void **state)
{
    (void)state;
    sf_article a[3] = {
        art("en1", NULL, "Carmaker Velora will build a plant in Ostrava Nova that can make "
            "300.000 vehicles a year, the company said.", "2024-05-07"),
        art("es1", NULL, "El fabricante Velora construirá una planta en Ostrava Nova que podrá "
            "fabricar 300.000 vehículos al año, dijo la empresa.", "2024-05-07"),
        art("en2", NULL, "Velora's plant in Ostrava Nova will make 300,000 vehicles a year, "
            "the carmaker said on Tuesday.", "2024-05-07")};
    a[1].lang = "es";
    /* alone, the English form is three hundred, and says it is ambiguous */
    sf_engine *e = fold_all(a, 1);
    json_t *j = story_json(e, 0);
    json_t *f = quantity_fact(j, "vehicle");
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(f, "value")), 300);
    assert_int_equal(json_integer_value(json_object_get(f, "other_reading")), 300000);
    json_decref(j);
    sf_engine_free(e);
    /* with the Spanish and the comma forms: one fact of 300,000, support 3 */
    e = fold_all(a, 3);
    j = story_json(e, 0);
    f = quantity_fact(j, "vehicle");
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(f, "value")), 300000);
    assert_null(json_object_get(f, "other_reading"));
    assert_int_equal(json_integer_value(json_object_get(f, "support")), 3);
    assert_string_equal(json_string_value(json_object_get(f, "per")), "year");
    assert_string_equal(source_ids(f), "en1 es1 en2");
    assert_null(disagreement(j, "quantity vehicle"));
    json_decref(j);
    sf_engine_free(e);
}

/* Qualifiers in a fact's JSON: "up to", "at least" (Turkish after the
 * number: "'e kadar", "den fazla"), "about". */
static void test_qualifier_json(void **state)
{
    (void)state;
    static const struct {
        const char *text, *lang, *field;
    } cases[] = {
        {"Velora'nın Ostrava Nova fabrikası yılda 300.000'e kadar araç üretecek.", "tr",
         "up_to"},
        {"Velora'nın Ostrava Nova fabrikası yılda 300 binden fazla araç üretecek.", "tr",
         "at_least"},
        {"Velora's plant in Ostrava Nova will make about 300,000 vehicles a year.", "en",
         "approx"},
    };
    static const char *const fields[] = {"up_to", "at_least", "approx"};
    for (size_t k = 0; k < SF_ARRAY_LEN(cases); k++) {
        sf_article a[1] = {art("a", NULL, cases[k].text, "2024-05-07")};
        a[0].lang = cases[k].lang;
        a[0].lang_len = strlen(cases[k].lang);
        sf_engine *e = fold_all(a, 1);
        json_t *j = story_json(e, 0);
        json_t *f = quantity_fact(j, "vehicle");
        assert_non_null(f);
        assert_int_equal(json_integer_value(json_object_get(f, "value")), 300000);
        for (size_t q = 0; q < SF_ARRAY_LEN(fields); q++)
            if (json_is_true(json_object_get(f, fields[q])) != !strcmp(fields[q], cases[k].field))
                fail_msg("\"%s\": %s wrong", cases[k].text, fields[q]);
        json_decref(j);
        sf_engine_free(e);
    }
}

/* The fact of story j whose name is name, or NULL. */
static json_t *name_fact(json_t *j, const char *name)
{
    json_t *facts = json_object_get(j, "facts");
    for (size_t i = 0; i < json_array_size(facts); i++) {
        json_t *n = json_object_get(json_array_get(facts, i), "name");
        if (n && strcmp(json_string_value(n), name) == 0)
            return json_array_get(facts, i);
    }
    return NULL;
}

static void test_one_word_names(void **state)
{
    (void)state;
    /* "Tarrow" (one capitalised word inside sentences) is named by two
     * articles: a fact. "Quarterly" is capitalised in one article only:
     * not a fact. */
    sf_article a[2] = {
        art("a", "Tarrow buys a mill", "The board of Tarrow agreed to buy the mill on Monday. "
            "Analysts expect the Quarterly figures of Tarrow to improve.", "2024-05-07"),
        art("b", "Mill sold", "The mill was sold to Tarrow for 40 million euros, the seller "
            "said on Monday.", "2024-05-07")};
    sf_engine *e = fold_all(a, 2);
    json_t *j = story_json(e, 0);
    json_t *f = name_fact(j, "tarrow");
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(f, "support")), 2);
    assert_null(name_fact(j, "quarterly"));
    json_decref(j);
    sf_engine_free(e);
    /* German capitalises every noun: one word is no evidence of a name */
    sf_article d[2] = {
        art("c", "Werk verkauft", "Der Konzern hat das Werk am Montag verkauft.", "2024-05-07"),
        art("d", "Neues Werk", "Der Verkauf an den Konzern wurde am Montag bekannt.", "2024-05-07")};
    d[0].lang = "de", d[0].lang_len = 2, d[1].lang = "de", d[1].lang_len = 2;
    e = fold_all(d, 2);
    j = story_json(e, 0);
    assert_null(name_fact(j, "konzern"));
    json_decref(j);
    sf_engine_free(e);
}

/* A heading in title case capitalises every word: its runs of capitals
 * ("Teen Fatally Shot", "Bronx Apartment") are no names unless the text
 * says them too ("Ackeem Davis") or another article does. A list line
 * (a phone number) is no heading. */
static void test_heading_names(void **state)
{
    (void)state;
    sf_article a[1] = {
        art("a", "Teen killed in the Bronx",
            "Police said Ackeem Davis, 17, was shot on Thursday in an apartment in the "
            "Bronx, and the gun was found in a closet by officers.\n"
            "Teen Fatally Shot inside Bronx Apartment: NYPD\n"
            "A 17-year-old boy was fatally shot in the chest inside an apartment on "
            "Thursday, police said, and his family asked for help.\n"
            "Wasatch Mental Health Crisis Line: 801-373-7393\n"
            "Friends of the teen gathered on Friday outside the building where he lived "
            "with his mother and sister.", "2016-05-20")};
    sf_engine *e = fold_all(a, 1);
    json_t *j = story_json(e, 0);
    assert_null(name_fact(j, "teen fatally shot"));
    assert_null(name_fact(j, "bronx apartment"));
    assert_non_null(name_fact(j, "ackeem davis"));
    assert_non_null(name_fact(j, "wasatch mental health crisis line"));
    json_decref(j);
    sf_engine_free(e);
    /* a heading's name that a second article names is shown */
    sf_article b[2] = {
        art("a", "A tram for the harbor", "The tram runs from the harbor to the station "
            "and opened on Monday, with the first riders on board before dawn.\n"
            "Harbor Tram Line: Mayor Cuts Ribbon\n"
            "The mayor cut a ribbon at the station and rode the first tram to the harbor, "
            "where a crowd waited in the rain.", "2016-05-20"),
        art("b", NULL, "The Harbor Tram Line opened on Monday, the mayor said, and the tram "
            "runs from the harbor to the station.", "2016-05-20")};
    e = fold_all(b, 2);
    assert_int_equal(sf_engine_story_count(e), 1);
    j = story_json(e, 0);
    json_t *f = name_fact(j, "harbor tram line");
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(f, "support")), 2);
    json_decref(j);
    sf_engine_free(e);
}

/* The headline of story 0 in its JSON, which sf_engine_story_info must
 * give too. */
static char *headline_of(sf_engine *e)
{
    json_t *j = story_json(e, 0);
    char *h = strdup(json_string_value(json_object_get(j, "headline")));
    json_decref(j);
    sf_story_info info;
    assert_int_equal(sf_engine_story_info(e, 0, &info), SF_OK);
    assert_string_equal(info.headline, h);
    return h;
}

/* Articles without titles (bare texts) still give their story a headline:
 * a member's title when the representative has none or only a date line,
 * else the representative's first sentence, without its period, an
 * abbreviation's period no sentence end, cut at a word with "…" when long;
 * the same read back from disk. */
static void test_headline_fallback(void **state)
{
    (void)state;
    static const char *const want[] = {
        "Police in Valdora said Capt. Ana Lima led the search for the missing hikers on Monday",
        "The ferry that capsized near Mirel on Tuesday carried more than forty people, most of "
        "them tourists from the capital who…",
        "Ferry capsizes near Mirel",
    };
    sf_article cases[3][2] = {
        {art("a", NULL, "Police in Valdora said Capt. Ana Lima led the search for the missing "
             "hikers on Monday. The hikers were found alive.", "2024-05-07"),
         art("b", NULL, "The missing hikers were found alive in Valdora on Monday after a search "
             "led by Capt. Ana Lima, police said.", "2024-05-07")},
        {art("c", NULL, "The ferry that capsized near Mirel on Tuesday carried more than forty "
             "people, most of them tourists from the capital who had booked the trip on the same "
             "website. Divers searched the wreck.", "2024-05-07"),
         art("d", NULL, "Divers searched the wreck of the ferry that capsized near Mirel on "
             "Tuesday with more than forty people on board.", "2024-05-07")},
        {art("e", "TUESDAY, MAY 7, 2024", "The ferry that capsized near Mirel on Tuesday "
             "carried more than forty people. Divers searched the wreck.", "2024-05-07"),
         art("f", "Ferry capsizes near Mirel", "Divers searched the wreck of the ferry that "
             "capsized near Mirel on Tuesday with more than forty people on board.",
             "2024-05-07")},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(cases); k++) {
        sf_engine *e = fold_all(cases[k], 2);
        char *h = headline_of(e);
        if (strcmp(h, want[k]) != 0)
            fail_msg("case %zu: headline \"%s\", want \"%s\"", k, h, want[k]);
        free(h);
        sf_engine_free(e);
    }
    /* of two members' titles, the one that shares more words with the
     * representative's text */
    sf_article rehab[3] = {
        art("g", NULL, "Actress Lena Varga checked into a rehab clinic in Malibu on Tuesday, her "
            "publicist told the magazine. Varga thanked her fans.", "2024-05-07"),
        art("h", "It's about time, right?", "Lena Varga checked into a rehab clinic in Malibu, "
            "her publicist said on Tuesday. Varga thanked her fans for their support.",
            "2024-05-07"),
        art("i", "Lena Varga checks into rehab clinic", "The actress Lena Varga checked into a "
            "clinic in Malibu on Tuesday, a publicist told the magazine.", "2024-05-07")};
    sf_engine *e = fold_all(rehab, 3);
    sf_story_info info;
    assert_int_equal(sf_engine_story_info(e, 0, &info), SF_OK);
    assert_string_equal(e->docs[e->stories[0].rep].id, "g");
    char *h = headline_of(e);
    assert_string_equal(h, "Lena Varga checks into rehab clinic");
    free(h);
    sf_engine_free(e);
    /* read back from disk: the same */
    sf_options opt;
    sf_options_default(&opt);
    opt.event_threshold = 0.0001;
    opt.related_threshold = 0.00005;
    sf_engine *disk = sf_engine_new(&opt);
    assert_non_null(disk);
    char dir[] = "/tmp/sf-head-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(sf_engine_spill(disk, dir), SF_OK);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(sf_engine_add(disk, &cases[1][i]), SF_OK);
    assert_int_equal(sf_engine_fold(disk), SF_OK);
    h = headline_of(disk);
    assert_string_equal(h, want[1]);
    free(h);
    sf_engine_free(disk);
    assert_int_equal(rmdir(dir), 0);
}

/* A lone surname names the story's one person so called: "Davis" supports
 * "Ackeem Davis"; with two Davises it stays apart. */
static void test_surnames(void **state)
{
    (void)state;
    sf_article a[2] = {
        art("a", "Teen shot in Bronx", "Police said Ackeem Davis, 17, was shot on Thursday in "
            "the Bronx. Friends of Ackeem Davis gathered on Friday.", "2016-05-20"),
        art("b", "Bronx teen dies", "Police said Davis was shot in the chest in the Bronx "
            "apartment on Thursday. Doctors said Davis died at a hospital.", "2016-05-20")};
    sf_engine *e = fold_all(a, 2);
    assert_int_equal(sf_engine_story_count(e), 1);
    json_t *j = story_json(e, 0);
    json_t *f = name_fact(j, "ackeem davis");
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(f, "support")), 2);
    assert_null(name_fact(j, "davis"));
    json_decref(j);
    sf_engine_free(e);
    /* two people called Davis: "Davis" is neither */
    sf_article b[3] = {
        art("c", "Teen shot in Bronx", "Police said Ackeem Davis, 17, was shot on Thursday in "
            "the Bronx. His mother Anjelic Davis said Ackeem Davis loved music.", "2016-05-20"),
        art("d", "Bronx teen dies", "Police said Davis was shot in the chest in the Bronx "
            "apartment on Thursday. Doctors said Davis died at a hospital.", "2016-05-20"),
        art("e", "Bronx teen shot dead", "Officers said Davis was shot in a Bronx apartment on "
            "Thursday and that Davis died later.", "2016-05-20")};
    e = fold_all(b, 3);
    assert_int_equal(sf_engine_story_count(e), 1);
    j = story_json(e, 0);
    assert_non_null(name_fact(j, "davis"));
    json_decref(j);
    sf_engine_free(e);
}

/* "Plant 2" alone names the story's one plant numbered 2: an article that
 * says only "Plant 2" supports "Velora's Ostrava Plant 2"; with two plants
 * numbered 2 in the story it names neither. */
static void test_bare_plant_designation(void **state)
{
    (void)state;
    sf_article a[4] = {
        art("a", "Velora plant", "Carmaker Velora may build its cars at Velora's Ostrava "
            "Plant 2, the company said on Tuesday.", "2024-05-07"),
        art("b", "Velora plant", "Work at Plant 2 will start in June, the carmaker Velora "
            "said on Tuesday.", "2024-05-07"),
        art("c", "Velora plant", "The carmaker Velora said on Tuesday that the Ostrava "
            "Velora No. 2 factory would be used.", "2024-05-07"),
        art("e", "Velora plant", "The carmaker Velora said on Tuesday that the No. 2 plant "
            "would be used first.", "2024-05-07")};
    sf_engine *e = fold_all(a, 4);
    json_t *j = story_json(e, 0);
    json_t *f = name_fact(j, "velora ostrava plant 2");
    assert_non_null(f);
    assert_int_equal(json_integer_value(json_object_get(f, "support")), 4);
    assert_string_equal(source_ids(f), "a b c e");
    assert_null(name_fact(j, "plant 2"));
    assert_null(name_fact(j, "no 2 plant"));
    json_decref(j);
    sf_engine_free(e);
    /* two plants numbered 2: "Plant 2" stays apart */
    sf_article d[3] = {
        art("a", "Velora plant", "Carmaker Velora may build its cars at Velora's Ostrava "
            "Plant 2, the company said on Tuesday.", "2024-05-07"),
        art("b", "Velora plant", "Work at Plant 2 will start in June, the carmaker Velora "
            "said on Tuesday.", "2024-05-07"),
        art("c", "Velora plant", "The carmaker Velora said on Tuesday that the Tarrow "
            "Plant 2 of Kestrel Motors would not be used.", "2024-05-07")};
    e = fold_all(d, 3);
    j = story_json(e, 0);
    f = name_fact(j, "velora ostrava plant 2");
    assert_non_null(f);
    assert_string_equal(source_ids(f), "a");
    f = name_fact(j, "plant 2");
    assert_non_null(f);
    assert_string_equal(source_ids(f), "b");
    json_decref(j);
    sf_engine_free(e);
}

/* A denial in each language with cues (data/denial/): the sentence of the
 * denying article on one side, the other articles on the other. */
static void check_denial(const char *lang, const char *report, const char *denial,
                         const char *quote_part)
{
    sf_article a[3] = {art("r1", NULL, report, "2024-05-07"),
                       art("r2", NULL, report, "2024-05-08"),
                       art("d", NULL, denial, "2024-05-08")};
    /* r2 is a copy of r1: the reported side counts independent articles */
    for (size_t i = 0; i < 3; i++)
        a[i].lang = lang, a[i].lang_len = strlen(lang);
    sf_engine *e = fold_all(a, 3);
    json_t *j = story_json(e, 0);
    json_t *d = disagreement(j, "denial");
    if (!d)
        fail_msg("no denial in %s: %s", lang, denial);
    json_t *sides = json_object_get(d, "sides");
    assert_int_equal(json_array_size(sides), 2);
    json_t *denied = json_array_get(sides, 0), *reported = json_array_get(sides, 1);
    assert_string_equal(json_string_value(json_object_get(denied, "claim")), "denied");
    json_t *src = json_array_get(json_object_get(denied, "sources"), 0);
    assert_string_equal(json_string_value(json_object_get(src, "id")), "d");
    const char *q = json_string_value(json_object_get(src, "quote"));
    if (!strstr(q, quote_part))
        fail_msg("%s: quote \"%s\" lacks \"%s\"", lang, q, quote_part);
    size_t start = (size_t)json_integer_value(json_object_get(src, "start"));
    size_t end = (size_t)json_integer_value(json_object_get(src, "end"));
    assert_true(end <= strlen(denial) && start < end);
    assert_memory_equal(denial + start, q, end - start);
    assert_string_equal(json_string_value(json_object_get(reported, "claim")), "reported");
    assert_int_equal(json_integer_value(json_object_get(reported, "support")), 1);
    json_decref(j);
    sf_engine_free(e);
    /* the reports alone deny nothing */
    e = fold_all(a, 2);
    j = story_json(e, 0);
    assert_null(disagreement(j, "denial"));
    json_decref(j);
    sf_engine_free(e);
}

static void test_denials(void **state)
{
    (void)state;
    check_denial("en",
                 "Carmaker Velora will build its cars at the Tarrow plant of Kestrel Motors, "
                 "people familiar with the talks said on Tuesday.",
                 "Carmaker Velora may use the Tarrow plant of Kestrel Motors, a report said. "
                 "A Kestrel Motors spokesman called the reports baseless on Tuesday.",
                 "called the reports baseless");
    check_denial("tr",
                 "Otomobil üreticisi Velora araçlarını Kestrel Motors şirketinin Tarrow "
                 "fabrikasında üretecek, görüşmelere yakın kaynaklar salı günü söyledi.",
                 "Velora araçlarını Kestrel Motors şirketinin Tarrow fabrikasında üretebilir. "
                 "Kestrel Motors sözcüsü salı günü haberlerin asılsız olduğunu söyledi.",
                 "haberlerin asılsız");
    check_denial("ru",
                 "Автопроизводитель Велора будет выпускать машины на заводе Кестрел Моторс "
                 "в Тарроу, сообщили во вторник источники.",
                 "Велора может выпускать машины на заводе Кестрел Моторс в Тарроу. "
                 "Представитель Кестрел Моторс во вторник опроверг эти сообщения.",
                 "опроверг эти сообщения");
    /* a word of denying with a report word after it, in every language */
    check_denial("en",
                 "Carmaker Velora will build its cars at the Tarrow plant of Kestrel Motors, "
                 "people familiar with the talks said on Tuesday.",
                 "Carmaker Velora may use the Tarrow plant of Kestrel Motors, a report said. "
                 "Kestrel Motors denied the media reports on Tuesday.",
                 "denied the media reports");
    check_denial("es",
                 "El fabricante Velora producirá sus coches en la planta de Kestrel Motors en "
                 "Tarrow, dijeron fuentes cercanas a las conversaciones.",
                 "Velora podría usar la planta de Kestrel Motors en Tarrow. "
                 "Un portavoz de Kestrel Motors negó las informaciones el martes.",
                 "negó las informaciones");
    check_denial("it",
                 "Il produttore Velora costruirà le sue auto nello stabilimento di Kestrel Motors "
                 "a Tarrow, hanno detto fonti vicine ai colloqui.",
                 "Velora potrebbe usare lo stabilimento di Kestrel Motors a Tarrow. "
                 "Un portavoce di Kestrel Motors ha negato le notizie martedì.",
                 "ha negato le notizie");
    check_denial("de",
                 "Der Autobauer Velora wird seine Autos im Werk von Kestrel Motors in Tarrow "
                 "bauen, sagten mit den Gesprächen vertraute Personen.",
                 "Velora könnte das Werk von Kestrel Motors in Tarrow nutzen. "
                 "Ein Sprecher von Kestrel Motors bestritt die Berichte am Dienstag.",
                 "bestritt die Berichte");
    check_denial("fr",
                 "Le constructeur Velora fabriquera ses voitures dans l'usine de Kestrel Motors "
                 "à Tarrow, selon des sources proches des discussions.",
                 "Velora pourrait utiliser l'usine de Kestrel Motors à Tarrow. "
                 "Un porte-parole de Kestrel Motors a rejeté ces informations mardi.",
                 "rejeté ces informations");
    check_denial("pt",
                 "A fabricante Velora vai produzir seus carros na fábrica da Kestrel Motors em "
                 "Tarrow, disseram fontes próximas das negociações.",
                 "A Velora pode usar a fábrica da Kestrel Motors em Tarrow. "
                 "Um porta-voz da Kestrel Motors negou as notícias na terça-feira.",
                 "negou as notícias");
    check_denial("vi",
                 "Hãng xe Velora sẽ sản xuất ô tô tại nhà máy Tarrow của Kestrel Motors, các "
                 "nguồn tin thân cận cho biết.",
                 "Velora có thể dùng nhà máy Tarrow của Kestrel Motors. "
                 "Người phát ngôn của Kestrel Motors đã bác bỏ thông tin này.",
                 "bác bỏ thông tin");
    check_denial("id",
                 "Produsen mobil Velora akan membuat mobilnya di pabrik Tarrow milik Kestrel "
                 "Motors, kata sumber yang mengetahui pembicaraan itu.",
                 "Velora bisa memakai pabrik Tarrow milik Kestrel Motors. "
                 "Juru bicara Kestrel Motors membantah kabar tersebut pada Selasa.",
                 "membantah kabar tersebut");
    check_denial("tr",
                 "Otomobil üreticisi Velora araçlarını Kestrel Motors şirketinin Tarrow "
                 "fabrikasında üretecek, görüşmelere yakın kaynaklar salı günü söyledi.",
                 "Velora araçlarını Kestrel Motors şirketinin Tarrow fabrikasında üretebilir. "
                 "Kestrel Motors sözcüsü salı günü bu haberleri reddetti.",
                 "haberleri reddetti");
    check_denial("ru",
                 "Автопроизводитель Велора будет выпускать машины на заводе Кестрел Моторс "
                 "в Тарроу, сообщили во вторник источники.",
                 "Велора может выпускать машины на заводе Кестрел Моторс в Тарроу. "
                 "Представитель Кестрел Моторс во вторник отверг эти сообщения.",
                 "отверг эти сообщения");
}

/* A word of denying alone denies no report: a plea, a ruling, a refusal,
 * a report word that is not its object, or after a negation. */
static void test_denial_needs_report(void **state)
{
    (void)state;
    static const char *const report =
        "Carmaker Velora will build its cars at the Tarrow plant of Kestrel Motors, "
        "people familiar with the talks said on Tuesday.";
    static const char *const not_denials[] = {
        "Carmaker Velora may use the Tarrow plant of Kestrel Motors. A Kestrel Motors worker "
        "charged with arson was denied bail on Tuesday.",
        "Carmaker Velora may use the Tarrow plant of Kestrel Motors. The court of claims "
        "denied the motions of Kestrel Motors on Tuesday.",
        "Carmaker Velora may use the Tarrow plant of Kestrel Motors. Kestrel Motors would "
        "not comment, while not denying the story, on Tuesday.",
        "Carmaker Velora may use the Tarrow plant of Kestrel Motors. A Kestrel Motors worker "
        "denied owning the gun, the police report states.",
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(not_denials); k++) {
        sf_article a[2] = {art("r", NULL, report, "2024-05-07"),
                           art("d", NULL, not_denials[k], "2024-05-08")};
        sf_engine *e = fold_all(a, 2);
        json_t *j = story_json(e, 0);
        assert_int_equal(json_array_size(json_object_get(j, "articles")), 2);
        if (disagreement(j, "denial"))
            fail_msg("a denial in \"%s\"", not_denials[k]);
        json_decref(j);
        sf_engine_free(e);
    }
}

/* The similarity of two articles on the fold's scales, without a fold. */
static void test_similarity(void **state)
{
    (void)state;
    sf_engine *e = sf_engine_new(NULL);
    sf_article a[4] = {art("a", "Velora to build Ostrava Nova plant", PLANT_A, "2024-05-07"),
                       art("b", "Velora plant for 300,000 cars", PLANT_B, "2024-05-07"),
                       art("q", NULL, QUAKE, NULL),
                       art("a2", "Velora to build Ostrava Nova plant", PLANT_A, "2024-05-07")};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(sf_engine_add(e, &a[i]), SF_OK);
    assert_int_equal(sf_engine_article_count(e), 4);
    assert_string_equal(sf_engine_article_id(e, 2), "q");
    assert_null(sf_engine_article_id(e, 4));
    sf_similarity ab, aq, aa2, self;
    assert_int_equal(sf_engine_similarity(e, 0, 1, &ab), SF_OK);
    assert_int_equal(sf_engine_similarity(e, 0, 2, &aq), SF_OK);
    assert_int_equal(sf_engine_similarity(e, 0, 3, &aa2), SF_OK);
    assert_int_equal(sf_engine_similarity(e, 2, 2, &self), SF_OK);
    /* two reports of one plant: linked as one event, no copies */
    sf_options opt;
    sf_options_default(&opt);
    assert_true(ab.event > opt.event_threshold);
    assert_true(ab.copy < 0.5);
    /* a plant and a quake: nothing in common */
    assert_true(aq.event < ab.event / 4);
    /* the same text twice: a copy */
    assert_true(aa2.copy > 0.99 && aa2.event > 0.99);
    assert_near(self.event, 1, 1e-12);
    /* symmetric */
    sf_similarity ba;
    assert_int_equal(sf_engine_similarity(e, 1, 0, &ba), SF_OK);
    assert_near(ba.event, ab.event, 1e-9);
    assert_int_equal(sf_engine_similarity(e, 0, 4, &ab), SF_EINVAL);
    assert_int_equal(sf_engine_similarity(NULL, 0, 1, &ab), SF_EINVAL);
    /* an article added later takes part (weights are computed again) */
    sf_article c = art("c", "Ostrava Nova car plant", PLANT_C, "2024-05-08");
    assert_int_equal(sf_engine_add(e, &c), SF_OK);
    sf_similarity ac;
    assert_int_equal(sf_engine_similarity(e, 0, 4, &ac), SF_OK);
    assert_true(ac.event > aq.event);
    /* a fold gives the same stories afterwards */
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_true(sf_engine_story_count(e) >= 2);
    sf_engine_free(e);
}

typedef struct collected {
    sf_engine *e;
    size_t calls;
    size_t stop_after;
} collected;

static int on_story(void *ctx, size_t i, const char *json, size_t len)
{
    collected *c = ctx;
    size_t one_len;
    char *one = sf_engine_story_json(c->e, i, &one_len);
    assert_non_null(one);
    assert_int_equal(i, c->calls);            /* in story order */
    assert_int_equal(len, one_len);
    assert_memory_equal(json, one, len);      /* the same JSON as one by one */
    free(one);
    c->calls++;
    return c->calls == c->stop_after;
}

/* An incremental fold marks a story unchanged only if its JSON is the
 * JSON of the story of the same id before the fold: a synthetic corpus in
 * batches, every story's JSON compared with the one before. */
static void test_changed_means_changed(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 600, 11);
    sf_options opt;
    sf_options_default(&opt);
    opt.refold_growth = 1000; /* all incremental after the first batch */
    opt.threads = 2;
    sf_engine *e = sf_engine_new(&opt);
    assert_non_null(e);
    size_t nprev = 0, unchanged = 0, changed = 0, related = 0;
    char **prev_id = NULL, **prev_json = NULL;
    for (size_t at = 0; at < c.n; at += 40) {
        size_t n = c.n - at < 40 ? c.n - at : 40;
        assert_int_equal(sf_engine_add_batch(e, c.arts + at, n, NULL), SF_OK);
        assert_int_equal(sf_engine_fold(e), SF_OK);
        size_t ns = sf_engine_story_count(e);
        char **ids = calloc(ns, sizeof *ids), **jsons = calloc(ns, sizeof *jsons);
        assert_non_null(ids);
        assert_non_null(jsons);
        for (size_t i = 0; i < ns; i++) {
            sf_story_info info;
            assert_int_equal(sf_engine_story_info(e, i, &info), SF_OK);
            ids[i] = strdup(info.id);
            jsons[i] = sf_engine_story_json(e, i, NULL);
            assert_non_null(jsons[i]);
            related += info.related > 0;
            const char *before = NULL;
            for (size_t k = 0; k < nprev && !before; k++)
                if (strcmp(prev_id[k], info.id) == 0)
                    before = prev_json[k];
            if (sf_engine_story_changed(e, i)) {
                changed += at > 0;
                continue;
            }
            unchanged++;
            assert_non_null(before); /* a new id is a change */
            assert_string_equal(before, jsons[i]);
        }
        for (size_t k = 0; k < nprev; k++) {
            free(prev_id[k]);
            free(prev_json[k]);
        }
        free(prev_id);
        free(prev_json);
        prev_id = ids;
        prev_json = jsons;
        nprev = ns;
    }
    sf_engine_stats es;
    sf_engine_stats_get(e, &es);
    assert_int_equal(es.full_folds, 1);
    /* the test means something: stories of both kinds, related links */
    assert_true(unchanged > 100);
    assert_true(changed > 100);
    assert_true(related > 0);
    for (size_t k = 0; k < nprev; k++) {
        free(prev_id[k]);
        free(prev_json[k]);
    }
    free(prev_id);
    free(prev_json);
    sf_engine_free(e);
    synth_free(&c);
}

/* Facts are read from an article once and kept (story_facts.c): stories
 * written after every batch, from facts kept since earlier batches, are
 * byte for byte the stories of an engine that reads every article's facts
 * only at the end. Synthetic articles and a few with facts, disagreements
 * and a denial among them, in batches. */
static const char *DENIAL =
    "Velora denied reports that its Ostrava Nova plant would make 200,000 "
    "vehicles a year, calling them untrue.\n"
    "The carmaker said on Wednesday that Mira Halden would present the plans.";

static void test_kept_facts_same_as_fresh(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 400, 5);
    sf_article extra[6] = {art("pa", "Velora to build Ostrava Nova plant", PLANT_A, "2024-05-07"),
                           art("pb", "Velora plant for 300,000 cars", PLANT_B, "2024-05-07"),
                           art("pc", "Ostrava Nova car plant", PLANT_C, "2024-05-08"),
                           art("pd", "Velora denies Ostrava Nova figures", DENIAL, "2024-05-09"),
                           art("q1", "Earthquake kills 12 in Valdora", QUAKE, "2024-03-04"),
                           art("q3", "Quake in Valdora leaves 12 dead", QUAKE_REWRITE,
                               "2024-03-04")};
    size_t n = c.n + 6;
    sf_article *all = malloc(n * sizeof *all);
    assert_non_null(all);
    /* the fact articles spread over the batches */
    for (size_t i = 0, k = 0, x = 0; i < n; i++)
        all[i] = (i % 60 == 7 && x < 6) ? extra[x++] : c.arts[k++];
    sf_options opt;
    sf_options_default(&opt);
    opt.threads = 2;
    sf_engine *kept = sf_engine_new(&opt), *fresh = sf_engine_new(&opt);
    assert_non_null(kept);
    assert_non_null(fresh);
    kept->keep_facts = fresh->keep_facts = true;
    size_t written = 0;
    for (size_t at = 0; at < n; at += 40) {
        size_t m = n - at < 40 ? n - at : 40;
        assert_int_equal(sf_engine_add_batch(kept, all + at, m, NULL), SF_OK);
        assert_int_equal(sf_engine_add_batch(fresh, all + at, m, NULL), SF_OK);
        assert_int_equal(sf_engine_fold(kept), SF_OK);
        assert_int_equal(sf_engine_fold(fresh), SF_OK);
        for (size_t i = 0; i < sf_engine_story_count(kept); i++) {
            if (!sf_engine_story_changed(kept, i))
                continue;
            free(sf_engine_story_json(kept, i, NULL));
            written++;
        }
    }
    size_t none_kept = 0;
    for (size_t d = 0; d < fresh->n; d++)
        none_kept += fresh->docs[d].facts == NULL;
    assert_int_equal(none_kept, fresh->n);
    assert_int_equal(sf_engine_story_count(kept), sf_engine_story_count(fresh));
    size_t with_facts = 0, denials = 0;
    for (size_t i = 0; i < sf_engine_story_count(kept); i++) {
        size_t la, lb;
        char *a = sf_engine_story_json(kept, i, &la), *b = sf_engine_story_json(fresh, i, &lb);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        with_facts += strstr(a, "\"facts\":[]") == NULL;
        denials += strstr(a, "\"what\":\"denial\"") != NULL;
        free(a);
        free(b);
    }
    /* an engine that does not keep facts (fold) keeps none */
    sf_engine *once = sf_engine_new(&opt);
    assert_non_null(once);
    assert_int_equal(sf_engine_add_batch(once, all, n, NULL), SF_OK);
    assert_int_equal(sf_engine_fold(once), SF_OK);
    for (size_t i = 0; i < sf_engine_story_count(once); i++)
        free(sf_engine_story_json(once, i, NULL));
    for (size_t d = 0; d < once->n; d++)
        assert_null(once->docs[d].facts);
    sf_engine_free(once);
    /* the test means something: stories written again from kept facts,
     * facts and a denial among them */
    assert_true(written > sf_engine_story_count(kept));
    assert_true(with_facts > 10);
    assert_int_equal(denials, 1);
    sf_engine_free(kept);
    sf_engine_free(fresh);
    free(all);
    synth_free(&c);
}

static void test_each_story_json(void **state)
{
    (void)state;
    sf_options opt;
    sf_options_default(&opt);
    opt.threads = 3;
    sf_engine *e = sf_engine_new(&opt);
    sf_article arts[3] = {art("q1", "Earthquake kills 12 in Valdora", QUAKE, "2024-03-04"),
                          art("q3", "Quake in Valdora leaves 12 dead", QUAKE_REWRITE, NULL),
                          art("e1", "Porto Lenz elects Jonas Weller mayor", ELECTION, NULL)};
    sf_status st[3];
    assert_int_equal(sf_engine_add_batch(e, arts, 3, st), SF_OK);
    assert_int_equal(st[0], SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    collected c = {e, 0, 0};
    assert_int_equal(sf_engine_each_story_json(e, on_story, &c), SF_OK);
    assert_int_equal(c.calls, sf_engine_story_count(e));
    collected once = {e, 0, 1};
    assert_int_equal(sf_engine_each_story_json(e, on_story, &once), SF_OK);
    assert_int_equal(once.calls, 1);          /* stopped by the callback */
    assert_int_equal(sf_engine_each_story_json(NULL, on_story, &c), SF_EINVAL);
    sf_engine_free(e);
}

/* Folds e and returns every story's JSON, one a line. */
static char *fold_json(sf_engine *e)
{
    assert_int_equal(sf_engine_fold(e), SF_OK);
    sf_buf all;
    sf_buf_init(&all, 0);
    for (size_t i = 0; i < sf_engine_story_count(e); i++) {
        size_t len;
        char *j = sf_engine_story_json(e, i, &len);
        assert_non_null(j);
        assert_true(sf_buf_append(&all, j, len) && sf_buf_putc(&all, '\n'));
        free(j);
    }
    return sf_buf_take(&all, NULL);
}

/* The copy pass sorts band keys by radix or in place: the same stories. */
static void test_copy_sorts_agree(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 300, 5);
    char *json[2];
    for (int k = 0; k < 2; k++) {
        size_t keep = sf_fold_radix_min;
        sf_fold_radix_min = k ? 1 : SIZE_MAX;
        sf_engine *e = sf_engine_new(NULL);
        assert_non_null(e);
        for (size_t at = 0; at < 300; at += 64)
            assert_int_equal(sf_engine_add_batch(e, c.arts + at, 300 - at < 64 ? 300 - at : 64,
                                                 NULL), SF_OK);
        json[k] = fold_json(e);
        sf_fold_radix_min = keep;
        assert_true(e->stats.exact_copies + e->stats.near_copies > 0);
        sf_engine_free(e);
    }
    assert_string_equal(json[0], json[1]);
    free(json[0]);
    free(json[1]);
    synth_free(&c);
}

/* Adds articles [from, to) of the synthetic corpus to e by batches, and
 * with extra the quake and election articles one by one. */
static void add_some(sf_engine *e, const synth *c, size_t from, size_t to, bool extra)
{
    for (size_t at = from; at < to; at += 64) {
        size_t n = to - at < 64 ? to - at : 64;
        assert_int_equal(sf_engine_add_batch(e, c->arts + at, n, NULL), SF_OK);
    }
    sf_article one[3] = {art("q1", "Earthquake kills 12 in Valdora", QUAKE, "2024-03-04"),
                         art("q3", "Quake in Valdora leaves 12 dead", QUAKE_REWRITE, NULL),
                         art("e1", "Porto Lenz elects Jonas Weller mayor", ELECTION, NULL)};
    one[0].url = "https://news.example/valdora-quake";
    one[0].url_len = strlen(one[0].url);
    one[0].source = "Example News";
    one[0].source_len = strlen(one[0].source);
    for (int i = 0; extra && i < 3; i++)
        assert_int_equal(sf_engine_add(e, &one[i]), SF_OK);
}

/* Appends each story's JSON to the sf_buf ctx. */
static int on_story_append(void *ctx, size_t i, const char *json, size_t len)
{
    (void)i;
    sf_buf *b = ctx;
    return !(sf_buf_append(b, json, len) && sf_buf_putc(b, '\n'));
}

static void test_spill(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 300, 5);
    for (int incremental = 0; incremental < 2; incremental++) {
        sf_options opt;
        sf_options_default(&opt);
        opt.threads = 2;
        opt.refold_growth = incremental ? 1000 : 0;
        sf_engine *mem = sf_engine_new(&opt), *disk = sf_engine_new(&opt);
        /* vectors read back one article's (and its candidates') at a time */
        sf_engine *small = sf_engine_new(&opt);
        /* under a memory limit far too small: vectors one at a time, the
         * edges on disk while clustering, the dictionary's lookup table
         * let go during the fold and made again for the next articles */
        sf_engine *limited = sf_engine_new(&opt);
        assert_non_null(mem);
        assert_non_null(disk);
        assert_non_null(small);
        assert_non_null(limited);
        char dir[] = "/tmp/sf-spill-test-XXXXXX";
        assert_non_null(mkdtemp(dir));
        assert_int_equal(sf_engine_spill(disk, dir), SF_OK);
        assert_int_equal(sf_engine_spill(small, dir), SF_OK);
        assert_int_equal(sf_engine_spill(limited, dir), SF_OK);
        sf_engine_set_fold_block(small, 1);
        sf_engine_set_memory_limit(limited, 1);
        add_some(mem, &c, 0, 200, true);
        add_some(disk, &c, 0, 200, true);
        add_some(small, &c, 0, 200, true);
        add_some(limited, &c, 0, 200, true);
        /* the same stories, texts and quotes read back from disk; then
         * (incrementally or not) with more articles */
        for (int round = 0; round < 2; round++) {
            char *want = fold_json(mem), *got = fold_json(disk), *got_small = fold_json(small);
            char *got_limited = fold_json(limited);
            assert_string_equal(want, got);
            assert_string_equal(want, got_small);
            assert_string_equal(want, got_limited);
            free(got_limited);
            if (!incremental)
                assert_null(limited->dict.slot); /* (let go) */
            assert_non_null(strstr(got, "\"text\":\"An earthquake of magnitude 6.4"));
            assert_non_null(strstr(got, "\"kind\":\"people\""));
            assert_non_null(strstr(got, "\"source\":\"Example News\",\"url\":\"https://news.example/valdora-quake\",\"date\":\"2024-03-04\""));
            free(want);
            free(got);
            free(got_small);
            add_some(mem, &c, 200, 300, false);
            add_some(disk, &c, 200, 300, false);
            add_some(small, &c, 200, 300, false);
            add_some(limited, &c, 200, 300, false);
        }
        /* similarities read the terms back too */
        for (size_t a = 0; a < 300; a += 7) {
            sf_similarity x, y;
            assert_int_equal(sf_engine_similarity(mem, a, (a * 13) % 300, &x), SF_OK);
            assert_int_equal(sf_engine_similarity(disk, a, (a * 13) % 300, &y), SF_OK);
            assert_true(x.event == y.event && x.copy == y.copy);
            assert_int_equal(sf_engine_similarity(limited, a, (a * 13) % 300, &y), SF_OK);
            assert_true(x.event == y.event && x.copy == y.copy);
        }
        /* the listing functions read a spilled article's strings back */
        for (size_t i = 0; i < sf_engine_story_count(mem); i++) {
            sf_story_info x, y;
            assert_int_equal(sf_engine_story_info(mem, i, &x), SF_OK);
            assert_int_equal(sf_engine_story_info(disk, i, &y), SF_OK);
            assert_string_equal(x.headline, y.headline);
            assert_true(*y.headline);
            for (size_t k = 0; k < x.articles; k++) {
                sf_story_article p, q;
                assert_int_equal(sf_engine_story_article_info(mem, i, k, &p), SF_OK);
                assert_int_equal(sf_engine_story_article_info(disk, i, k, &q), SF_OK);
                assert_string_equal(p.id, q.id);
                assert_string_equal(p.title, q.title);
                assert_string_equal(p.url, q.url);
                assert_string_equal(p.source, q.source);
                assert_string_equal(p.date, q.date);
            }
        }
        /* neither texts nor terms nor signatures nor strings but the id
         * are in memory; nothing shows in the folder */
        for (size_t i = 0; i < disk->n; i++) {
            assert_null(disk->docs[i].title);
            assert_null(disk->docs[i].url);
            assert_string_equal(disk->docs[i].id, mem->docs[i].id);
            assert_null(disk->docs[i].text);
            assert_null(disk->docs[i].term_id);
            assert_null(disk->docs[i].sketch);
            assert_non_null(mem->docs[i].term_id);
            assert_non_null(mem->docs[i].sketch);
            assert_int_equal(disk->docs[i].shingles, mem->docs[i].shingles);
        }
        assert_int_equal(rmdir(dir), 0);
        /* the folder gone: the vectors' file cannot be made, the fold
         * fails (the incremental fold keeps its vectors in memory) */
        if (!incremental)
            assert_int_equal(sf_engine_fold(small), SF_EIO);
        sf_engine_free(mem);
        sf_engine_free(disk);
        sf_engine_free(small);
        sf_engine_free(limited);
    }
    synth_free(&c);
}

/* Where an article is: the countries of the places its lead names, and of
 * every place it names, read from whole runs of capitalised words. */
static void test_places_read(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *lead[2];   /* ISO codes, NULL-padded */
        const char *other;     /* a country named after the lead, or NULL */
    } cases[] = {
        {"ANKARA, March 12 (Reuters) - A strong earthquake struck eastern Turkey on Tuesday.",
         {"TR", NULL}, NULL},
        {"U.S. officials said on Friday that talks would resume next week in the capital.",
         {"US", NULL}, NULL},
        {"A tremor was felt in Southern Iran and the St. Louis office closed early.",
         {"IR", "US-MO"}, NULL},
        {"Le président a parlé aux États-Unis et à Rio de Janeiro hier soir.", {"US", "BR"}, NULL},
        /* names that hold a place name are no place */
        {"Police Chief Wayne Jerman said the Bristol District Attorney would decide.",
         {NULL, NULL}, NULL},
        {"The council met for three hours on Monday to discuss the budget for schools, roads "
         "and the new library, and the mayor said that the vote would come in the spring after "
         "the public hearings. Later the delegation flew to Peru.",
         {NULL, NULL}, "PE"},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(cases); k++) {
        sf_engine *e = sf_engine_new(NULL);
        sf_article a = art("p", NULL, cases[k].text, "2024-03-12");
        assert_int_equal(sf_engine_add(e, &a), SF_OK);
        const sf_doc *d = &e->docs[0];
        for (int i = 0; i < SF_DOC_LEAD_CC; i++) {
            const char *got = d->lead_cc[i] ? sf_place_code(d->lead_cc[i]) : NULL;
            if (!cases[k].lead[i] || !got) {
                if (cases[k].lead[i] != got)
                    fail_msg("case %zu lead %d: want %s, got %s", k, i,
                             cases[k].lead[i] ? cases[k].lead[i] : "none", got ? got : "none");
            } else {
                assert_string_equal(got, cases[k].lead[i]);
            }
        }
        bool named = false;
        for (int i = 0; i < SF_DOC_ALL_CC && d->all_cc[i]; i++)
            named = named || (cases[k].other && d->all_cc[i] != SF_CC_MANY &&
                              strcmp(sf_place_code(d->all_cc[i]), cases[k].other) == 0);
        assert_true(named == (cases[k].other != NULL));
        /* saved and read back: the same places */
        sf_buf buf;
        sf_buf_init(&buf, 0);
        assert_true(sf_doc_features_save(&e->dict, d, e->opt.shingle_words, &buf));
        sf_engine *e2 = sf_engine_new(NULL);
        sf_features_check check;
        assert_int_equal(sf_engine_add_features(e2, &a, d->text, d->text_len, buf.data, buf.len,
                                                &check, NULL),
                         SF_OK);
        assert_int_equal(check, SF_FEATURES_OK);
        assert_memory_equal(e2->docs[0].lead_cc, d->lead_cc, sizeof d->lead_cc);
        assert_memory_equal(e2->docs[0].all_cc, d->all_cc, sizeof d->all_cc);
        sf_buf_free(&buf);
        sf_engine_free(e2);
        sf_engine_free(e);
    }
}

/* Two quakes reported in the same words in two countries are two events:
 * each lead names a country the other never names. Reports of one quake
 * from two cities of the country stay one event. */
static const char *QUAKE_TR1 =
    "ANKARA, March 12 (Reuters) - A magnitude 6.1 earthquake struck eastern Turkey on "
    "Tuesday, killing at least 12 people and injuring 150, the disaster agency said.\n"
    "The quake hit the province of Malatya at 4:15 a.m. local time, officials said. Rescue "
    "teams were searching collapsed buildings in the town. Several homes collapsed.";
static const char *QUAKE_TR2 =
    "ISTANBUL (AP) - A strong earthquake shook eastern Turkey early Tuesday, killing 14 people "
    "and injuring about 150 others, officials said.\n"
    "The magnitude 6.1 quake was centered in Malatya province, according to the disaster "
    "agency. Some 35 buildings collapsed, rescue teams said.";
static const char *QUAKE_PE =
    "LIMA, March 14 (Reuters) - A magnitude 5.9 earthquake struck western Peru on Thursday, "
    "killing three people and injuring 20, the civil defence institute said.\n"
    "The quake hit the coast at 2:30 p.m. local time. Homes in the port town were damaged "
    "and the region lost power for hours, the institute said.";
static const char *QUAKE_NOWHERE =
    "March 14 (Reuters) - A magnitude 5.9 earthquake struck the west of the country on "
    "Thursday, killing three people and injuring 20, the civil defence institute said.\n"
    "The quake hit the coast at 2:30 p.m. local time. Homes in the port town were damaged "
    "and the region lost power for hours, the institute said.";

static const char *SHOT_STL =
    "ST. LOUIS - A 34-year-old man was shot and killed Sunday night in north St. Louis, police "
    "said.\nOfficers were called to the 4100 block of Natural Bridge Avenue around 9:30 p.m. "
    "and found the man with multiple gunshot wounds. He was pronounced dead at the scene.\n"
    "Police have not identified a suspect. Anyone with information is asked to call "
    "CrimeStoppers.";
static const char *SHOT_ATL =
    "ATLANTA - A 29-year-old man was shot and killed Monday night in southwest Atlanta, police "
    "said.\nOfficers were called to the 1200 block of Campbellton Road around 10 p.m. and "
    "found the man with multiple gunshot wounds. He was pronounced dead at the scene.\n"
    "Police have not identified a suspect. Anyone with information is asked to call Crime "
    "Stoppers.";
static const char *SHOT_MO =
    "A man was shot and killed Sunday night on Natural Bridge Avenue, Missouri police said.\n"
    "The man, 34, was found with multiple gunshot wounds in the 4100 block around 9:30 p.m. "
    "and was pronounced dead at the scene. Police have not identified a suspect.";

static void test_places_keep_events_apart(void **state)
{
    (void)state;
    sf_engine *e = sf_engine_new(NULL);
    sf_article a[4] = {art("tr1", "Earthquake kills 12 in eastern Turkey", QUAKE_TR1, "2024-03-12"),
                       art("tr2", "Quake in eastern Turkey kills 14", QUAKE_TR2, "2024-03-12"),
                       art("pe", "Earthquake kills 3 in western Peru", QUAKE_PE, "2024-03-14"),
                       art("nw", "Earthquake kills 3", QUAKE_NOWHERE, "2024-03-14")};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(sf_engine_add(e, &a[i]), SF_OK);
    sf_options opt;
    sf_options_default(&opt);
    sf_similarity same, peru, nowhere;
    assert_int_equal(sf_engine_similarity(e, 0, 1, &same), SF_OK);
    assert_int_equal(sf_engine_similarity(e, 0, 2, &peru), SF_OK);
    assert_int_equal(sf_engine_similarity(e, 0, 3, &nowhere), SF_OK);
    assert_true(same.event > opt.event_threshold);
    /* the Peru report in the words of the Turkey one: below the threshold
     * only because of the countries (the same text naming none is above) */
    assert_true(nowhere.event > opt.event_threshold);
    assert_true(peru.event < opt.event_threshold);
    assert_true(peru.event < nowhere.event / 2);
    sf_engine_free(e);

    /* folded without the placeless report: Turkey's two, Peru's one */
    e = sf_engine_new(NULL);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(sf_engine_add(e, &a[i]), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 2);
    assert_int_equal(e->docs[0].story, e->docs[1].story);
    assert_true(e->docs[2].story != e->docs[0].story);
    sf_engine_free(e);

    /* two shootings in two cities of one country, in the same words: two
     * events; a report of the first naming only its state: the same */
    e = sf_engine_new(NULL);
    sf_article s[3] = {art("stl", "Man killed in shooting in north St. Louis", SHOT_STL, "2024-06-03"),
                       art("atl", "Man killed in shooting in southwest Atlanta", SHOT_ATL, "2024-06-04"),
                       art("mo", "Man shot dead on Natural Bridge Avenue", SHOT_MO, "2024-06-03")};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(sf_engine_add(e, &s[i]), SF_OK);
    sf_similarity cities, in_state;
    assert_int_equal(sf_engine_similarity(e, 0, 1, &cities), SF_OK);
    assert_int_equal(sf_engine_similarity(e, 0, 2, &in_state), SF_OK);
    assert_true(cities.event < opt.event_threshold);
    assert_true(in_state.event > opt.event_threshold);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(e->docs[0].story, e->docs[2].story);
    assert_true(e->docs[1].story != e->docs[0].story);
    sf_engine_free(e);
}

/* Spilled texts that cannot be read back fail the writing. */
static void test_spill_errors(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 100, 5);
    sf_options opt;
    sf_options_default(&opt);
    opt.threads = 2;
    sf_engine *mem = sf_engine_new(&opt), *disk = sf_engine_new(&opt);
    assert_int_equal(sf_engine_spill(disk, NULL), SF_OK);
    add_some(mem, &c, 0, 100, true);
    add_some(disk, &c, 0, 100, true);
    char *want = fold_json(mem), *got = fold_json(disk);
    assert_string_equal(want, got);
    free(got);
    sf_buf each;
    sf_buf_init(&each, 0);
    assert_int_equal(sf_engine_each_story_json(disk, on_story_append, &each), SF_OK);
    assert_true(sf_buf_putc(&each, '\0'));
    assert_string_equal(want, each.data);
    /* a text that cannot be read back fails the writing, not silently
     * (every worker's file: which worker wrote a story's texts depends on
     * the threads' timing) */
    int empty = open("/dev/null", O_RDONLY);
    assert_true(empty >= 0);
    for (unsigned t = 0; t < disk->nworkers; t++)
        assert_true(dup2(empty, disk->workers[t].spill_fd) >= 0);
    close(empty);
    assert_int_equal(sf_engine_each_story_json(disk, on_story_append, &each), SF_EIO);
    assert_null(sf_engine_story_json(disk, 0, NULL));
    /* terms that cannot be read back fail the fold; nor written, the add */
    int ro = open("/dev/null", O_RDONLY);
    assert_true(ro >= 0);
    assert_true(dup2(ro, disk->terms_fd) >= 0);
    close(ro);
    assert_int_equal(sf_engine_fold(disk), SF_EIO);
    size_t n0 = sf_engine_article_count(disk);
    sf_status st[4];
    assert_int_equal(sf_engine_add_batch(disk, c.arts, 4, st), SF_EIO);
    for (int i = 0; i < 4; i++)
        assert_int_equal(st[i], SF_EIO);
    assert_int_equal(sf_engine_article_count(disk), n0);
    /* a folder that is not there: nothing spills */
    assert_int_equal(sf_engine_spill(mem, "/nonexistent/storyfold"), SF_EIO);
    assert_int_equal(sf_engine_add_batch(mem, c.arts, 4, NULL), SF_OK);
    assert_non_null(mem->docs[sf_engine_article_count(mem) - 1].term_id);
    assert_non_null(mem->docs[sf_engine_article_count(mem) - 1].text);
    assert_int_equal(sf_engine_spill(NULL, NULL), SF_EINVAL);
    sf_buf_free(&each);
    free(want);
    sf_engine_free(mem);
    sf_engine_free(disk);
    synth_free(&c);
}

/* Term ids are given in input order, whatever the threads: the same
 * dictionary and the same ids in every doc; each doc's ids ascend and
 * name its own terms. */
static void test_term_ids(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 200, 9);
    sf_options opt;
    sf_options_default(&opt);
    opt.threads = 1;
    sf_engine *one = sf_engine_new(&opt);
    opt.threads = 3;
    sf_engine *three = sf_engine_new(&opt);
    assert_non_null(one);
    assert_non_null(three);
    assert_int_equal(sf_engine_add_batch(one, c.arts, c.n, NULL), SF_OK);
    assert_int_equal(sf_engine_add_batch(three, c.arts, c.n, NULL), SF_OK);
    assert_true(one->dict.n > 100);
    assert_int_equal(one->dict.n, three->dict.n);
    assert_memory_equal(one->dict.hash, three->dict.hash, one->dict.n * sizeof *one->dict.hash);
    for (size_t i = 0; i < one->n; i++) {
        const sf_doc *x = &one->docs[i], *y = &three->docs[i];
        assert_int_equal(x->nterms, y->nterms);
        assert_memory_equal(x->term_id, y->term_id, x->nterms * sizeof *x->term_id);
        assert_memory_equal(x->term_count, y->term_count, x->nterms * sizeof *x->term_count);
        for (uint32_t t = 0; t < x->nterms; t++) {
            assert_true(x->term_id[t] < one->dict.n);
            assert_true(t == 0 || x->term_id[t - 1] < x->term_id[t]);
            assert_int_equal(sf_dict_find(&one->dict, one->dict.hash[x->term_id[t]]),
                             x->term_id[t]);
        }
    }
    /* the first article's terms came first */
    uint32_t top = 0;
    for (uint32_t t = 0; t < one->docs[0].nterms; t++)
        top = one->docs[0].term_id[t] > top ? one->docs[0].term_id[t] : top;
    assert_int_equal(top + 1, one->docs[0].nterms);
    /* hashes 0 and 1 are two terms */
    sf_dict d = {0};
    assert_int_equal(sf_dict_add(&d, 0), 0);
    assert_int_equal(sf_dict_add(&d, 1), 1);
    assert_int_equal(sf_dict_add(&d, 0), 0);
    assert_int_equal(sf_dict_find(&d, 1), 1);
    assert_int_equal(sf_dict_find(&d, 2), SF_NONE);
    sf_dict_free(&d);
    sf_engine_free(one);
    sf_engine_free(three);
    synth_free(&c);
}

/* The memory estimates grow with the articles added. */
static void test_memory_estimate(void **state)
{
    (void)state;
    synth c;
    synth_make(&c, 300, 3);
    sf_engine *e = sf_engine_new(NULL);
    size_t held0, fold0, held1, fold1, held2, fold2;
    sf_engine_memory(e, &held0, &fold0);
    assert_int_equal(fold0, 0);
    assert_int_equal(sf_engine_add_batch(e, c.arts, 100, NULL), SF_OK);
    sf_engine_memory(e, &held1, &fold1);
    assert_int_equal(sf_engine_add_batch(e, c.arts + 100, 200, NULL), SF_OK);
    sf_engine_memory(e, &held2, &fold2);
    assert_true(held0 < held1 && held1 < held2);
    assert_true(0 < fold1 && fold1 < fold2);
    /* the vectors alone: at least a few hundred bytes per article */
    assert_true(fold2 > 300 * 200);
    sf_engine_memory(NULL, &held0, &fold0);
    assert_int_equal(held0 + fold0, 0);
    sf_engine_memory(e, NULL, NULL);
    sf_engine_free(e);
    synth_free(&c);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    sf_engine_free(NULL);
    sf_engine *e = sf_engine_new(NULL);
    sf_article none;
    memset(&none, 0, sizeof none);
    assert_int_equal(sf_engine_add(e, &none), SF_EINVAL);
    assert_int_equal(sf_engine_add(e, NULL), SF_EINVAL);
    assert_int_equal(sf_engine_add(NULL, &none), SF_EINVAL);
    assert_int_equal(sf_engine_fold(NULL), SF_EINVAL);
    /* folding nothing gives no story */
    assert_int_equal(sf_engine_fold(e), SF_OK);
    assert_int_equal(sf_engine_story_count(e), 0);
    assert_null(sf_engine_story_article(e, 0, 0, NULL));
    sf_engine_free(e);
    assert_string_equal(sf_strerror(SF_OK), "ok");
    assert_string_equal(sf_strerror(SF_ENOMEM), "out of memory");
    assert_non_null(sf_strerror((sf_status)999));
    assert_non_null(sf_version());
}

/* Made-up word number i (lower case, so not a name). */
static void word(char *out, unsigned i)
{
    snprintf(out, 16, "qu%c%c%cat", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26);
}

/* A text of the words in[0..n) and as many words of its own from `own`
 * on, alternating, ten words a line (no line repeats another text's). */
static void mixed_text(char *buf, size_t cap, const unsigned *in, size_t n, unsigned own)
{
    char w[16];
    buf[0] = 0;
    for (size_t i = 0; i < 2 * n; i++) {
        word(w, i % 2 ? own++ : in[i / 2]);
        strncat(buf, w, cap - strlen(buf) - 1);
        strncat(buf, i % 10 == 9 ? ".\n" : " ", cap - strlen(buf) - 1);
    }
}

/* The words from..to-1, `times` rounds, appended to v at *n. */
static void rounds(unsigned *v, size_t *n, unsigned from, unsigned to, int times)
{
    for (int r = 0; r < times; r++)
        for (unsigned i = from; i < to; i++)
            v[(*n)++] = i;
}

/* An article whose index terms are all rare ones only its rewrite shares
 * (r and a hold words 100-119, a three times each; each has words of its
 * own) is scored against the rewrite alone; the event's earlier report c shares only the weaker words
 * 0-9 with both. The rewrite's own candidate c, a neighbour of a
 * neighbour, is compared too, and the three are one story. */
static void test_neighbours_of_neighbours(void **state)
{
    (void)state;
    static char text[33][2048];
    static char id[30][8];
    sf_article art_v[33];
    unsigned v[80];
    size_t n = 0, k = 0;
    rounds(v, &k, 0, 10, 2); /* c: the event's words 0-9 */
    mixed_text(text[n], sizeof text[n], v, k, 200);
    art_v[n] = art("c", NULL, text[n], NULL);
    n++, k = 0;
    rounds(v, &k, 0, 10, 3); /* r: the event's words, the rare ones once */
    rounds(v, &k, 100, 120, 1);
    mixed_text(text[n], sizeof text[n], v, k, 300);
    art_v[n] = art("r", NULL, text[n], NULL);
    n++, k = 0;
    rounds(v, &k, 100, 120, 3); /* a: the rare words, the event's once */
    rounds(v, &k, 0, 10, 1);
    mixed_text(text[n], sizeof text[n], v, k, 400);
    art_v[n] = art("a", NULL, text[n], NULL);
    n++;
    for (unsigned o = 0; o < 30; o++, n++) { /* others, sharing nothing */
        k = 0;
        rounds(v, &k, 1000 + 40 * o, 1020 + 40 * o, 1);
        mixed_text(text[n], sizeof text[n], v, k, 1020 + 40 * o);
        snprintf(id[o], sizeof id[o], "o%u", o);
        art_v[n] = art(id[o], NULL, text[n], NULL);
    }
    sf_options opt;
    sf_options_default(&opt);
    sf_engine *e = sf_engine_new(&opt);
    assert_non_null(e);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sf_engine_add(e, &art_v[i]), SF_OK);
    assert_int_equal(sf_engine_fold(e), SF_OK);
    sf_engine_stats st;
    sf_engine_stats_get(e, &st);
    /* r with c, a with r, and a with c through r */
    assert_int_equal(st.pairs_compared, 3);
    assert_true(story_of(e, "a") >= 0);
    assert_int_equal(story_of(e, "a"), story_of(e, "c"));
    assert_int_equal(story_of(e, "r"), story_of(e, "c"));
    sf_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_copies_and_events),
        cmocka_unit_test(test_empty_texts_are_not_copies),
        cmocka_unit_test(test_date_factor),
        cmocka_unit_test(test_year_apart),
        cmocka_unit_test(test_fold_again_after_adding),
        cmocka_unit_test(test_incremental_fold),
        cmocka_unit_test(test_incremental_refold_after_growth),
        cmocka_unit_test(test_changed_means_changed),
        cmocka_unit_test(test_thresholds_change_grouping),
        cmocka_unit_test(test_each_story_json),
        cmocka_unit_test(test_kept_facts_same_as_fresh),
        cmocka_unit_test(test_spill),
        cmocka_unit_test(test_spill_errors),
        cmocka_unit_test(test_term_ids),
        cmocka_unit_test(test_memory_estimate),
        cmocka_unit_test(test_value_disagreements),
        cmocka_unit_test(test_bare_plant_designation),
        cmocka_unit_test(test_denials),
        cmocka_unit_test(test_denial_needs_report),
        cmocka_unit_test(test_qualifier_json),
        cmocka_unit_test(test_count_disagreements),
        cmocka_unit_test(test_ambiguous_numbers),
        cmocka_unit_test(test_harm_day_disagreements),
        cmocka_unit_test(test_no_disagreement_within_one_article),
        cmocka_unit_test(test_one_word_names),
        cmocka_unit_test(test_heading_names),
        cmocka_unit_test(test_headline_fallback),
        cmocka_unit_test(test_copy_sorts_agree),
        cmocka_unit_test(test_surnames),
        cmocka_unit_test(test_places_read),
        cmocka_unit_test(test_places_keep_events_apart),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_neighbours_of_neighbours),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
