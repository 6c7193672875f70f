/*
 * test_clean.c — the cleaner: our own fixtures (tests/data/clean/NAME.txt
 * with NAME.expected: "title: ..." then one "LINE REASON" per removed
 * line; every other non-empty line must be kept), the API's edge cases,
 * and the hand-labelled seed pages when ../shared/seeds is present.
 */
#include "harness.h"

#include "clean.h"
#include "data.h"
#include "text.h"

#include <dirent.h>
#include <jansson.h>

/* ---- helpers ------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    size_t r = fread(b, 1, (size_t)n, f);
    fclose(f);
    b[r] = '\0';
    *len = r;
    return b;
}

static sf_clean_result *clean_text(const char *text, size_t len, const char *title)
{
    sf_article a;
    memset(&a, 0, sizeof a);
    a.text = text;
    a.text_len = len;
    if (title) {
        a.title = title;
        a.title_len = strlen(title);
    }
    sf_clean_result *c = NULL;
    assert_int_equal(sf_clean(&a, &c), SF_OK);
    assert_non_null(c);
    return c;
}

/* Why line `no` was removed, or NULL if it was kept. */
static const char *removed_why(const sf_clean_result *c, uint64_t no)
{
    for (size_t i = 0; i < sf_clean_removed_count(c); i++) {
        uint64_t line;
        const char *why;
        sf_clean_removed(c, i, &line, NULL, &why);
        if (line == no)
            return why;
    }
    return NULL;
}

/* Fails unless line `no` was removed for reason `why`. */
static void expect_why(const sf_clean_result *c, uint64_t no, const char *why)
{
    const char *got = removed_why(c, no);
    if (!got || strcmp(got, why) != 0)
        fail_msg("line %llu: %s, expected removed as %s", (unsigned long long)no,
                 got ? got : "kept", why);
}

static const char *const vocabulary[] = {
    "ad-code", "css", "markup", "breadcrumb", "byline", "caption", "credit",
    "source-credit", "comment-form", "sponsor", "affiliate", "share", "subscribe",
    "coupon", "author-bio", "teaser-block", "navigation", "duplicate",
    "short-fragment", "boilerplate", "site-furniture", "glued-code", "before-dateline",
};

static int known_reason(const char *why)
{
    for (size_t i = 0; i < sizeof vocabulary / sizeof vocabulary[0]; i++)
        if (strcmp(why, vocabulary[i]) == 0)
            return 1;
    return 0;
}

/* ---- fixtures ------------------------------------------------------------ */

static void check_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "clean/%s.txt", name);
    size_t tn, en;
    char *text = slurp(test_path(path), &tn);
    assert_non_null(text);
    snprintf(path, sizeof path, "clean/%s.expected", name);
    char *exp = slurp(test_path(path), &en);
    assert_non_null(exp);
    sf_clean_result *c = clean_text(text, tn, NULL);

    /* expected removals, in order */
    char *save = NULL;
    char *line = strtok_r(exp, "\n", &save);
    assert_non_null(line);
    assert_true(strncmp(line, "title: ", 7) == 0);
    size_t tl;
    const char *title = sf_clean_title(c, &tl);
    if (strlen(line + 7) != tl || memcmp(title, line + 7, tl) != 0)
        fail_msg("%s: title \"%s\", expected \"%s\"", name, title, line + 7);
    size_t k = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        unsigned long no;
        char why[64];
        assert_int_equal(sscanf(line, "%lu %63s", &no, why), 2);
        if (k >= sf_clean_removed_count(c))
            fail_msg("%s: line %lu (%s) was kept", name, no, why);
        uint64_t got;
        const char *gwhy;
        sf_clean_removed(c, k, &got, NULL, &gwhy);
        if (got != no || strcmp(gwhy, why) != 0)
            fail_msg("%s: removed #%zu is line %llu (%s), expected line %lu (%s)", name, k,
                     (unsigned long long)got, gwhy, no, why);
        k++;
    }
    if (k != sf_clean_removed_count(c)) {
        uint64_t got;
        const char *gwhy;
        sf_clean_removed(c, k, &got, NULL, &gwhy);
        fail_msg("%s: line %llu removed (%s) but expected kept", name,
                 (unsigned long long)got, gwhy);
    }
    sf_clean_result_free(c);
    free(text);
    free(exp);
}

static void test_fixture_comments(void **state)
{
    (void)state;
    check_fixture("en_comments");     /* breadcrumb, byline, credit, share, comment form */
}

static void test_fixture_teasers(void **state)
{
    (void)state;
    check_fixture("en_teasers");      /* page title, read-also, sponsor, most-popular block */
}

static void test_fixture_adcode(void **state)
{
    (void)state;
    check_fixture("en_adcode");       /* ad script, CSS, subscribe, affiliate */
}

static void test_fixture_bio_captions(void **state)
{
    (void)state;
    check_fixture("en_bio_captions"); /* coupon, glued breadcrumb, captions, author box */
}

static void test_fixture_spanish(void **state)
{
    (void)state;
    check_fixture("es_furniture");
}

static void test_fixture_french(void **state)
{
    (void)state;
    check_fixture("fr_furniture");
}

static void test_fixture_german(void **state)
{
    (void)state;
    check_fixture("de_furniture");
}

static void test_fixture_indonesian(void **state)
{
    (void)state;
    check_fixture("id_furniture");
}

static void test_fixture_turkish(void **state)
{
    (void)state;
    check_fixture("tr_furniture");
}

static void test_fixture_vietnamese(void **state)
{
    (void)state;
    check_fixture("vi_caption");      /* "- Ảnh 1." captions, name byline */
}

static void test_fixture_table(void **state)
{
    (void)state;
    check_fixture("en_table");        /* results table rows and capitals sub-heading kept */
}

static void test_fixture_teaser_lists(void **state)
{
    (void)state;
    check_fixture("en_teaser_lists"); /* short snippets after a header, newsletter form */
}

static void test_fixture_gallery_captions(void **state)
{
    (void)state;
    check_fixture("en_gallery_captions"); /* long captions with credits, twice, file photo */
}

static void test_fixture_portuguese(void **state)
{
    (void)state;
    check_fixture("pt_sidebar");      /* long menu line, click-through sidebar */
}

static void test_fixture_russian(void **state)
{
    (void)state;
    check_fixture("ru_comments");     /* "may interest you" block, comment form, archive */
}

static void test_fixture_korean(void **state)
{
    (void)state;
    check_fixture("ko_brackets");     /* <title> brackets in uncased prose are no code */
}

static void test_fixture_italian(void **state)
{
    (void)state;
    check_fixture("it_numbered_list"); /* numbered items with a link under each */
}

/* A line made mostly of numbers (an archive drop-down) is no paragraph. */
static const char archive[] =
    "Rain returns to the valley after a dry summer\n"
    "\n"
    "The first heavy rain in four months fell across the valley on Sunday, filling the "
    "reservoirs that had dropped to their lowest level in twenty years.\n"
    "\n"
    "Archives 2019年11月 2019年4月 2019年1月 2018年8月 2018年5月 2017年12月 2017年8月 "
    "2017年4月 2017年3月 2017年2月 2017年1月 2016年12月 2016年11月 2016年10月\n";

static void test_number_lists(void **state)
{
    (void)state;
    sf_clean_result *c = clean_text(archive, sizeof archive - 1, NULL);
    assert_null(removed_why(c, 3));
    assert_non_null(removed_why(c, 5));
    sf_clean_result_free(c);
}

/* ---- behaviour ------------------------------------------------------------ */

static const char page[] =
    "Share this\n"
    "\n"
    "Rain returns to the valley after a dry summer\n"
    "\n"
    "The first heavy rain in four months fell across the valley on Sunday, filling the "
    "reservoirs that had dropped to their lowest level in twenty years.\n"
    "\n"
    "Farmers said the rain came too late for most of the wheat, but that it would help the "
    "vineyards and the orchards on the southern slopes.\r\n"
    "\n"
    "The weather service expects more rain during the week, with storms possible in the "
    "mountains on Wednesday and Thursday.\n"
    "\n"
    "The weather service expects more rain during the week, with storms possible in the "
    "mountains on Wednesday and Thursday.\n"
    "\n"
    "Leave a Reply\n";

/* A headline in title case glued to its snippet is a teaser wherever it
 * stands; a sentence that starts with a long name is not. */
static const char glued[] =
    "Best Vegan Spots In The Old Town Our reporters tried a dozen kitchens to find the "
    "ones worth the trip.\n"
    "\n"
    "The Old Harbour Ferry Company said on Monday that it would add two boats to the "
    "night service across the bay from the spring.\n"
    "\n"
    "The company expects the new boats to carry about four hundred more passengers a "
    "night during the summer months.\n";

static void test_glued_teasers(void **state)
{
    (void)state;
    sf_clean_result *c = clean_text(glued, sizeof glued - 1, NULL);
    expect_why(c, 1, "teaser-block");
    assert_null(removed_why(c, 3));
    assert_null(removed_why(c, 5));
    sf_clean_result_free(c);
}

/* A whole article on one line after its title-case headline (text that
 * another extractor flattened) is no teaser: a teaser's snippet is a
 * sentence or two. Written for this test. */
static void test_article_glued_to_its_title(void **state)
{
    (void)state;
    static const char one[] =
        "Harbour Ferry Strike Ends After Two Weeks Of Talks The ferry crews of the northern "
        "harbour went back to work on Monday after their union and the operator agreed on a "
        "new pay deal, ending a strike that had stranded thousands of commuters for two "
        "weeks. Under the agreement, wages rise by four percent this year and by three "
        "percent next year, and the operator will hire twenty more deckhands to cut overtime. "
        "The union said its members had voted by a large majority to accept the offer. "
        "Commuters, who had crowded onto buses and the single road bridge, said they were "
        "relieved but worried that the timetable would take days to return to normal. The "
        "operator said the first boats would leave at six in the morning and that every "
        "route would run by Wednesday.\n";
    sf_clean_result *c = clean_text(one, sizeof one - 1, NULL);
    size_t n;
    const char *t = sf_clean_text(c, &n);
    assert_non_null(strstr(t, "twenty more deckhands"));
    sf_clean_result_free(c);
}

/* A paragraph full of names (many capitals) whose last sentence was cut
 * off: its inner sentence ends show it is prose, not a menu. Written for
 * this test. */
static void test_cut_off_paragraph_of_names(void **state)
{
    (void)state;
    static const char p[] =
        "Kim Soto Wins Harbor City Marathon\n\n"
        "Kim Soto of Riverside won the Harbor City Marathon on Sunday in 2 hours 24 minutes. "
        "Soto, who trains with coach Alan Baird at Riverside State University, beat defending "
        "champion Maria Olsen of Bergen and Jane Wu of Portland. Olsen led through Pier 39 and "
        "Market Street before Soto passed her near Golden Gate Park. Wu finished third after "
        "a fall at Mile 20. Mayor Luis Ortega handed Soto the trophy at City Hall, where Harbor "
        "City Track Club members and Riverside fans waited for the runners and their\n";
    sf_clean_result *c = clean_text(p, sizeof p - 1, NULL);
    size_t n;
    const char *t = sf_clean_text(c, &n);
    assert_non_null(strstr(t, "Golden Gate Park"));
    sf_clean_result_free(c);
    /* a menu of names without sentences still goes */
    static const char m[] =
        "Harbor City News Sports Business Opinion Arts Travel Weather Obituaries Classifieds "
        "Jobs Homes Cars Events Puzzles Newsletters Podcasts Video Photos Contact Us About Us "
        "Advertise Subscribe Log In Help Center Site Map Privacy Policy Terms Of Service\n\n"
        "The city council met on Tuesday to discuss the budget for next year, and the mayor "
        "said that spending on parks would rise.\n";
    c = clean_text(m, sizeof m - 1, NULL);
    t = sf_clean_text(c, &n);
    assert_null(strstr(t, "Obituaries"));
    assert_non_null(strstr(t, "spending on parks"));
    sf_clean_result_free(c);
}

static void test_body_title_and_duplicates(void **state)
{
    (void)state;
    sf_clean_result *c = clean_text(page, sizeof page - 1, NULL);
    size_t n;
    const char *t = sf_clean_text(c, &n);
    assert_int_equal(strlen(t), n);
    assert_true(test_contains(t, n, "The first heavy rain"));
    assert_true(test_contains(t, n, "orchards on the southern slopes."));
    assert_false(test_contains(t, n, "\r"));
    assert_false(test_contains(t, n, "Share this"));
    assert_false(test_contains(t, n, "Leave a Reply"));
    const char *title = sf_clean_title(c, &n);
    assert_string_equal(title, "Rain returns to the valley after a dry summer");
    expect_why(c, 1, "share");
    expect_why(c, 11, "duplicate");
    expect_why(c, 13, "comment-form");
    assert_null(removed_why(c, 3));   /* the headline line stays in the body */
    for (size_t i = 0; i < sf_clean_removed_count(c); i++) {
        const char *why;
        size_t len;
        const char *s = sf_clean_removed(c, i, NULL, &len, &why);
        assert_int_equal(strlen(s), len);
        assert_true(known_reason(why));
    }
    sf_clean_result_free(c);
}

static void test_given_title(void **state)
{
    (void)state;
    sf_clean_result *c = clean_text(page, sizeof page - 1, "Rain at last");
    size_t n;
    assert_string_equal(sf_clean_title(c, &n), "Rain at last");
    assert_int_equal(n, 12);
    sf_clean_result_free(c);
}

/* A headline loses the site's name after its last separators, and keeps
 * what belongs to the story. */
static void test_title_without_site(void **state)
{
    (void)state;
    static const struct {
        const char *title, *source, *url, *want;
    } cases[] = {
        {"Teen killed when gun goes off: police - WSMV Channel 4", NULL, NULL,
         "Teen killed when gun goes off: police"},
        {"Toddler who shot self identified - KMOV.com", NULL, NULL, "Toddler who shot self identified"},
        {"Search still underway - Live5News.com | Charleston, SC | News, Weather, Sports", NULL,
         NULL, "Search still underway"},
        {"Man charged in double homicide | Chattanooga Free Press", "Chattanooga Free Press", NULL,
         "Man charged in double homicide"},
        {"Police name victim of hotel shooting - KATV", NULL,
         "http://web.archive.org/web/2016/http://www.katv.com/news/1", "Police name victim of hotel shooting"},
        /* what belongs to the story stays */
        {"Lohan checks into Betty Ford rehab \xE2\x80\x93 where she 'knows everyone'", NULL, NULL,
         "Lohan checks into Betty Ford rehab \xE2\x80\x93 where she 'knows everyone'"},
        {"Syria talks - live updates", NULL, NULL, "Syria talks - live updates"},
        {"Fox News - Today", NULL, NULL, "Fox News - Today"},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(cases); k++) {
        sf_article a;
        memset(&a, 0, sizeof a);
        a.text = page;
        a.text_len = sizeof page - 1;
        a.title = cases[k].title;
        a.title_len = strlen(cases[k].title);
        if (cases[k].source) {
            a.source = cases[k].source;
            a.source_len = strlen(cases[k].source);
        }
        if (cases[k].url) {
            a.url = cases[k].url;
            a.url_len = strlen(cases[k].url);
        }
        sf_clean_result *c = NULL;
        assert_int_equal(sf_clean(&a, &c), SF_OK);
        size_t n;
        assert_string_equal(sf_clean_title(c, &n), cases[k].want);
        assert_int_equal(n, strlen(cases[k].want));
        sf_clean_result_free(c);
    }
}

/* Mojibake is repaired before cleaning and counted; correct text is not
 * touched. */
static void test_mojibake_repaired(void **state)
{
    (void)state;
    static const char broken[] =
        "Stadtrat beschlieÃŸt neue BrÃ¼cke\n\n"
        "Der Stadtrat hat am Dienstag den Bau einer neuen BrÃ¼cke Ã¼ber den Fluss "
        "beschlossen, die bis zum Jahr 2027 fertig sein soll.\n";
    sf_clean_result *c = clean_text(broken, sizeof broken - 1, NULL);
    size_t n;
    const char *t = sf_clean_text(c, &n);
    assert_true(test_contains(t, n, "neuen Brücke über den Fluss"));
    assert_false(test_contains(t, n, "Ã"));
    assert_int_equal(sf_clean_mojibake(c), 4);
    char *js = sf_clean_result_json(NULL, c, &n);
    assert_true(test_contains(js, n, "\"mojibake_repaired\":4"));
    free(js);
    sf_clean_result_free(c);
    static const char fine[] = "São Paulo: la señora Müller dijo «ça va» y naïve.\n";
    c = clean_text(fine, sizeof fine - 1, NULL);
    assert_int_equal(sf_clean_mojibake(c), 0);
    t = sf_clean_text(c, &n);
    assert_true(test_contains(t, n, "São Paulo: la señora Müller"));
    sf_clean_result_free(c);
}

/* A word of underscores only has no letter (found by the fuzzer: the
 * scanner looked past the word for its first letter). */
static void test_underscore_word(void **state)
{
    (void)state;
    static const char text[] = "_\n\n__ de1y\n\nA line _ with _ them.\n";
    sf_clean_result *c = clean_text(text, sizeof text - 1, NULL);
    assert_non_null(c);
    sf_clean_result_free(c);
    c = clean_text("_", 1, NULL);
    assert_non_null(c);
    sf_clean_result_free(c);
}

/* Prose in a language with few function words: Turkish marks them with
 * suffixes, so its paragraphs hold 10-15% stop words, not 40% as English.
 * A whole article on one line, with its source credit at the end, is kept
 * (it used to be dropped whole as boilerplate). Written for this test. */
static sf_clean_result *clean_lang(const char *text, size_t len, const char *lang)
{
    sf_article a;
    memset(&a, 0, sizeof a);
    a.text = text;
    a.text_len = len;
    a.lang = lang;
    a.lang_len = strlen(lang);
    sf_clean_result *c = NULL;
    assert_int_equal(sf_clean(&a, &c), SF_OK);
    assert_non_null(c);
    return c;
}

static void test_low_stopword_language(void **state)
{
    (void)state;
    static const char tr[] =
        "İzmir'in Bornova ilçesinde dün akşam meydana gelen trafik kazasında iki kişi "
        "yaralandı. Kaza, Ankara Caddesi'nde kırmızı ışıkta bekleyen minibüse bir "
        "otomobilin arkadan çarpmasıyla yaşandı. Yaralılar ambulanslarla Ege Üniversitesi "
        "Hastanesi'ne kaldırıldı ve tedavi altına alındı. Polis, kazanın nedenini belirlemek "
        "için soruşturma başlattı. Olay yerindeki görgü tanıkları, otomobil sürücüsünün "
        "yüksek hızla geldiğini söyledi. Kaynak: DHA\n";
    sf_clean_result *c = clean_lang(tr, sizeof tr - 1, "tr");
    assert_non_null(c);
    size_t n;
    const char *t = sf_clean_text(c, &n);
    assert_non_null(strstr(t, "soruşturma başlattı"));
    assert_string_equal(sf_clean_lang(c), "tr");
    sf_clean_result_free(c);
    /* the same page with a menu before it: the menu still goes */
    static const char page_tr[] =
        "Anasayfa | Gündem | Spor | Ekonomi | Yaşam\n\n"
        "İzmir'in Bornova ilçesinde dün akşam meydana gelen trafik kazasında iki kişi "
        "yaralandı. Kaza, Ankara Caddesi'nde kırmızı ışıkta bekleyen minibüse bir "
        "otomobilin arkadan çarpmasıyla yaşandı. Yaralılar ambulanslarla Ege Üniversitesi "
        "Hastanesi'ne kaldırıldı.\n";
    c = clean_lang(page_tr, sizeof page_tr - 1, "tr");
    t = sf_clean_text(c, &n);
    assert_non_null(strstr(t, "Yaralılar ambulanslarla"));
    assert_null(strstr(t, "Anasayfa"));
    sf_clean_result_free(c);
}

/* German capitalises every noun, so its prose has more capitalised words
 * than an English menu line: a paragraph cut off without its final stop
 * (as text extracted by another tool often is) is still prose, and a menu
 * is still a menu. Written for this test. */
static void test_german_capitals(void **state)
{
    (void)state;
    static const char de[] =
        "Startseite | Politik | Wirtschaft | Sport | Kultur\n\n"
        "Nach dem Großbrand im Hafen von Lindau ermittelt die Kriminalpolizei wegen "
        "Brandstiftung. Die Feuerwehr meldete am Sonntagmorgen Flammen in einer Lagerhalle "
        "der Reederei Seeblick am Ostufer. Mehr als vierzig Einsatzkräfte von Feuerwehr, "
        "Polizei und Wasserwacht brachten das Feuer nach drei Stunden unter Kontrolle. "
        "Verletzt wurde nach Angaben der Behörden niemand, der Sachschaden liegt laut "
        "Polizeisprecher Jens Mahler bei mehreren Hunderttausend Euro. Zeugen berichteten "
        "von zwei Männern, die kurz vor Ausbruch des Feuers mit einem Motorboot in Richtung "
        "Bregenz davonfuhren, die Ermittler bitten um Hinweise\n";
    sf_clean_result *c = clean_lang(de, sizeof de - 1, "de");
    size_t n;
    const char *t = sf_clean_text(c, &n);
    assert_non_null(strstr(t, "Motorboot in Richtung Bregenz"));
    assert_null(strstr(t, "Startseite"));
    sf_clean_result_free(c);
}

/* The page's language: taken from its words when the article has none. */
static void test_page_language(void **state)
{
    (void)state;
    sf_clean_result *c = clean_text(page, sizeof page - 1, NULL);
    assert_string_equal(sf_clean_lang(c), "en");
    sf_clean_result_free(c);
    static const char es[] =
        "La lluvia vuelve al valle\n\n"
        "Las primeras lluvias fuertes en cuatro meses cayeron el domingo sobre el valle y "
        "llenaron los embalses, que estaban en su nivel más bajo de los últimos veinte años.\n\n"
        "Los agricultores de la zona dijeron que el agua llega tarde para la cosecha de este año, "
        "pero que salvará los olivos.\n";
    c = clean_text(es, sizeof es - 1, NULL);
    assert_string_equal(sf_clean_lang(c), "es");
    sf_clean_result_free(c);
    assert_string_equal(sf_clean_lang(NULL), "");
}

/* Words of 64 letters or more, starting at every offset of a 64-byte
 * block of the page (the line scan reads word bytes 64 at a time; a word
 * filling a whole block once hit an undefined count of trailing zeros,
 * found by the fuzzer). The words are kept whole in the text. */
static void test_long_words_at_every_offset(void **state)
{
    (void)state;
    char text[512];
    for (size_t off = 0; off < 70; off++) {
        size_t n = 0;
        n += (size_t)snprintf(text + n, sizeof text - n, "Le caf\xc3\xa9 ");
        while (n < 9 + off)
            text[n++] = off & 1 ? ' ' : 'a';
        text[n++] = ' ';
        for (int i = 0; i < 150; i++)
            text[n++] = i < 40 ? 'l' : i < 110 ? 'G' : 'r';
        n += (size_t)snprintf(text + n, sizeof text - n, " est ouvert depuis ce matin.");
        sf_article a;
        memset(&a, 0, sizeof a);
        a.id = "w";
        a.id_len = 1;
        a.text = text;
        a.text_len = n;
        sf_clean_result *c = NULL;
        assert_int_equal(sf_clean(&a, &c), SF_OK);
        size_t len;
        const char *t = sf_clean_text(c, &len);
        assert_true(len == 0 || memchr(t, 'G', len) != NULL);
        sf_clean_result_free(c);
    }
}

static void test_json(void **state)
{
    (void)state;
    sf_article a;
    memset(&a, 0, sizeof a);
    a.id = "p\"1";
    a.id_len = 3;
    a.text = page;
    a.text_len = sizeof page - 1;
    sf_clean_result *c = NULL;
    assert_int_equal(sf_clean(&a, &c), SF_OK);
    size_t len;
    char *js = sf_clean_result_json(&a, c, &len);
    assert_non_null(js);
    assert_int_equal(strlen(js), len);
    json_error_t e;
    json_t *o = json_loadb(js, len, 0, &e);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "p\"1");
    assert_string_equal(json_string_value(json_object_get(o, "title")),
                        "Rain returns to the valley after a dry summer");
    json_t *rem = json_object_get(o, "removed");
    assert_int_equal(json_array_size(rem), sf_clean_removed_count(c));
    json_t *r0 = json_array_get(rem, 0);
    assert_int_equal(json_integer_value(json_object_get(r0, "line")), 1);
    assert_string_equal(json_string_value(json_object_get(r0, "text")), "Share this");
    assert_string_equal(json_string_value(json_object_get(r0, "why")), "share");
    json_decref(o);
    free(js);
    sf_clean_result_free(c);
}

static void test_edge_cases(void **state)
{
    (void)state;
    sf_clean_result *c = NULL;
    assert_int_equal(sf_clean(NULL, &c), SF_EINVAL);
    assert_null(c);
    sf_clean_result_free(NULL);
    assert_int_equal(sf_clean_removed_count(NULL), 0);
    size_t n = 99;
    assert_null(sf_clean_text(NULL, &n));
    assert_int_equal(n, 0);

    /* empty and blank pages give an empty body and no removals */
    c = clean_text("", 0, NULL);
    assert_string_equal(sf_clean_text(c, &n), "");
    assert_int_equal(n, 0);
    assert_string_equal(sf_clean_title(c, &n), "");
    assert_int_equal(sf_clean_removed_count(c), 0);
    uint64_t line = 7;
    assert_null(sf_clean_removed(c, 0, &line, NULL, NULL));
    assert_int_equal(line, 0);
    sf_clean_result_free(c);
    c = clean_text("\n \n\t\n", 4, NULL);
    assert_int_equal(sf_clean_removed_count(c), 0);
    sf_clean_result_free(c);

    /* a text with an embedded NUL and invalid UTF-8 does not crash */
    static const char odd[] = "Title of a page\n\xff\xfe broken \0 bytes here\n}";
    c = clean_text(odd, sizeof odd - 1, NULL);
    assert_int_equal(sf_clean_removed(c, sf_clean_removed_count(c) - 1, &line, NULL, NULL)[0],
                     '}');
    assert_int_equal(line, 3);
    sf_clean_result_free(c);
}

/* Subheadings between paragraphs stay; lower-case caption fragments and
 * lines after a teaser header go. */
static void test_subheadings_and_teasers(void **state)
{
    (void)state;
    static const char p[] =
        "Port strike ends after three weeks\n\n"
        "Dock workers at the main port voted on Friday to end a strike that had lasted three "
        "weeks and left hundreds of ships waiting outside the harbour.\n\n"
        "A new deal\n\n"
        "The agreement gives the workers a raise of six percent this year and another four "
        "percent next year, and it limits the length of night shifts.\n\n"
        "container ship harbour\n\n"
        "The port authority said it would take at least ten days to clear the queue of ships "
        "and asked companies to be patient while the work goes on.\n\n"
        "Read Now\n\n"
        "Bridge repairs will close the eastern road for most of the summer months, the city "
        "said in a statement that was published on its website this morning.\n\n"
        "Museum opens a new wing\n";
    sf_clean_result *c = clean_text(p, sizeof p - 1, NULL);
    assert_null(removed_why(c, 5));                      /* "A new deal" */
    assert_non_null(removed_why(c, 9));                  /* caption fragment */
    expect_why(c, 13, "teaser-block");
    expect_why(c, 15, "teaser-block");
    expect_why(c, 17, "teaser-block");
    sf_clean_result_free(c);
}

/* The line scan takes lines whose characters above ASCII are no word
 * characters (curly quotes, dashes...) by a loop of its own (words from the
 * word starts, punctuation in any order): every feature of every line must
 * be what the general loop gives. Pages: the fixtures, the seeds when
 * present, and lines made for the loop's corners (long words across 64-byte
 * blocks, camel case, '_', separators, code, numbers, capitalised stop
 * words, junk at the start, closing quotes at the end, curly quotes,
 * dashes, bullets, a broken UTF-8 sequence, letters above ASCII). */
static void expect_same_doc(const sf_clean_doc *fd, const sf_clean_doc *gd, const char *what,
                            const char *fname, const char *gname)
{
    const sf_clean_doc fast = *fd, general = *gd;
    assert_int_equal(fast.n, general.n);
    assert_int_equal(fast.lang, general.lang);
    assert_int_equal(fast.total_words, general.total_words);
    assert_int_equal(fast.total_stops, general.total_stops);
    for (size_t i = 0; i < fast.n; i++) {
        const sf_line *f = &fast.lines[i], *g = &general.lines[i];
#define SAME(field)                                                                      \
    if (f->field != g->field)                                                            \
        fail_msg("%s, line %u: " #field " %llu by %s, %llu by %s", what, g->no,       \
                 (unsigned long long)f->field, fname, (unsigned long long)g->field, gname)
        SAME(off); SAME(len); SAME(hash); SAME(no); SAME(words); SAME(stops); SAME(caps);
        SAME(nums); SAME(letters); SAME(nonspace); SAME(codep); SAME(glued); SAME(pipes);
        SAME(crumbs); SAME(end); SAME(marks); SAME(phrase); SAME(header);
        SAME(strong_phrase); SAME(title_case); SAME(lead_caps); SAME(lead_tc);
        SAME(joined); SAME(lower_start); SAME(has_lower); SAME(date_like); SAME(time_like);
#undef SAME
    }
}

/* ... and the page masks made 16 bytes at a time (SSE2) must give what the
 * masks made 32 bytes at a time (AVX2, where the CPU has it) give. */
static void expect_same_scan(const char *text, size_t len, const char *what)
{
    sf_article a;
    memset(&a, 0, sizeof a);
    a.text = text;
    a.text_len = len;
    sf_clean_doc fast, general, narrow;
    sf_clean_general_scan = false;
    assert_int_equal(sf_clean_lines(&a, &fast), SF_OK);
    sf_clean_general_scan = true;
    assert_int_equal(sf_clean_lines(&a, &general), SF_OK);
    sf_clean_general_scan = false;
    sf_clean_no_avx2 = true;
    assert_int_equal(sf_clean_lines(&a, &narrow), SF_OK);
    sf_clean_no_avx2 = false;
    expect_same_doc(&fast, &general, what, "the plain loop", "the general one");
    expect_same_doc(&narrow, &fast, what, "SSE2 masks", "AVX2 masks");
    sf_clean_doc_free(&fast);
    sf_clean_doc_free(&general);
    sf_clean_doc_free(&narrow);
}

/* Every stop word of a language's list, found by the scan: a line of the
 * list's words (those that are one word to the scanner: letters only) has
 * as many stop words as words, in the plain and the general loop. */
typedef struct stop_line {
    char buf[16384];
    size_t len;
    size_t words;
} stop_line;

static void stop_line_add(void *ctx, const char *w, size_t n)
{
    stop_line *sl = ctx;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return;   /* apostrophes, hyphens, digits: more than one word */
    }
    if (sl->len + n + 2 >= sizeof sl->buf)
        return;
    memcpy(sl->buf + sl->len, w, n);
    sl->len += n;
    sl->buf[sl->len++] = ' ';
    sl->words++;
}

/* ---- datelines ---------------------------------------------------------- */

static void test_dateline_forms(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "WASHINGTON (AP) \xE2\x80\x94 New uncertainty hangs over the primary as ten candidates meet again.",
        "ST. JOSEPH, Mich. (AP) \xE2\x80\x94 Michigan health authorities are reporting a sixth fatality.",
        "DUBAI, United Arab Emirates \xE2\x80\x94 Dubai's flagship carrier finalized a deal to buy jets.",
        "BERLIN -- The European Space Agency says putting astronauts into a state of hibernation helps.",
        "NEW YORK (Reuters) - Oil prices fell sharply on Tuesday on oversupply worries in the market.",
        "CLEVELAND, Ohio \xE2\x80\x93 The band will look to ride a potential induction to a new album.",
        "MADRID, 5 nov (EFE).- El Gobierno aprobó este martes el proyecto de ley de presupuestos del año.",
        "Berlin (dpa) - Die Bundesregierung hat am Dienstag den Entwurf des Haushalts beschlossen und vorgelegt.",
        "S\xC3\x83O PAULO \xE2\x80\x94 O governo anunciou nesta ter\xC3\xA7" "a-feira um novo plano para a economia.",
        "\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90 \xE2\x80\x94 \xD0\x9F\xD1\x80\xD0\xB0\xD0\xB2\xD0\xB8\xD1\x82\xD0\xB5\xD0\xBB\xD1\x8C\xD1\x81\xD1\x82\xD0\xB2\xD0\xBE \xD0\xBE\xD0\xB4\xD0\xBE\xD0\xB1\xD1\x80\xD0\xB8\xD0\xBB\xD0\xBE \xD0\xBF\xD1\x80\xD0\xBE\xD0\xB5\xD0\xBA\xD1\x82 \xD0\xB1\xD1\x8E\xD0\xB4\xD0\xB6\xD0\xB5\xD1\x82\xD0\xB0 \xD0\xBD\xD0\xB0 \xD0\xB1\xD1\x83\xD0\xB4\xD1\x83\xD1\x89\xD0\xB8\xD0\xB9 \xD0\xB3\xD0\xBE\xD0\xB4.",
    };
    static const char *const no[] = {
        /* a label, not a place */
        "UPDATE \xE2\x80\x94 The company said on Monday that it would add two boats to the service.",
        "EDITOR'S NOTE \xE2\x80\x94 This story contains details that some readers may find disturbing.",
        "WATCH: The mayor speaks about the budget for next year and the parks that will be built.",
        /* a place in lower case without an agency, a sentence, a dash inside */
        "Berlin - Die Bundesregierung hat am Dienstag den Entwurf des Haushalts beschlossen und vorgelegt.",
        "The Palestinian Authority - which considers the US biased - has rejected the plan outright.",
        "The installation \xE2\x80\x93 entitled Jewels after Jewels \xE2\x80\x93 was shown in the city hall.",
        /* no dash after the place, or numbers */
        "WASHINGTON The president met the leaders of both parties on Monday to talk about the budget.",
        "2:31 \xE2\x80\x94 The video shows the mayor speaking about the budget for next year in the hall.",
        /* too short to open an article */
        "LONDON \xE2\x80\x94 Rain.",
    };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!sf_clean_dateline(yes[i], strlen(yes[i])))
            fail_msg("not read as a dateline: %s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (sf_clean_dateline(no[i], strlen(no[i])))
            fail_msg("read as a dateline: %s", no[i]);
    assert_true(sf_clean_update_line("Update (Feb. 20):", 17));
    assert_true(sf_clean_update_line("2 p.m. UPDATE: Police have named the man.", 41));
    assert_false(sf_clean_update_line("The update came on Monday from the police.", 42));
}

/* Lines between the title and a dateline are captions, credits and
 * teasers; an update above it is the article's; a dateline further down
 * is not the article's start. */
static void test_dateline_start(void **state)
{
    (void)state;
    static const char wire[] =
        "Michigan reports a sixth death from the virus\n"
        "\n"
        "Where to find the best cheese in town: our reporters tried a dozen shops and ranked "
        "the ones worth the trip this winter.\n"
        "\n"
        "Photo: Health Department\n"
        "\n"
        "ST. JOSEPH, Mich. (AP) \xE2\x80\x94 Michigan health authorities are reporting a sixth "
        "death linked to the virus, officials said on Monday.\n"
        "\n"
        "The victim was one of two people who contracted the mosquito-borne virus, and the "
        "death occurred on Saturday, the county said.\n";
    sf_clean_result *c = clean_text(wire, sizeof wire - 1, NULL);
    expect_why(c, 3, "before-dateline");
    size_t n;
    const char *t = sf_clean_text(c, &n);
    assert_null(strstr(t, "cheese"));
    assert_non_null(strstr(t, "ST. JOSEPH"));
    assert_non_null(strstr(t, "sixth death"));
    sf_clean_result_free(c);

    static const char update[] =
        "Police name the man shot in Stockton\n"
        "\n"
        "2 p.m. UPDATE: Stockton police have identified the man shot and killed on Tuesday "
        "night as a 32-year-old employee of the restaurant.\n"
        "\n"
        "STOCKTON (CBS13) \xE2\x80\x93 Stockton police say that a man shot and killed on "
        "Tuesday night is related to a girl who was killed by a stray bullet.\n"
        "\n"
        "Officers said they were still looking for the driver of a dark car that was seen "
        "leaving the street after the shots were fired.\n";
    c = clean_text(update, sizeof update - 1, NULL);
    t = sf_clean_text(c, &n);
    assert_non_null(strstr(t, "have identified the man"));
    assert_null(removed_why(c, 3));
    sf_clean_result_free(c);

    /* the fifth paragraph opens with a place and a dash: a quoted report,
     * not the start */
    static const char deep[] =
        "The council passes the budget for next year\n"
        "\n"
        "The city council met on Tuesday to discuss the budget for next year, and the mayor "
        "said that spending on parks would rise by a tenth.\n"
        "\n"
        "The council also voted to repair the old bridge over the river, which has been "
        "closed to lorries since the spring floods.\n"
        "\n"
        "Several members said the repairs were overdue and that the town had waited far too "
        "long for the money from the region.\n"
        "\n"
        "A resident who spoke at the meeting asked why the library hours had been cut when "
        "the budget was growing again.\n"
        "\n"
        "BRUSSELS \xE2\x80\x94 The regional government said last week that it would pay for "
        "half of the repairs to bridges in the province.\n";
    c = clean_text(deep, sizeof deep - 1, NULL);
    for (uint64_t no = 3; no <= 11; no += 2)
        if (removed_why(c, no))
            fail_msg("line %llu removed as %s", (unsigned long long)no, removed_why(c, no));
    sf_clean_result_free(c);
}

static void test_every_stop_word_found(void **state)
{
    (void)state;
    size_t langs = 0;
    for (int l = 1; l < SF_LANG_COUNT; l++) {
        const char *code = sf_lang_code((sf_lang)l);
        char name[40];
        snprintf(name, sizeof name, "stopwords/%s.txt", code);
        stop_line *sl = calloc(1, sizeof *sl);
        assert_non_null(sl);
        if (!sf_data_lines(name, stop_line_add, sl) || sl->words == 0) {
            free(sl);
            continue;
        }
        langs++;
        for (int general = 0; general < 2; general++) {
            sf_article a;
            memset(&a, 0, sizeof a);
            a.text = sl->buf;
            a.text_len = sl->len - 1;
            a.lang = code;
            a.lang_len = strlen(code);
            sf_clean_doc d;
            sf_clean_general_scan = general != 0;
            assert_int_equal(sf_clean_lines(&a, &d), SF_OK);
            sf_clean_general_scan = false;
            assert_int_equal(d.n, 1);
            if (d.lines[0].words != sl->words || d.lines[0].stops != sl->words)
                fail_msg("%s (%s loop): %u words, %u stop words, %zu listed", code,
                         general ? "general" : "plain", (unsigned)d.lines[0].words,
                         (unsigned)d.lines[0].stops, sl->words);
            sf_clean_doc_free(&d);
        }
        free(sl);
    }
    assert_true(langs >= 10);
}

static void test_plain_scan(void **state)
{
    (void)state;
    static const char *const fixtures[] = {
        "en_adcode", "en_bio_captions", "en_comments", "en_gallery_captions", "en_table",
        "en_teaser_lists", "en_teasers", "es_furniture", "it_numbered_list", "pt_sidebar",
    };
    for (size_t k = 0; k < sizeof fixtures / sizeof fixtures[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, "clean/%s.txt", fixtures[k]);
        size_t n;
        char *text = slurp(test_path(path), &n);
        assert_non_null(text);
        expect_same_scan(text, n, fixtures[k]);
        free(text);
    }
    static const char corners[] =
        "- Home > News > World | Sport / Weather\n"
        "(c) 2024 Example Media Group. All rights reserved.\n"
        "Read more: HomeTechnologyXiaomi launches AnotherGadgetToday\n"
        "By Anna Keller and The Associated Press | 11:03 AM, May 4 2024\n"
        "The Mayor Of The City Said On Monday That The Bridge Would Reopen.\n"
        "var ad_slot = {id: 'top_banner', sizes: [[728, 90]]}; googletag.cmd.push(x);\n"
        "olga_photo credit_line and a_b_c words with under_scores_inside_them\n"
        "   \t  A line with\ttabs, commas; colons: and an ellipsis...\n"
        "\"Quoted to the end,\" she said (in parentheses).\n"
        "Counterrevolutionaries internationalisation electroencephalographically "
        "pneumonoultramicroscopicsilicovolcanoconiosis ended the list.\n"
        "1) First item 2. Second 3) Third 1999 2024 12 7 x86_64 A1B2C3\n"
        "Share on Facebook Share on Twitter Leave a Reply\r\n"
        "ALL CAPS HEADING WITH NUMBERS 2024\n"
        "\xe2\x80\x9cWe don\xe2\x80\x99t know,\xe2\x80\x9d said the mayor \xe2\x80\x94 "
        "and the council\xc2\xa0" "agreed \xe2\x80\x93 in 2024.\n"
        "Home \xc2\xbb News \xc2\xbb World \xe2\x80\xa2 Sport \xe2\x80\xa2 Weather\n"
        "\xc2\xa9 2024 Example Media \xe2\x80\x9c" "Quoted\xe2\x80\x9d\n"
        "A broken \xc3\x28 sequence and a stray \x80 byte, then more words.\n"
        "Le caf\xc3\xa9 est ouvert \xe2\x80\x94 \xe2\x80\x9c" "depuis ce matin\xe2\x80\x9d.\n"
        "_\n__ de1y\n\n";
    expect_same_scan(corners, sizeof corners - 1, "corner lines");
    /* long words and runs starting at every offset of a 64-byte block */
    char text[1024];
    for (size_t off = 0; off < 70; off++) {
        size_t n = 0;
        while (n < off)
            text[n++] = off & 1 ? ' ' : 'x';
        text[n++] = '\n';
        n += (size_t)snprintf(text + n, sizeof text - n, "The %.*s", (int)(off % 40 + 1),
                              "AbcdefghijklmnopqrstuvwxyzAbcdefghijklmn");
        for (int i = 0; i < 130; i++)
            text[n++] = i < 20 ? 'l' : i < 90 ? 'G' : i % 7 == 0 ? '_' : 'r';
        n += (size_t)snprintf(text + n, sizeof text - n,
                              " of The day, a HomeTown story | and more.\nNext line here\n");
        expect_same_scan(text, n, "long words");
    }
    /* the seed pages, when present */
    const char *dir = getenv("SF_SEEDS");
    if (!dir)
        dir = "/work/shared/seeds";
    DIR *dp = opendir(dir);
    for (struct dirent *e; dp && (e = readdir(dp)) != NULL;) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n;
        char *t = slurp(path, &n);
        assert_non_null(t);
        expect_same_scan(t, n, e->d_name);
        free(t);
    }
    if (dp)
        closedir(dp);
}

/* ---- seeds (../shared/seeds, when present) ------------------------------- */

/* Phrase-list lines are found from their words by the line scanner: a
 * strong phrase inside a long line, a phrase of a word longer than 16
 * bytes (Cyrillic), a phrase without words ("©"). */
static const char phrase_page[] =
    "Council approves the new tram line after a long debate\n"
    "\n"
    "The city council voted on Tuesday to approve the new tram line that will connect "
    "the harbour with the university campus by 2027.\n"
    "We use cookies to improve your experience on this website, to show you "
    "personalised content and to analyse our traffic.\n"
    "Supporters of the project said that the line would take thousands of cars off the "
    "roads every day and cut travel times in half.\n"
    "\xd0\x9f\xd0\xbe\xd0\xbb\xd0\xb8\xd1\x82\xd0\xb8\xd0\xba\xd0\xb0 "
    "\xd0\xba\xd0\xbe\xd0\xbd\xd1\x84\xd0\xb8\xd0\xb4\xd0\xb5\xd0\xbd\xd1\x86"
    "\xd0\xb8\xd0\xb0\xd0\xbb\xd1\x8c\xd0\xbd\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8\n"
    "Opponents argued that the cost of the project had doubled since it was first "
    "proposed and that buses would do the same job.\n"
    "\xc2\xa9 2024 Example Media\n"
    "The mayor said that construction would begin in the spring and that the first "
    "trams would run before the end of the decade.\n";

static void test_phrases_from_words(void **state)
{
    (void)state;
    sf_clean_result *c = clean_text(phrase_page, sizeof phrase_page - 1, NULL);
    expect_why(c, 4, "navigation");
    expect_why(c, 6, "navigation");
    expect_why(c, 8, "boilerplate");
    assert_null(removed_why(c, 5));
    assert_null(removed_why(c, 7));
    assert_null(removed_why(c, 9));
    sf_clean_result_free(c);
}

static int line_in(json_t *arr, size_t no)
{
    for (size_t i = 0; i < json_array_size(arr); i++)
        if ((size_t)json_integer_value(json_array_get(arr, i)) == no)
            return 1;
    return 0;
}

static void test_seeds(void **state)
{
    (void)state;
    const char *dir = getenv("SF_SEEDS");
    if (!dir)
        dir = "/work/shared/seeds";
    char path[1024];
    snprintf(path, sizeof path, "%s/gold.json", dir);
    if (access(path, R_OK) != 0)
        skip();
    json_error_t e;
    json_t *gold = json_load_file(path, 0, &e);
    assert_non_null(gold);
    json_t *arts = json_object_get(gold, "articles");
    const char *fn;
    json_t *lab;
    json_object_foreach(arts, fn, lab) {
        snprintf(path, sizeof path, "%s/%s", dir, fn);
        size_t tn;
        char *text = slurp(path, &tn);
        assert_non_null(text);
        sf_clean_result *c = clean_text(text, tn, NULL);
        json_t *body = json_object_get(lab, "body");
        size_t title_no = (size_t)json_integer_value(json_object_get(lab, "title"));
        size_t no = 1;
        for (char *s = text; s && *s; no++) {
            char *nl = strchr(s, '\n');
            size_t len = nl ? (size_t)(nl - s) : strlen(s);
            int blank = 1;
            for (size_t i = 0; i < len; i++)
                if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
                    blank = 0;
            if (!blank) {
                const char *why = removed_why(c, no);
                if (line_in(body, no) && why)
                    fail_msg("%s: body line %zu removed (%s)", fn, no, why);
                if (!line_in(body, no) && !why)
                    fail_msg("%s: furniture line %zu kept: %.60s", fn, no, s);
            }
            if (no == title_no) {
                size_t tl;
                const char *t = sf_clean_title(c, &tl);
                if (tl != len || memcmp(t, s, len) != 0)
                    fail_msg("%s: title \"%s\", expected line %zu", fn, t, no);
            }
            s = nl ? nl + 1 : NULL;
        }
        sf_clean_result_free(c);
        free(text);
    }
    json_decref(gold);
}

/* sf_clean_line lists every non-empty line in order with its verdict,
 * agreeing with the removed list and the text; the title line is known. */
static void test_lines(void **state)
{
    (void)state;
    const char *t = "Home | News | Sport\n\nMayor Opens The New Library\n"
                    "The mayor opened the new library on Saturday, and hundreds of families "
                    "came to borrow books on its first day.\n"
                    "Share on Twitter\n";
    sf_clean_result *c = clean_text(t, strlen(t), NULL);
    assert_int_equal(sf_clean_line_count(c), 4);
    uint64_t no;
    size_t len;
    int kept;
    const char *why;
    const char *s = sf_clean_line(c, 0, &no, &len, &kept, &why);
    assert_int_equal(no, 1);
    assert_int_equal(kept, 0);
    assert_string_equal(why, "navigation");
    assert_true(len == 19 && memcmp(s, "Home | News | Sport", 19) == 0);
    s = sf_clean_line(c, 1, &no, &len, &kept, &why);
    assert_int_equal(no, 3);
    assert_int_equal(kept, 1);
    assert_string_equal(why, "");
    assert_true(len == 27 && memcmp(s, "Mayor Opens The New Library", 27) == 0);
    assert_int_equal(sf_clean_title_line(c), 3);
    s = sf_clean_line(c, 3, &no, &len, &kept, &why);
    assert_int_equal(no, 5);
    assert_int_equal(kept, 0);
    assert_string_equal(why, "share");
    assert_null(sf_clean_line(c, 4, &no, &len, &kept, &why));
    assert_int_equal(no, 0);
    assert_int_equal(len, 0);
    assert_null(why);
    /* kept lines are the text, in order, but for the title's: the text
     * is the body alone */
    size_t tl;
    const char *text = sf_clean_text(c, &tl);
    s = sf_clean_line(c, 2, NULL, &len, &kept, NULL);
    assert_int_equal(kept, 1);
    assert_true(s == text && len == tl);
    assert_null(strstr(text, "Mayor Opens"));
    size_t ttl;
    assert_string_equal(sf_clean_title(c, &ttl), "Mayor Opens The New Library");
    sf_clean_result_free(c);
    /* a given title that is no line of the page */
    c = clean_text(t, strlen(t), "Something else entirely here");
    assert_int_equal(sf_clean_title_line(c), 0);
    sf_clean_result_free(c);
    assert_int_equal(sf_clean_line_count(NULL), 0);
    assert_int_equal(sf_clean_title_line(NULL), 0);
}

/* Fails unless the page's byline, credit and date are as given (NULL:
 * none found). */
static void expect_meta(const char *text, const char *byline, const char *credit,
                        const char *date)
{
    sf_clean_result *c = clean_text(text, strlen(text), NULL);
    const char *want[3] = {byline, credit, date};
    const char *got[3];
    size_t len[3];
    got[0] = sf_clean_byline(c, &len[0]);
    got[1] = sf_clean_credit(c, &len[1]);
    got[2] = sf_clean_page_date(c, &len[2]);
    for (int k = 0; k < 3; k++) {
        if (!want[k]) {
            assert_null(got[k]);
            assert_int_equal(len[k], 0);
        } else {
            assert_non_null(got[k]);
            assert_string_equal(got[k], want[k]);
            assert_int_equal(len[k], strlen(want[k]));
        }
    }
    sf_clean_result_free(c);
}

/* Bylines, credits and dates printed on the page, in several languages. */
static void test_meta(void **state)
{
    (void)state;
    expect_meta("Ferry Service Returns After Storm Damage Repaired\n"
                "PUBLISHED: THURSDAY, MAY 2, 2013\n"
                "By Anna Keller and Tom Olsen | Reuters\n"
                "The ferry between the two islands ran again on Wednesday after workers "
                "repaired the pier that the storm had damaged last month.\n"
                "The company said that the boats would keep to the summer timetable and "
                "that tickets bought for the cancelled trips were still valid.\n\n"
                "Image credits- First Post\n",
                "Anna Keller and Tom Olsen", "First Post", "2013-05-02");
    /* a source named beats a picture's; "May 03, 2013" under the title */
    expect_meta("Ferry Service Returns After Storm Damage Repaired\nMay 03, 2013\n"
                "The ferry between the two islands ran again on Wednesday after workers "
                "repaired the pier that the storm had damaged last month.\n"
                "The company said that the boats would keep to the summer timetable and "
                "that tickets bought for the cancelled trips were still valid.\n\n"
                "Photo: Getty Images\nAccording to Reuters\n",
                NULL, "Reuters", "2013-05-03");
    expect_meta("El puente nuevo\nPor María López\n3 de mayo de 2013\n"
                "El consejo de la ciudad votó el martes a favor de construir un puente nuevo "
                "sobre el río, poniendo fin a un debate que duró casi diez años.\n"
                "El puente tendrá dos carriles para coches y un camino para bicicletas, y las "
                "obras empezarán en la primavera del año que viene.\nFuente: EFE\n",
                "María López", "EFE", "2013-05-03");
    expect_meta("Die neue Brücke\nVon Hans Müller, 14.06.2021\n"
                "Der Stadtrat hat am Dienstag beschlossen, eine neue Brücke über den Fluss zu "
                "bauen, und damit einen Streit beendet, der fast zehn Jahre gedauert hat.\n"
                "Die Brücke soll zwei Fahrspuren und einen Radweg haben, und die Arbeiten "
                "sollen im Frühjahr des nächsten Jahres beginnen.\nQuelle: dpa\n",
                "Hans Müller", NULL, "2021-06-14");
    expect_meta("Le nouveau pont\nPar Jean Dupont\nPublié le 1er mars 2020 à 10h30\n"
                "Le conseil municipal a voté mardi la construction d'un nouveau pont sur le "
                "fleuve, mettant fin à un débat qui durait depuis près de dix ans.\n"
                "Le pont aura deux voies pour les voitures et une piste pour les vélos, et les "
                "travaux doivent commencer au printemps prochain.\nSource : AFP\n",
                "Jean Dupont", "AFP", "2020-03-01");
    expect_meta("Новый мост через реку\nАвтор: Иван Петров\n3 мая 2013 г.\n"
                "Городской совет во вторник проголосовал за строительство нового моста через "
                "реку, и на этом закончился спор, который шёл почти десять лет.\n"
                "У моста будет две полосы для машин и дорожка для велосипедов, а работы "
                "начнутся весной следующего года.\nИсточник: ТАСС\n",
                "Иван Петров", "ТАСС", "2013-05-03");
    expect_meta("Cây cầu mới qua sông\nThứ năm, ngày 2 tháng 5 năm 2013\n"
                "Hội đồng thành phố đã bỏ phiếu vào thứ ba để xây một cây cầu mới qua sông, "
                "kết thúc cuộc tranh luận kéo dài gần mười năm.\n"
                "Cây cầu sẽ có hai làn xe và một đường dành cho xe đạp, và công trình sẽ bắt "
                "đầu vào mùa xuân năm sau.\nNguồn: VnExpress\n",
                NULL, "VnExpress", "2013-05-02");
    /* no metadata: nothing found; a date and a byline below the article
     * belong to a teaser or a comment; a lower-case rest is no name */
    expect_meta("Ferry Service Returns After Storm Damage Repaired\n"
                "The ferry between the two islands ran again on Wednesday after workers "
                "repaired the pier that the storm had damaged last month.\n"
                "The company said that the boats would keep to the summer timetable and "
                "that tickets bought for the cancelled trips were still valid.\n"
                "Read more\nBy Tom Olsen\nJune 4, 2013\n",
                NULL, NULL, NULL);
    expect_meta("Ferry Service Returns After Storm Damage Repaired\n"
                "2013-02-30\nby the editors\n"
                "The ferry between the two islands ran again on Wednesday after workers "
                "repaired the pier that the storm had damaged last month.\n"
                "The company said that the boats would keep to the summer timetable and "
                "that tickets bought for the cancelled trips were still valid.\n",
                NULL, NULL, NULL);
    /* names end at "Updated" or "On" or a handle; a name printed twice is
     * one; "Photo Gallery" names no source (no separator after "Photo");
     * "(Image: © NASA)" names NASA; a numeric date in English is M/D/Y */
    expect_meta("Ferry Service Returns After Storm Damage Repaired\n"
                "By Sean Martin Sean Martin @seanm Updated 11/13/2019 at 4:00 PM EST\n"
                "The ferry between the two islands ran again on Wednesday after workers "
                "repaired the pier that the storm had damaged last month.\n"
                "The company said that the boats would keep to the summer timetable and "
                "that tickets bought for the cancelled trips were still valid.\n\n"
                "Photo Gallery\n(Image: © NASA)\n",
                "Sean Martin", "NASA", "2019-11-13");
    expect_meta("Die neue Brücke\nVon Moritz Bachmann publiziert am 30. Juli 2018\n"
                "Der Stadtrat hat am Dienstag beschlossen, eine neue Brücke über den Fluss zu "
                "bauen, und damit einen Streit beendet, der fast zehn Jahre gedauert hat.\n",
                "Moritz Bachmann", NULL, "2018-07-30");
    /* the JSON carries the fields only when found */
    const char *t = "Ferry Service Returns After Storm Damage Repaired\n2013-05-02\n"
                    "The ferry between the two islands ran again on Wednesday after workers "
                    "repaired the pier that the storm had damaged last month.\n";
    sf_clean_result *c = clean_text(t, strlen(t), NULL);
    size_t len;
    char *json = sf_clean_result_json(NULL, c, &len);
    assert_non_null(json);
    assert_non_null(strstr(json, ",\"date\":\"2013-05-02\","));
    assert_null(strstr(json, "\"byline\":"));
    assert_null(strstr(json, "\"credit\":"));
    free(json);
    sf_clean_result_free(c);
    assert_null(sf_clean_byline(NULL, &len));
    assert_int_equal(len, 0);
}

/* Site furniture: tests/data/clean/site_pages.jsonl holds four pages of
 * one site (by url host) sharing a menu, a tagline, a sub-heading and a
 * long repeated paragraph, and a page of another site showing the menu
 * and the sub-heading once. */
static void test_site_furniture(void **state)
{
    (void)state;
    json_error_t jerr;
    FILE *f = fopen(test_path("clean/site_pages.jsonl"), "r");
    assert_non_null(f);
    json_t *pages[8];
    sf_article arts[8];
    size_t n = 0;
    char line[8192];
    while (n < 8 && fgets(line, sizeof line, f)) {
        pages[n] = json_loads(line, 0, &jerr);
        assert_non_null(pages[n]);
        memset(&arts[n], 0, sizeof arts[n]);
        arts[n].id = json_string_value(json_object_get(pages[n], "id"));
        arts[n].id_len = strlen(arts[n].id);
        arts[n].url = json_string_value(json_object_get(pages[n], "url"));
        arts[n].url_len = strlen(arts[n].url);
        arts[n].text = json_string_value(json_object_get(pages[n], "text"));
        arts[n].text_len = strlen(arts[n].text);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 5);
    sf_site_model *m = sf_site_model_new();
    assert_non_null(m);
    /* with two pages of the site nothing recurs often enough (3 pages) */
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(sf_site_model_add(m, &arts[i]), SF_OK);
    sf_clean_result *c = NULL;
    assert_int_equal(sf_clean_with_site(&arts[0], m, &c), SF_OK);
    for (size_t i = 0; i < sf_clean_removed_count(c); i++) {
        const char *why;
        sf_clean_removed(c, i, NULL, NULL, &why);
        assert_string_not_equal(why, "site-furniture");
    }
    assert_null(removed_why(c, 3));
    sf_clean_result_free(c);
    for (size_t i = 2; i < n; i++)
        assert_int_equal(sf_site_model_add(m, &arts[i]), SF_OK);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(sf_clean_with_site(&arts[i], m, &c), SF_OK);
        expect_why(c, 1, "site-furniture");      /* menu */
        expect_why(c, 3, "site-furniture");      /* tagline */
        expect_why(c, 5, "site-furniture");      /* sub-heading */
        assert_null(removed_why(c, 4));          /* the article */
        assert_null(removed_why(c, 6));
        assert_null(removed_why(c, 7));          /* a long paragraph the site repeats */
        /* the menu is never the title */
        size_t tl;
        const char *t = sf_clean_title(c, &tl);
        assert_true(tl > 0 && strncmp(t, "Valley Courier", 14) != 0);
        sf_clean_result_free(c);
    }
    /* the other site shows the menu and the sub-heading once: kept there */
    assert_int_equal(sf_clean_with_site(&arts[4], m, &c), SF_OK);
    assert_null(removed_why(c, 4));
    size_t tl;
    const char *t = sf_clean_title(c, &tl);
    assert_true(tl > 0 && strncmp(t, "Valley Courier", 14) == 0);
    sf_clean_result_free(c);
    /* without a model, and for a page without url or source: as sf_clean */
    assert_int_equal(sf_clean_with_site(&arts[0], NULL, &c), SF_OK);
    assert_null(removed_why(c, 3));
    sf_clean_result_free(c);
    sf_article bare = arts[0];
    bare.url = NULL;
    bare.url_len = 0;
    assert_int_equal(sf_site_model_add(m, &bare), SF_OK);
    assert_int_equal(sf_clean_with_site(&bare, m, &c), SF_OK);
    assert_null(removed_why(c, 3));
    sf_clean_result_free(c);
    /* a page that is a copy of another (its paragraphs all recur) keeps them */
    sf_site_model *m2 = sf_site_model_new();
    assert_non_null(m2);
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(sf_site_model_add(m2, &arts[0]), SF_OK);
    assert_int_equal(sf_clean_with_site(&arts[0], m2, &c), SF_OK);
    assert_null(removed_why(c, 4));
    assert_null(removed_why(c, 6));
    expect_why(c, 1, "site-furniture");
    sf_clean_result_free(c);
    sf_site_model_free(m2);
    assert_int_equal(sf_site_model_add(NULL, &arts[0]), SF_EINVAL);
    sf_site_model_free(m);
    sf_site_model_free(NULL);
    for (size_t i = 0; i < n; i++)
        json_decref(pages[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_language),
        cmocka_unit_test(test_low_stopword_language),
        cmocka_unit_test(test_german_capitals),
        cmocka_unit_test(test_long_words_at_every_offset),
        cmocka_unit_test(test_underscore_word),
        cmocka_unit_test(test_mojibake_repaired),
        cmocka_unit_test(test_fixture_comments),
        cmocka_unit_test(test_fixture_teasers),
        cmocka_unit_test(test_fixture_adcode),
        cmocka_unit_test(test_fixture_bio_captions),
        cmocka_unit_test(test_fixture_spanish),
        cmocka_unit_test(test_fixture_vietnamese),
        cmocka_unit_test(test_fixture_french),
        cmocka_unit_test(test_fixture_german),
        cmocka_unit_test(test_fixture_indonesian),
        cmocka_unit_test(test_fixture_turkish),
        cmocka_unit_test(test_fixture_table),
        cmocka_unit_test(test_fixture_teaser_lists),
        cmocka_unit_test(test_fixture_gallery_captions),
        cmocka_unit_test(test_fixture_portuguese),
        cmocka_unit_test(test_fixture_russian),
        cmocka_unit_test(test_fixture_korean),
        cmocka_unit_test(test_fixture_italian),
        cmocka_unit_test(test_number_lists),
        cmocka_unit_test(test_glued_teasers),
        cmocka_unit_test(test_article_glued_to_its_title),
        cmocka_unit_test(test_cut_off_paragraph_of_names),
        cmocka_unit_test(test_body_title_and_duplicates),
        cmocka_unit_test(test_given_title),
        cmocka_unit_test(test_title_without_site),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_subheadings_and_teasers),
        cmocka_unit_test(test_phrases_from_words),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_meta),
        cmocka_unit_test(test_site_furniture),
        cmocka_unit_test(test_plain_scan),
        cmocka_unit_test(test_every_stop_word_found),
        cmocka_unit_test(test_dateline_forms),
        cmocka_unit_test(test_dateline_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
