/* Tests of fact extraction (src/facts*.c): numbers in every writing
 * convention and language, scale words, money, dates (absolute and
 * relative), people counts, names and their aliases. The sentences are
 * written for these tests. */
#include "harness.h"

#include "facts.h"
#include "facts_internal.h"
#include "data.h"

#include <math.h>

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

#define MAXF 128

typedef struct got {
    sf_fact f[MAXF];
    size_t n;
    int stop_after; /* 0 = never */
} got;

static int collect(void *ctx, const sf_fact *f)
{
    got *g = ctx;
    if (g->n < MAXF)
        g->f[g->n++] = *f;
    return g->stop_after && (int)g->n >= g->stop_after;
}

static sf_text *T;

static int setup(void **state)
{
    (void)state;
    T = sf_text_new();
    return T ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sf_text_free(T);
    return 0;
}

static got G;

static const char *TXT;

static got *run_day(const char *text, sf_lang lang, int32_t day)
{
    memset(&G, 0, sizeof G);
    TXT = text;
    assert_int_equal(sf_facts_extract(T, text, strlen(text), lang, day, collect, &G), SF_OK);
    for (size_t i = 0; i < G.n; i++) {
        assert_true(G.f[i].start < G.f[i].end);
        assert_true(G.f[i].end <= strlen(text));
    }
    return &G;
}

static got *run(const char *text, sf_lang lang)
{
    return run_day(text, lang, INT32_MIN);
}

/* The first fact of kind, or fail. */
static const sf_fact *first(got *g, sf_fact_kind kind)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->f[i].kind == kind)
            return &g->f[i];
    fail_msg("no fact of kind %d in \"%s\"", kind, TXT);
    return NULL;
}

static const sf_fact *nth(got *g, sf_fact_kind kind, size_t k)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->f[i].kind == kind && k-- == 0)
            return &g->f[i];
    fail_msg("too few facts of kind %d in \"%s\"", kind, TXT);
    return NULL;
}

static size_t count(got *g, sf_fact_kind kind)
{
    size_t c = 0;
    for (size_t i = 0; i < g->n; i++)
        c += g->f[i].kind == kind;
    return c;
}

/* The quote of f as a string (static). */
static const char *quote(const sf_fact *f)
{
    static char buf[256];
    size_t n = f->end - f->start;
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, TXT + f->start, n);
    buf[n] = '\0';
    return buf;
}

/* One quantity (or money) from text: value and unit. */
static void check_qty(const char *text, sf_lang lang, double v, const char *unit)
{
    const sf_fact *f = first(run(text, lang), SF_FACT_QUANTITY);
    assert_near(f->value, v, fabs(v) * 1e-9);
    assert_string_equal(f->unit, unit);
}

static void check_money(const char *text, sf_lang lang, double v, const char *cur)
{
    const sf_fact *f = first(run(text, lang), SF_FACT_MONEY);
    assert_near(f->value, v, fabs(v) * 1e-9);
    assert_string_equal(f->currency, cur);
}

/* ------------------------------------------------------------------ */
/* Number tokens                                                       */
/* ------------------------------------------------------------------ */

static double num(const char *s, sf_lang lang, bool *amb, double *alt)
{
    double v = -1, a = -1;
    bool am = false;
    assert_true(sf_facts_parse_number(s, strlen(s), lang, &v, &a, &am));
    if (amb)
        *amb = am;
    if (alt)
        *alt = a;
    return v;
}

static void test_parse_number(void **state)
{
    (void)state;
    bool amb;
    double alt;
    assert_near(num("300,000", SF_LANG_EN, &amb, &alt), 300000, 0);
    assert_false(amb);
    assert_near(alt, 300, 1e-9);
    assert_near(num("3,00,000", SF_LANG_EN, &amb, NULL), 300000, 0);
    assert_false(amb);
    assert_near(num("1,234,567", SF_LANG_EN, NULL, NULL), 1234567, 0);
    assert_near(num("1,00,00,000", SF_LANG_EN, NULL, NULL), 10000000, 0);
    /* 300.000: three hundred thousand in es/de/it, three hundred in en */
    assert_near(num("300.000", SF_LANG_ES, &amb, NULL), 300000, 0);
    assert_false(amb);
    assert_near(num("300.000", SF_LANG_DE, NULL, NULL), 300000, 0);
    assert_near(num("300.000", SF_LANG_IT, NULL, NULL), 300000, 0);
    assert_near(num("300.000", SF_LANG_EN, &amb, &alt), 300, 1e-9);
    assert_true(amb);
    assert_near(alt, 300000, 0);
    /* unknown language: English reading, always flagged */
    assert_near(num("300,000", SF_LANG_UNKNOWN, &amb, &alt), 300000, 0);
    assert_true(amb);
    assert_near(alt, 300, 1e-9);
    /* decimals: a tail other than three digits is never a group */
    assert_near(num("1,5", SF_LANG_ES, &amb, NULL), 1.5, 1e-12);
    assert_false(amb);
    assert_near(num("1,5", SF_LANG_EN, NULL, NULL), 1.5, 1e-12);
    assert_near(num("3.5", SF_LANG_EN, NULL, NULL), 3.5, 1e-12);
    assert_near(num("0.3", SF_LANG_EN, NULL, NULL), 0.3, 1e-12);
    assert_near(num("0,300", SF_LANG_EN, NULL, NULL), 0.3, 1e-12);
    /* 1,500 in Spanish is one and a half, flagged */
    assert_near(num("1,500", SF_LANG_ES, &amb, &alt), 1.5, 1e-12);
    assert_true(amb);
    assert_near(alt, 1500, 0);
    /* both marks */
    assert_near(num("1.234,5", SF_LANG_DE, NULL, NULL), 1234.5, 1e-9);
    assert_near(num("1,234.5", SF_LANG_EN, NULL, NULL), 1234.5, 1e-9);
    assert_near(num("1.234,5", SF_LANG_EN, NULL, NULL), 1234.5, 1e-9);
    assert_near(num("2024", SF_LANG_EN, NULL, NULL), 2024, 0);
    /* not numbers */
    double v, a;
    bool am;
    assert_false(sf_facts_parse_number("1.2.3", 5, SF_LANG_EN, &v, &a, &am));
    assert_false(sf_facts_parse_number("1,,2", 4, SF_LANG_EN, &v, &a, &am));
    assert_false(sf_facts_parse_number("12a", 3, SF_LANG_EN, &v, &a, &am));
    assert_false(sf_facts_parse_number(",5", 2, SF_LANG_EN, &v, &a, &am));
    assert_false(sf_facts_parse_number("", 0, SF_LANG_EN, &v, &a, &am));
    assert_false(sf_facts_parse_number("1,2345,678", 10, SF_LANG_EN, &v, &a, &am));
}

static void test_civil_days(void **state)
{
    (void)state;
    assert_int_equal(sf_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(sf_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(sf_days_from_civil(1969, 12, 31), -1);
    for (int32_t d = -800000; d < 800000; d += 997) {
        int32_t y, m, dd;
        sf_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(sf_days_from_civil(y, m, dd), d);
    }
}

/* ------------------------------------------------------------------ */
/* Quantities: the one value in every convention                       */
/* ------------------------------------------------------------------ */

static void test_quantity_conventions_en(void **state)
{
    (void)state;
    check_qty("The plant will build 300,000 cars.", SF_LANG_EN, 300000, "vehicle");
    check_qty("The plant will build 3,00,000 cars.", SF_LANG_EN, 300000, "vehicle");
    check_qty("The plant will build 3 lakh cars.", SF_LANG_EN, 300000, "vehicle");
    check_qty("The plant will build 300k cars.", SF_LANG_EN, 300000, "vehicle");
    check_qty("The plant will build 0.3 million cars.", SF_LANG_EN, 300000, "vehicle");
    check_qty("The plant will build 300 000 cars.", SF_LANG_EN, 300000, "vehicle");
    check_qty("The plant will build 300\xC2\xA0" "000 cars.", SF_LANG_EN, 300000, "vehicle");
    check_qty("The plant will build three hundred thousand cars.", SF_LANG_EN, 300000, "vehicle");
    check_qty("Sales reached 2 crore phones.", SF_LANG_EN, 2e7, "phones");
    check_qty("Output of 1.5bn tonnes.", SF_LANG_EN, 1.5e9, "tonne");
    check_qty("They made 4 trillion chips.", SF_LANG_EN, 4e12, "chips");
    check_qty("A further 40,000 jobs.", SF_LANG_EN, 40000, "job");
    check_qty("Turnout was 64% on Sunday.", SF_LANG_EN, 64, "%");
    check_qty("It ships 3 lakh units.", SF_LANG_EN, 300000, "unit");
    /* 300.000 in English is three hundred, with the other reading kept */
    const sf_fact *f = first(run("It built 300.000 cars.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_near(f->value, 300, 1e-9);
    assert_true(f->flags & SF_FACT_AMBIGUOUS);
    assert_near(f->value_alt, 300000, 0);
    /* in an unknown language the comma form is flagged too */
    f = first(run("It built 300,000 cars.", SF_LANG_UNKNOWN), SF_FACT_QUANTITY);
    assert_near(f->value, 300000, 0);
    assert_true(f->flags & SF_FACT_AMBIGUOUS);
    /* a unit from the data is flagged known; the next word, "unit" and
     * people are not */
    f = first(run("The plant will build 300,000 cars.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_KNOWN_UNIT);
    f = first(run("Sales reached 2 crore phones.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_false(f->flags & SF_FACT_KNOWN_UNIT);
    f = first(run("It ships 3 lakh units.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_false(f->flags & SF_FACT_KNOWN_UNIT);
}

/* English modifiers before the counted noun: the unit is the plural noun,
 * and the fact's text covers the whole phrase. */
static void test_quantity_modified_noun_en(void **state)
{
    (void)state;
    check_qty("The venture owns three auto factories in the capital.", SF_LANG_EN, 3,
              "factories");
    check_qty("It made 85 different sector visits last year.", SF_LANG_EN, 85, "visits");
    check_qty("He met more than 200 automotive veterans.", SF_LANG_EN, 200, "veterans");
    check_qty("The plan has two phases.", SF_LANG_EN, 2, "phases");
    /* a plural first word is the noun: what follows is not part of it */
    check_qty("Two companies signed the deal.", SF_LANG_EN, 2, "companies");
    /* no plural within reach: the first word stays the unit */
    check_qty("They took one approach to it.", SF_LANG_EN, 1, "approach");
    check_qty("It uses 12 gigawatt capacity.", SF_LANG_EN, 12, "gw");
    check_qty("They walked 3 mile stretches.", SF_LANG_EN, 3, "mile");
    /* several of a singular noun modify another: no count */
    for (int k = 0; k < 5; k++) {
        static const char *const modifiers[] = {
            "Police were called to the 4400 block of Main Street.",
            "A neighbour made a 911 call.", "The 12 year old boy was hurt.",
            "Police found a 380 caliber handgun.", "He drove a 2012 car."};
        assert_int_equal(count(run(modifiers[k], SF_LANG_EN), SF_FACT_QUANTITY), 0);
    }
    const sf_fact *f = first(run("The venture owns three auto factories.", SF_LANG_EN),
                             SF_FACT_QUANTITY);
    assert_string_equal(quote(f), "three auto factories");
    /* other languages put the noun first: unchanged */
    check_qty("La empresa tiene dos plantas nuevas.", SF_LANG_ES, 2, "plantas");
    /* one thing under its names: a quake's magnitude */
    check_qty("A magnitude 6.1 quake hit the town.", SF_LANG_EN, 6.1, "earthquake");
    check_qty("The 6.1 earthquake was felt far away.", SF_LANG_EN, 6.1, "earthquake");
    /* "one of six people": the six are counted, not "one six" */
    check_qty("He was one of six people shot.", SF_LANG_EN, 6, "people");
    check_qty("It was one of three shootings this week.", SF_LANG_EN, 3, "shootings");
    /* a range of counts is no time */
    check_qty("It will hire 5 to 7 people a day.", SF_LANG_EN, 5, "people");
    /* clock times are no counts ("2:30 p.m." is not "30 p") */
    for (int k = 0; k < 6; k++) {
        static const char *const times[] = {
            "The quake hit at 2:30 p.m. local time.", "Police were called at 9:30 pm.",
            "The meeting ended at 10 p.m. on Monday.", "The shop opens at 7:45 every day.",
            "The fire broke out at 8: 30 p. m. on Sunday.", "It is open from 5 to 7 p.m. daily."};
        got *g = run(times[k], SF_LANG_EN);
        assert_int_equal(count(g, SF_FACT_QUANTITY), 0);
        assert_int_equal(count(g, SF_FACT_PEOPLE), 0);
    }
}

static void test_quantity_languages(void **state)
{
    (void)state;
    /* es */
    check_qty("La planta fabricará 300.000 vehículos al año.", SF_LANG_ES, 300000, "vehicle");
    check_qty("Se venderán 1,5 millones de coches.", SF_LANG_ES, 1.5e6, "vehicle");
    check_qty("Unos 2 mil millones de personas.", SF_LANG_ES, 2e9, "people");
    check_qty("Produjo 300 mil vehículos.", SF_LANG_ES, 300000, "vehicle");
    /* it */
    check_qty("Lo stabilimento produrrà 300.000 veicoli all'anno.", SF_LANG_IT, 300000, "vehicle");
    check_qty("Sono stati venduti 1,5 milioni di veicoli.", SF_LANG_IT, 1.5e6, "vehicle");
    check_qty("Circa 300 mila veicoli.", SF_LANG_IT, 300000, "vehicle");
    check_qty("Servono 2 miliardi di persone.", SF_LANG_IT, 2e9, "people");
    /* de */
    check_qty("Das Werk soll 300.000 Fahrzeuge pro Jahr bauen.", SF_LANG_DE, 300000, "vehicle");
    check_qty("Es wurden 1,5 Millionen Fahrzeuge verkauft.", SF_LANG_DE, 1.5e6, "vehicle");
    check_qty("Rund 2 Mrd. Menschen.", SF_LANG_DE, 2e9, "people");
    check_qty("Gut 300 Tsd. Fahrzeuge.", SF_LANG_DE, 300000, "vehicle");
    /* fr */
    check_qty("L'usine produira 300 000 véhicules par an.", SF_LANG_FR, 300000, "vehicle");
    check_qty("L'usine produira 300\xE2\x80\xAF" "000 véhicules par an.", SF_LANG_FR, 300000, "vehicle");
    check_qty("Il y a 1,5 million de véhicules.", SF_LANG_FR, 1.5e6, "vehicle");
    check_qty("Environ 2 milliards de personnes.", SF_LANG_FR, 2e9, "people");
    /* pt */
    check_qty("A fábrica vai produzir 300.000 veículos por ano.", SF_LANG_PT, 300000, "vehicle");
    check_qty("Foram vendidos 1,5 milhão de carros.", SF_LANG_PT, 1.5e6, "vehicle");
    check_qty("Cerca de 2 bilhões de pessoas.", SF_LANG_PT, 2e9, "people");
    check_qty("Cerca de 2 mil milhões de pessoas.", SF_LANG_PT, 2e9, "people");
    /* vi */
    check_qty("Nhà máy sản xuất 300.000 xe mỗi năm.", SF_LANG_VI, 300000, "vehicle");
    check_qty("Có 1,5 triệu xe.", SF_LANG_VI, 1.5e6, "vehicle");
    check_qty("Khoảng 300 nghìn xe.", SF_LANG_VI, 300000, "vehicle");
    /* id */
    check_qty("Pabrik memproduksi 300.000 kendaraan per tahun.", SF_LANG_ID, 300000, "vehicle");
    check_qty("Sebanyak 1,5 juta mobil.", SF_LANG_ID, 1.5e6, "vehicle");
    check_qty("Ada 300 ribu kendaraan.", SF_LANG_ID, 300000, "vehicle");
    /* tr */
    check_qty("Fabrika yılda 300.000 araç üretecek.", SF_LANG_TR, 300000, "vehicle");
    check_qty("Fabrika 300 bin araç üretecek.", SF_LANG_TR, 300000, "vehicle");
    check_qty("Üretim 2,5 milyon ton oldu.", SF_LANG_TR, 2.5e6, "tonne");
    check_qty("Toplam 0,3 milyon araç.", SF_LANG_TR, 300000, "vehicle");
    /* ru: groups by spaces, genitive nouns after the count */
    check_qty("Завод будет выпускать 300 000 автомобилей в год.", SF_LANG_RU, 300000, "vehicle");
    check_qty("Завод выпустит 300.000 машин.", SF_LANG_RU, 300000, "vehicle");
    check_qty("Около 300 тыс. автомобилей.", SF_LANG_RU, 300000, "vehicle");
    check_qty("Собрали 1,5 млн тонн зерна.", SF_LANG_RU, 1.5e6, "tonne");
    check_qty("Это 2 миллиона автомобилей.", SF_LANG_RU, 2e6, "vehicle");
    /* 0.3 million and 300.000 in each language that writes a decimal comma */
    static const struct {
        const char *text;
        sf_lang lang;
    } same[] = {
        {"Fabricará 0,3 millones de vehículos.", SF_LANG_ES},
        {"Produrrà 0,3 milioni di veicoli.", SF_LANG_IT},
        {"Es baut 0,3 Mio. Fahrzeuge.", SF_LANG_DE},
        {"Elle produira 0,3 million de véhicules.", SF_LANG_FR},
        {"Vai produzir 0,3 milhão de veículos.", SF_LANG_PT},
        {"Sản xuất 0,3 triệu xe.", SF_LANG_VI},
        {"Memproduksi 0,3 juta kendaraan.", SF_LANG_ID},
        {"Toplam 0,3 milyon araç.", SF_LANG_TR},
        {"Выпуск 0,3 млн автомобилей.", SF_LANG_RU},
        {"Fabricará 300.000 vehículos.", SF_LANG_ES},
        {"Produrrà 300.000 veicoli.", SF_LANG_IT},
        {"Es baut 300.000 Fahrzeuge.", SF_LANG_DE},
        {"Elle produira 300.000 véhicules.", SF_LANG_FR},
        {"Vai produzir 300.000 veículos.", SF_LANG_PT},
        {"Sản xuất 300.000 xe.", SF_LANG_VI},
        {"Memproduksi 300.000 kendaraan.", SF_LANG_ID},
        {"Toplam 300.000 araç.", SF_LANG_TR},
        {"Выпуск 300.000 автомобилей.", SF_LANG_RU},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(same); k++) {
        const sf_fact *q = first(run(same[k].text, same[k].lang), SF_FACT_QUANTITY);
        if (fabs(q->value - 300000) > 1e-6 || strcmp(q->unit, "vehicle") != 0 ||
            (q->flags & SF_FACT_AMBIGUOUS))
            fail_msg("\"%s\": %g %s flags %x", same[k].text, q->value, q->unit, q->flags);
    }
    /* the period is kept */
    const sf_fact *f = first(run("La planta fabricará 300.000 vehículos al año.", SF_LANG_ES),
                             SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_PER_YEAR);
    f = first(run("Nhà máy sản xuất 300.000 xe mỗi năm.", SF_LANG_VI), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_PER_YEAR);
    f = first(run("Das Werk soll 300.000 Fahrzeuge pro Jahr bauen.", SF_LANG_DE), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_PER_YEAR);
    assert_string_equal(quote(f), "300.000 Fahrzeuge pro Jahr");
    f = first(run("Fabrika yılda 300.000 araç üretecek.", SF_LANG_TR), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_PER_YEAR);
    assert_false(f->flags & SF_FACT_AMBIGUOUS);
    f = first(run("Завод будет выпускать 300 000 автомобилей в год.", SF_LANG_RU),
              SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_PER_YEAR);
    assert_string_equal(quote(f), "300 000 автомобилей в год");
    f = first(run("Около 300 тыс. автомобилей.", SF_LANG_RU), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_APPROX);
    assert_string_equal(quote(f), "Около 300 тыс. автомобилей");
}

static void test_qualifiers_and_ranges(void **state)
{
    (void)state;
    /* per-period units, after the quantity or before it, in every language */
    static const struct {
        const char *text;
        sf_lang lang;
        unsigned flag;
    } periods[] = {
        {"It will make 300,000 cars a year.", SF_LANG_EN, SF_FACT_PER_YEAR},
        {"It will make 300,000 cars per year.", SF_LANG_EN, SF_FACT_PER_YEAR},
        {"It will make 300,000 cars annually.", SF_LANG_EN, SF_FACT_PER_YEAR},
        {"It will make 300,000 cars each year.", SF_LANG_EN, SF_FACT_PER_YEAR},
        {"It will make 3,000 cars a week.", SF_LANG_EN, SF_FACT_PER_WEEK},
        {"It will make 800 cars a day.", SF_LANG_EN, SF_FACT_PER_DAY},
        {"Fabricará 300.000 vehículos por año.", SF_LANG_ES, SF_FACT_PER_YEAR},
        {"Produrrà 300.000 veicoli all'anno.", SF_LANG_IT, SF_FACT_PER_YEAR},
        {"Produrrà 300.000 veicoli l'anno.", SF_LANG_IT, SF_FACT_PER_YEAR},
        {"Es baut 300.000 Fahrzeuge im Jahr.", SF_LANG_DE, SF_FACT_PER_YEAR},
        {"Es baut jährlich 300.000 Fahrzeuge.", SF_LANG_DE, SF_FACT_PER_YEAR},
        {"Elle produira 300 000 véhicules par an.", SF_LANG_FR, SF_FACT_PER_YEAR},
        {"Vai produzir 300.000 veículos por ano.", SF_LANG_PT, SF_FACT_PER_YEAR},
        {"Sản xuất 300.000 xe mỗi năm.", SF_LANG_VI, SF_FACT_PER_YEAR},
        {"Memproduksi 300.000 kendaraan per tahun.", SF_LANG_ID, SF_FACT_PER_YEAR},
        {"Fabrika yılda 300.000 araç üretecek.", SF_LANG_TR, SF_FACT_PER_YEAR},
        {"Завод выпустит 300 000 автомобилей в год.", SF_LANG_RU, SF_FACT_PER_YEAR},
        {"Завод выпускает ежегодно 300 000 автомобилей.", SF_LANG_RU, SF_FACT_PER_YEAR},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(periods); k++) {
        const sf_fact *p = first(run(periods[k].text, periods[k].lang), SF_FACT_QUANTITY);
        if (!(p->flags & periods[k].flag))
            fail_msg("no period in \"%s\" (flags %x)", periods[k].text, p->flags);
    }
    const sf_fact *f = first(run("It can make up to 300,000 cars annually.", SF_LANG_EN),
                             SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_UP_TO);
    assert_true(f->flags & SF_FACT_PER_YEAR);
    assert_string_equal(quote(f), "up to 300,000 cars annually");
    f = first(run("an annual capacity of 200,000 vehicles", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_PER_YEAR);
    f = first(run("It employs about 5,000 workers.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_APPROX);
    assert_string_equal(f->unit, "people");
    f = first(run("It sold more than 1 million cars per month.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_AT_LEAST);
    assert_true(f->flags & SF_FACT_PER_MONTH);
    assert_near(f->value, 1e6, 0);
    f = first(run("It will take 10 to 20 million barrels.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_RANGE);
    assert_near(f->value, 1e7, 0);
    assert_near(f->value_max, 2e7, 0);
    f = first(run("between 5 and 7 tonnes", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_RANGE);
    assert_near(f->value, 5, 0);
    assert_near(f->value_max, 7, 0);
    assert_string_equal(quote(f), "between 5 and 7 tonnes");
    f = first(run("Some 30-40 tonnes fell.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_RANGE);
    assert_true(f->flags & SF_FACT_APPROX);
    assert_near(f->value_max, 40, 0);
    f = first(run("entre 5 y 7 toneladas", SF_LANG_ES), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_RANGE);
    f = first(run("zwischen 5 und 7 Tonnen", SF_LANG_DE), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_RANGE);
    f = first(run("bis zu 300.000 Fahrzeuge", SF_LANG_DE), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_UP_TO);
    f = first(run("hasta 300.000 vehículos", SF_LANG_ES), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_UP_TO);
    f = first(run("khoảng 300.000 xe", SF_LANG_VI), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_APPROX);
    f = first(run("sekitar 300.000 kendaraan", SF_LANG_ID), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_APPROX);
    f = first(run("yaklaşık 10 ile 20 milyon ton", SF_LANG_TR), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_APPROX);
    assert_true(f->flags & SF_FACT_RANGE);
    assert_near(f->value, 1e7, 0);
    assert_near(f->value_max, 2e7, 0);
    f = first(run("от 10 до 20 млн тонн", SF_LANG_RU), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_RANGE);
    assert_near(f->value, 1e7, 0);
    assert_near(f->value_max, 2e7, 0);
    assert_string_equal(f->unit, "tonne");
    f = first(run("до 300 000 автомобилей", SF_LANG_RU), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_UP_TO);
    f = first(run("не менее 300 000 автомобилей", SF_LANG_RU), SF_FACT_QUANTITY);
    assert_true(f->flags & SF_FACT_AT_LEAST);
    /* qualifiers after the number, its scale word or its unit; Turkish
     * with the case ending they take */
    static const struct {
        const char *text;
        sf_lang lang;
        sf_fact_kind kind;
        double v;
        unsigned flag;
        const char *unit, *quote;
    } after[] = {
        {"Fabrika 300.000'e kadar araç üretecek.", SF_LANG_TR, SF_FACT_QUANTITY, 3e5,
         SF_FACT_UP_TO, "vehicle", "300.000'e kadar araç"},
        {"Depremde 5 binden fazla kişi öldü.", SF_LANG_TR, SF_FACT_PEOPLE, 5e3,
         SF_FACT_AT_LEAST, "people", "5 binden fazla kişi öldü"},
        {"Kazada 50 kişiden fazla yaralandı.", SF_LANG_TR, SF_FACT_PEOPLE, 50,
         SF_FACT_AT_LEAST, "people", "50 kişiden fazla yaralandı"},
        {"Selde 300'ü aşkın kişi hayatını kaybetti.", SF_LANG_TR, SF_FACT_PEOPLE, 300,
         SF_FACT_AT_LEAST, "people", "300'ü aşkın kişi hayatını kaybetti"},
        {"Şirket 3 milyonu aşkın araç sattı.", SF_LANG_TR, SF_FACT_QUANTITY, 3e6,
         SF_FACT_AT_LEAST, "vehicle", "3 milyonu aşkın araç"},
        {"Fabrikada 1.000'in üzerinde işçi çalışıyor.", SF_LANG_TR, SF_FACT_QUANTITY, 1e3,
         SF_FACT_AT_LEAST, "people", "1.000'in üzerinde işçi"},
        {"Fabrikada 300 kadar işçi çalışıyor.", SF_LANG_TR, SF_FACT_QUANTITY, 300,
         SF_FACT_APPROX, "people", "300 kadar işçi"},
        {"Depremde 300'e yakın kişi öldü.", SF_LANG_TR, SF_FACT_PEOPLE, 300, SF_FACT_APPROX,
         "people", "300'e yakın kişi öldü"},
        {"It will make 300,000 cars or more a year.", SF_LANG_EN, SF_FACT_QUANTITY, 3e5,
         SF_FACT_AT_LEAST, "vehicle", "300,000 cars or more a year"},
        {"Some 300 or so people came.", SF_LANG_EN, SF_FACT_QUANTITY, 300, SF_FACT_APPROX,
         "people", "Some 300 or so people"},
        {"Fabricará 300.000 o más vehículos.", SF_LANG_ES, SF_FACT_QUANTITY, 3e5,
         SF_FACT_AT_LEAST, "vehicle", "300.000 o más vehículos"},
        {"Produrrà 300.000 veicoli o più.", SF_LANG_IT, SF_FACT_QUANTITY, 3e5,
         SF_FACT_AT_LEAST, "vehicle", "300.000 veicoli o più"},
        {"Es baut 300.000 oder mehr Fahrzeuge.", SF_LANG_DE, SF_FACT_QUANTITY, 3e5,
         SF_FACT_AT_LEAST, "vehicle", "300.000 oder mehr Fahrzeuge"},
        {"Elle produira 300 000 véhicules ou plus.", SF_LANG_FR, SF_FACT_QUANTITY, 3e5,
         SF_FACT_AT_LEAST, "vehicle", "300 000 véhicules ou plus"},
        {"Vai produzir 300 mil ou mais veículos.", SF_LANG_PT, SF_FACT_QUANTITY, 3e5,
         SF_FACT_AT_LEAST, "vehicle", "300 mil ou mais veículos"},
        {"Nhà máy có 300 người trở lên.", SF_LANG_VI, SF_FACT_QUANTITY, 300,
         SF_FACT_AT_LEAST, "people", "300 người trở lên"},
        {"Pabrik itu mempekerjakan 1.000 lebih orang.", SF_LANG_ID, SF_FACT_QUANTITY, 1e3,
         SF_FACT_AT_LEAST, "people", "1.000 lebih orang"},
        {"Погибли 300 с лишним человек.", SF_LANG_RU, SF_FACT_PEOPLE, 300, SF_FACT_AT_LEAST,
         "people", "Погибли 300 с лишним человек"},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(after); k++) {
        const sf_fact *q = first(run(after[k].text, after[k].lang), after[k].kind);
        if (fabs(q->value - after[k].v) > 1e-9 * after[k].v || !(q->flags & after[k].flag) ||
            strcmp(q->unit, after[k].unit) != 0 || strcmp(quote(q), after[k].quote) != 0)
            fail_msg("\"%s\": %g %s flags %x \"%s\"", after[k].text, q->value, q->unit,
                     q->flags, quote(q));
    }
    /* a year it follows stays a deadline; no qualifier before another noun
     * or a comparison */
    f = first(run_day("Üretim 2024'e kadar sürecek.", SF_LANG_TR, sf_days_from_civil(2022, 4, 20)),
              SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_BY);
    f = first(run("It made 300 cars or more trucks.", SF_LANG_EN), SF_FACT_QUANTITY);
    assert_false(f->flags & SF_FACT_AT_LEAST);
    assert_string_equal(quote(f), "300 cars");
    f = first(run("Harganya 3 kali lebih mahal.", SF_LANG_ID), SF_FACT_QUANTITY);
    assert_false(f->flags & SF_FACT_AT_LEAST);
    /* "and" without "between" is no range */
    got *g = run("It made 5 cars and 7 trucks.", SF_LANG_EN);
    assert_int_equal(count(g, SF_FACT_QUANTITY), 2);
    assert_false(nth(g, SF_FACT_QUANTITY, 0)->flags & SF_FACT_RANGE);
}

/* The five written forms of one capacity, in our own sentences. */
static void test_seed_style_capacity(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "The new works will turn out 300,000 vehicles a year at full speed.",
        "Its site has an annual capacity of up to 300,000 vehicles.",
        "Two phases of 150,000 EVs for each yr give a complete of 300k.",
        "The unit in Pune will have an output of 3,00,000 vehicles.",
        "The plant is expected to make 3 lakh units.",
    };
    sf_fact ref;
    memset(&ref, 0, sizeof ref);
    ref.kind = SF_FACT_QUANTITY;
    ref.value = ref.value_max = ref.value_alt = 300000;
    strcpy(ref.unit, "vehicle");
    for (size_t k = 0; k < SF_ARRAY_LEN(texts); k++) {
        got *g = run(texts[k], SF_LANG_EN);
        bool found = false;
        for (size_t i = 0; i < g->n; i++)
            if (sf_facts_same(&g->f[i], &ref))
                found = true;
        if (!found)
            fail_msg("300,000 vehicles not found in \"%s\"", texts[k]);
    }
    /* 150,000 is another fact */
    const sf_fact *f = nth(run(texts[2], SF_LANG_EN), SF_FACT_QUANTITY, 1);
    assert_near(f->value, 150000, 0);
    assert_false(sf_facts_same(f, &ref));
}

/* ------------------------------------------------------------------ */
/* Money                                                               */
/* ------------------------------------------------------------------ */

static void test_money(void **state)
{
    (void)state;
    got *g0;
    check_money("He will invest $10 billion.", SF_LANG_EN, 1e10, "USD");
    check_money("He will invest US$10 billion.", SF_LANG_EN, 1e10, "USD");
    check_money("He will invest US $10bn.", SF_LANG_EN, 1e10, "USD");
    check_money("He will invest 10 billion dollars.", SF_LANG_EN, 1e10, "USD");
    check_money("He will invest USD 10 billion.", SF_LANG_EN, 1e10, "USD");
    check_money("It costs €3.5 million.", SF_LANG_EN, 3.5e6, "EUR");
    check_money("It costs ¥500 billion.", SF_LANG_EN, 5e11, "JPY");
    check_money("It costs ₹500 crore.", SF_LANG_EN, 5e9, "INR");
    check_money("It costs Rs 500 crore.", SF_LANG_EN, 5e9, "INR");
    check_money("It costs RMB 10 billion.", SF_LANG_EN, 1e10, "CNY");
    check_money("It costs 10 billion yuan.", SF_LANG_EN, 1e10, "CNY");
    check_money("It costs £20m.", SF_LANG_EN, 2e7, "GBP");
    check_money("It costs HK$2 billion.", SF_LANG_EN, 2e9, "HKD");
    /* a currency glued before the number, or abbreviated with a dot */
    check_money("It costs RMB10 billion.", SF_LANG_EN, 1e10, "CNY");
    check_money("It costs USD10bn.", SF_LANG_EN, 1e10, "USD");
    check_money("It costs Rs500 crore.", SF_LANG_EN, 5e9, "INR");
    check_money("It costs Rs. 500 crore.", SF_LANG_EN, 5e9, "INR");
    check_money("It costs Rs.500 crore.", SF_LANG_EN, 5e9, "INR");
    check_money("It costs Rs10,000 each.", SF_LANG_EN, 10000, "INR");
    check_money("It costs euro110 billion.", SF_LANG_EN, 1.1e11, "EUR");
    check_money("Harganya Rp10.000 per lembar.", SF_LANG_ID, 10000, "IDR");
    /* compound Indian scales */
    check_money("It costs 1.5 lakh crore rupees.", SF_LANG_EN, 1.5e12, "INR");
    check_money("It costs Rs 20 thousand crore.", SF_LANG_EN, 2e11, "INR");
    check_money("It costs ₹1,500 crore.", SF_LANG_EN, 1.5e10, "INR");
    check_money("Cuesta 10.000 millones de dólares.", SF_LANG_ES, 1e10, "USD");
    check_money("Cuesta 10 mil millones de dólares.", SF_LANG_ES, 1e10, "USD");
    check_money("Costa 1,5 miliardi di euro.", SF_LANG_IT, 1.5e9, "EUR");
    check_money("Es kostet 10 Mrd. Euro.", SF_LANG_DE, 1e10, "EUR");
    check_money("Es kostet 3,5 Millionen €.", SF_LANG_DE, 3.5e6, "EUR");
    check_money("Es kostet 20 €.", SF_LANG_DE, 20, "EUR");
    check_money("Cela coûte 2 milliards d'euros.", SF_LANG_FR, 2e9, "EUR");
    check_money("Custa R$ 5 bilhões.", SF_LANG_PT, 5e9, "BRL");
    check_money("Vai investir 10 bilhões de yuans.", SF_LANG_PT, 1e10, "CNY");
    check_money("Elle investit 10 milliards de yuans.", SF_LANG_FR, 1e10, "CNY");
    check_money("Investirà 10 miliardi di yuan.", SF_LANG_IT, 1e10, "CNY");
    check_money("Invertirá 10.000 millones de yuanes.", SF_LANG_ES, 1e10, "CNY");
    check_money("Es investiert 10 Mrd. Yuan.", SF_LANG_DE, 1e10, "CNY");
    check_money("Yatırım 5 milyar yuan.", SF_LANG_TR, 5e9, "CNY");
    check_money("Инвестиции 10 млрд юаней.", SF_LANG_RU, 1e10, "CNY");
    check_money("Đầu tư 1,5 tỷ nhân dân tệ.", SF_LANG_VI, 1.5e9, "CNY");

    check_money("Vốn 10 tỷ USD.", SF_LANG_VI, 1e10, "USD");
    check_money("Giá 500 triệu đồng.", SF_LANG_VI, 5e8, "VND");
    check_money("Nilainya Rp 10 triliun.", SF_LANG_ID, 1e13, "IDR");
    check_money("Nilainya 5 miliar rupiah.", SF_LANG_ID, 5e9, "IDR");
    check_money("Yatırım 1,5 milyar dolar.", SF_LANG_TR, 1.5e9, "USD");
    check_money("Yatırım 10 milyar TL.", SF_LANG_TR, 1e10, "TRY");
    check_money("Yatırım 2 milyar avro.", SF_LANG_TR, 2e9, "EUR");
    check_money("Инвестиции 1,5 млрд долларов.", SF_LANG_RU, 1.5e9, "USD");
    check_money("Сделка на 2 млрд руб. была подписана.", SF_LANG_RU, 2e9, "RUB");
    check_money("Кредит 1,5 трлн рублей.", SF_LANG_RU, 1.5e12, "RUB");
    check_money("Кредит $10 млрд.", SF_LANG_RU, 1e10, "USD");
    const sf_fact *f = first(run("He vowed to invest about $10 billion over a decade.", SF_LANG_EN),
                             SF_FACT_MONEY);
    assert_true(f->flags & SF_FACT_APPROX);
    assert_string_equal(quote(f), "about $10 billion");
    assert_string_equal(f->key, "m:USD:1e+10");
    /* a glued amount is not a name, and a code ending a sentence does not
     * take the next sentence's number */
    g0 = run("Nilainya Rp10.000 per lembar.", SF_LANG_ID);
    assert_int_equal(count(g0, SF_FACT_NAME), 0);
    g0 = run("It was paid in USD. 300 workers left.", SF_LANG_EN);
    assert_int_equal(count(g0, SF_FACT_MONEY), 0);
    /* "US" before "$" is not a name */
    got *g = run("It paid US$5 million.", SF_LANG_EN);
    assert_int_equal(count(g, SF_FACT_NAME), 0);
    assert_string_equal(quote(first(g, SF_FACT_MONEY)), "US$5 million");
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

static void check_date(const char *text, sf_lang lang, const char *key)
{
    const sf_fact *f = first(run_day(text, lang, sf_days_from_civil(2022, 4, 20)),
                             SF_FACT_DATE);
    assert_string_equal(f->key, key);
}

static void test_dates_absolute(void **state)
{
    (void)state;
    check_date("Deliveries start in 2024.", SF_LANG_EN, "d:2024");
    check_date("It was signed on April 20, 2023.", SF_LANG_EN, "d:2023-04-20");
    check_date("It was signed on 20 April 2023.", SF_LANG_EN, "d:2023-04-20");
    check_date("It was signed on 20th April 2023.", SF_LANG_EN, "d:2023-04-20");
    check_date("It was signed in November of 2021.", SF_LANG_EN, "d:2021-11");
    check_date("It was signed in Nov. 2021.", SF_LANG_EN, "d:2021-11");
    check_date("It was signed on 2023-04-20.", SF_LANG_EN, "d:2023-04-20");
    check_date("It was signed on 04/20/2023.", SF_LANG_EN, "d:2023-04-20");
    check_date("Se firmó el 20/04/2023.", SF_LANG_ES, "d:2023-04-20");
    check_date("Se firmó el 20 de abril de 2023.", SF_LANG_ES, "d:2023-04-20");
    check_date("Firmato il 20 aprile 2023.", SF_LANG_IT, "d:2023-04-20");
    check_date("Unterzeichnet am 20. April 2023.", SF_LANG_DE, "d:2023-04-20");
    check_date("Unterzeichnet am 20.04.2023.", SF_LANG_DE, "d:2023-04-20");
    check_date("Signé le 20 avril 2023.", SF_LANG_FR, "d:2023-04-20");
    check_date("Assinado em 20 de abril de 2023.", SF_LANG_PT, "d:2023-04-20");
    check_date("Ký ngày 20 tháng 4 năm 2023.", SF_LANG_VI, "d:2023-04-20");
    check_date("Ditandatangani 20 April 2023.", SF_LANG_ID, "d:2023-04-20");
    check_date("20 Nisan 2023'te imzalandı.", SF_LANG_TR, "d:2023-04-20");
    check_date("Подписано 20 апреля 2023 года.", SF_LANG_RU, "d:2023-04-20");
    /* no year: the article's */
    const sf_fact *f = first(run_day("Talks began on 3 March.", SF_LANG_EN,
                                     sf_days_from_civil(2022, 4, 20)), SF_FACT_DATE);
    assert_string_equal(f->key, "d:2022-03-03");
    assert_true(f->flags & SF_FACT_RELATIVE);
    /* by / since */
    f = first(run("It aims to sell cars by 2024.", SF_LANG_EN), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_BY);
    assert_string_equal(quote(f), "by 2024");
    f = first(run("It has been built since 2008.", SF_LANG_EN), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_SINCE);
    f = first(run("Gebaut seit 2008.", SF_LANG_DE), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_SINCE);
    /* Turkish puts them after the year */
    f = first(run("Fabrika 2024'e kadar bitecek.", SF_LANG_TR), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_BY);
    assert_string_equal(quote(f), "2024'e kadar");
    f = first(run("Fabrika 2024 yılı sonuna kadar bitecek.", SF_LANG_TR), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_BY);
    f = first(run("Fabrika 2008'den beri çalışıyor.", SF_LANG_TR), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_SINCE);
    assert_string_equal(quote(f), "2008'den beri");
    f = first(run("Fabrika 2008'de açıldı.", SF_LANG_TR), SF_FACT_DATE);
    assert_false(f->flags & (SF_FACT_BY | SF_FACT_SINCE));
    /* a deadline in each language; "in 2024" is none */
    static const struct {
        const char *text;
        sf_lang lang;
        bool by;
    } by[] = {
        {"It should be ready by 2024.", SF_LANG_EN, true},
        {"It opened in 2024.", SF_LANG_EN, false},
        {"Estará lista para 2024.", SF_LANG_ES, true},
        {"Sarà pronto entro il 2024.", SF_LANG_IT, true},
        {"Es soll bis 2024 fertig sein.", SF_LANG_DE, true},
        {"Ce sera prêt d'ici 2024.", SF_LANG_FR, true},
        {"Estará pronto até 2024.", SF_LANG_PT, true},
        {"Hoàn thành trước năm 2024.", SF_LANG_VI, true},
        {"Hoàn thành chậm nhất vào năm 2024.", SF_LANG_VI, true},
        {"Hoàn thành vào năm 2024.", SF_LANG_VI, false},
        {"Selesai paling lambat 2024.", SF_LANG_ID, true},
        {"Selesai pada 2024.", SF_LANG_ID, false},
        {"Завод заработает к 2024 году.", SF_LANG_RU, true},
        {"Завод заработал в 2024 году.", SF_LANG_RU, false},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(by); k++) {
        f = first(run(by[k].text, by[k].lang), SF_FACT_DATE);
        if (!(f->flags & SF_FACT_BY) != !by[k].by)
            fail_msg("\"%s\": by flag %d", by[k].text, !!(f->flags & SF_FACT_BY));
        assert_int_equal(f->year, 2024);
    }
    f = first(run("Завод заработает к 2024 году.", SF_LANG_RU), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_BY);
    f = first(run("Завод работает с 2008 года.", SF_LANG_RU), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_SINCE);
    /* "may" alone is a verb, a year with a unit is a count */
    got *g = run("It may rain. It has 2024 vehicles.", SF_LANG_EN);
    assert_int_equal(count(g, SF_FACT_DATE), 0);
    assert_near(first(g, SF_FACT_QUANTITY)->value, 2024, 0);
    f = first(run("Deliveries start in 2024.", SF_LANG_EN), SF_FACT_DATE);
    assert_int_equal(f->prec, SF_DATE_YEAR);
    assert_int_equal(f->days, sf_days_from_civil(2024, 1, 1));
}

static void test_dates_relative(void **state)
{
    (void)state;
    check_date("Xiaomi announced it last year.", SF_LANG_EN, "d:2021");
    check_date("Work began earlier this year.", SF_LANG_EN, "d:2022");
    check_date("Work begins next year.", SF_LANG_EN, "d:2023");
    check_date("It was said yesterday.", SF_LANG_EN, "d:2022-04-19");
    check_date("It was said last month.", SF_LANG_EN, "d:2022-03");
    check_date("Se anunció el año pasado.", SF_LANG_ES, "d:2021");
    check_date("Lo ha detto l'anno scorso.", SF_LANG_IT, "d:2021");
    check_date("Das wurde letztes Jahr gesagt.", SF_LANG_DE, "d:2021");
    check_date("Il l'a dit l'année dernière.", SF_LANG_FR, "d:2021");
    check_date("Foi anunciado no ano passado.", SF_LANG_PT, "d:2021");
    check_date("Công bố năm ngoái.", SF_LANG_VI, "d:2021");
    check_date("Diumumkan tahun lalu.", SF_LANG_ID, "d:2021");
    /* earlier this year, early this year, in each language */
    check_date("Empezó a principios de este año.", SF_LANG_ES, "d:2022");
    check_date("È iniziato all'inizio di quest'anno.", SF_LANG_IT, "d:2022");
    check_date("Es begann Anfang dieses Jahres.", SF_LANG_DE, "d:2022");
    check_date("Cela a commencé plus tôt cette année.", SF_LANG_FR, "d:2022");
    check_date("Começou no início deste ano.", SF_LANG_PT, "d:2022");
    check_date("Bắt đầu từ đầu năm nay.", SF_LANG_VI, "d:2022");
    check_date("Dimulai awal tahun ini.", SF_LANG_ID, "d:2022");
    check_date("Bu yılın başında başladı.", SF_LANG_TR, "d:2022");
    check_date("Начали в начале этого года.", SF_LANG_RU, "d:2022");
    check_date("Geçen yıl açıklandı.", SF_LANG_TR, "d:2021");
    check_date("Bu yıl başladı.", SF_LANG_TR, "d:2022");
    check_date("Dün açıklandı.", SF_LANG_TR, "d:2022-04-19");
    check_date("Об этом объявили в прошлом году.", SF_LANG_RU, "d:2021");
    check_date("Работы начались в этом году.", SF_LANG_RU, "d:2022");
    check_date("Об этом сообщили вчера.", SF_LANG_RU, "d:2022-04-19");
    check_date("Об этом сообщили в прошлом месяце.", SF_LANG_RU, "d:2022-03");
    check_date("Dijo ayer.", SF_LANG_ES, "d:2022-04-19");
    check_date("Es hieß gestern.", SF_LANG_DE, "d:2022-04-19");
    /* January: last month crosses the year */
    const sf_fact *f = first(run_day("It was said last month.", SF_LANG_EN,
                                     sf_days_from_civil(2022, 1, 10)), SF_FACT_DATE);
    assert_string_equal(f->key, "d:2021-12");
    /* without an article date: unresolved, with the offset */
    f = first(run("Xiaomi announced it last year.", SF_LANG_EN), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_UNRESOLVED);
    assert_int_equal(f->offset, -1);
    assert_int_equal(f->year, 0);
    assert_string_equal(quote(f), "last year");
}

/* Weekdays, in each language, against an article dated Wednesday 20
 * April 2022: the most recent such day on or before it; "last" the one
 * before, "next" the one after. */
static void test_dates_weekday(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        sf_lang lang;
        const char *key, *quote;
    } cases[] = {
        {"The plant was closed on Wednesday, officials said.", SF_LANG_EN, "d:2022-04-20",
         "Wednesday"},
        {"Talks began Monday in Seoul.", SF_LANG_EN, "d:2022-04-18", "Monday"},
        {"The deal was signed on Thursday.", SF_LANG_EN, "d:2022-04-14", "Thursday"},
        {"It closed last Wednesday.", SF_LANG_EN, "d:2022-04-13", "last Wednesday"},
        {"It reopens next Monday.", SF_LANG_EN, "d:2022-04-25", "next Monday"},
        {"La planta cerró el miércoles.", SF_LANG_ES, "d:2022-04-20", "miércoles"},
        {"La planta cerró el lunes pasado.", SF_LANG_ES, "d:2022-04-18", "lunes pasado"},
        {"Lo stabilimento ha chiuso mercoledì.", SF_LANG_IT, "d:2022-04-20", "mercoledì"},
        {"Lo stabilimento ha chiuso venerdì scorso.", SF_LANG_IT, "d:2022-04-15",
         "venerdì scorso"},
        {"Das Werk wurde am Mittwoch geschlossen.", SF_LANG_DE, "d:2022-04-20", "Mittwoch"},
        {"Das Werk öffnet am kommenden Montag.", SF_LANG_DE, "d:2022-04-25", "kommenden Montag"},
        {"L'usine a fermé mercredi.", SF_LANG_FR, "d:2022-04-20", "mercredi"},
        {"L'usine a fermé mardi dernier.", SF_LANG_FR, "d:2022-04-19", "mardi dernier"},
        {"A fábrica fechou na quarta-feira.", SF_LANG_PT, "d:2022-04-20", "quarta-feira"},
        {"A fábrica fechou no sábado.", SF_LANG_PT, "d:2022-04-16", "sábado"},
        {"Nhà máy đóng cửa hôm thứ Tư.", SF_LANG_VI, "d:2022-04-20", "thứ Tư"},
        {"Nhà máy đóng cửa hôm thứ 2.", SF_LANG_VI, "d:2022-04-18", "thứ 2"},
        {"Pabrik itu ditutup pada Rabu.", SF_LANG_ID, "d:2022-04-20", "Rabu"},
        {"Pabrik itu ditutup pada Minggu lalu.", SF_LANG_ID, "d:2022-04-17", "Minggu lalu"},
        {"Fabrika çarşamba günü kapandı.", SF_LANG_TR, "d:2022-04-20", "çarşamba günü"},
        {"Fabrika geçen cuma kapandı.", SF_LANG_TR, "d:2022-04-15", "geçen cuma"},
        {"Завод закрыли в среду.", SF_LANG_RU, "d:2022-04-20", "среду"},
        {"Завод закрыли в прошлую пятницу.", SF_LANG_RU, "d:2022-04-15", "прошлую пятницу"},
    };
    int32_t day = sf_days_from_civil(2022, 4, 20);
    for (size_t k = 0; k < SF_ARRAY_LEN(cases); k++) {
        const sf_fact *f = first(run_day(cases[k].text, cases[k].lang, day), SF_FACT_DATE);
        if (strcmp(f->key, cases[k].key) != 0 || strcmp(quote(f), cases[k].quote) != 0)
            fail_msg("\"%s\": %s \"%s\", expected %s \"%s\"", cases[k].text, f->key,
                     quote(f), cases[k].key, cases[k].quote);
        assert_true(f->flags & SF_FACT_RELATIVE);
        assert_int_equal(f->prec, SF_DATE_DAY);
        assert_int_equal(f->days, day + f->offset);
    }
    /* across a month and a year */
    const sf_fact *f = first(run_day("It was signed on Friday.", SF_LANG_EN,
                                     sf_days_from_civil(2022, 1, 2)), SF_FACT_DATE);
    assert_string_equal(f->key, "d:2021-12-31");
    /* without an article date: unresolved, and not reported as a day */
    f = first(run("The plant was closed on Wednesday.", SF_LANG_EN), SF_FACT_DATE);
    assert_true(f->flags & SF_FACT_UNRESOLVED);
    assert_int_equal(f->year, 0);
    assert_string_equal(f->key, "d:?w3");
    /* not weekdays: inside names, ordinals and weeks, and the weekday
     * heading a date (the date is read) */
    static const struct {
        const char *text;
        sf_lang lang;
    } none[] = {
        {"Shops expect Black Friday to be busy.", SF_LANG_EN},
        {"Llegó a Santo Domingo.", SF_LANG_ES},
        {"Đây là lần thứ hai.", SF_LANG_VI},
        {"Dalam satu minggu pabrik ditutup.", SF_LANG_ID},
        {"A quarta maior fábrica.", SF_LANG_PT},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(none); k++) {
        got *g = run_day(none[k].text, none[k].lang, day);
        if (count(g, SF_FACT_DATE))
            fail_msg("a date in \"%s\": %s", none[k].text, first(g, SF_FACT_DATE)->key);
    }
    got *g = run_day("Wednesday, April 13, 2022: the plant closed.", SF_LANG_EN, day);
    assert_int_equal(count(g, SF_FACT_DATE), 1);
    assert_string_equal(first(g, SF_FACT_DATE)->key, "d:2022-04-13");
}

/* ------------------------------------------------------------------ */
/* People                                                              */
/* ------------------------------------------------------------------ */

static void check_people(const char *text, sf_lang lang, sf_harm harm, double v)
{
    const sf_fact *f = first(run(text, lang), SF_FACT_PEOPLE);
    assert_int_equal(f->harm, harm);
    assert_near(f->value, v, 0);
}

static void test_people(void **state)
{
    (void)state;
    check_people("At least 12 people were killed in the blast.", SF_LANG_EN, SF_HARM_KILLED, 12);
    check_people("The blast left 30 injured.", SF_LANG_EN, SF_HARM_INJURED, 30);
    check_people("Police arrested 5 men.", SF_LANG_EN, SF_HARM_ARRESTED, 5);
    check_people("The attack, killing 7, was condemned.", SF_LANG_EN, SF_HARM_KILLED, 7);
    check_people("Three people died.", SF_LANG_EN, SF_HARM_KILLED, 3);
    /* a part of a count: "two of the three people died" (two); but "one of
     * the 12 people killed" names the 12 (a participle) */
    check_people("Police said two of the three people died.", SF_LANG_EN, SF_HARM_KILLED, 2);
    check_people("One of the 6 people was injured.", SF_LANG_EN, SF_HARM_INJURED, 1);
    check_people("One of the 12 people killed was a child.", SF_LANG_EN, SF_HARM_KILLED, 12);
    check_people("Hay 12 muertos y 30 heridos.", SF_LANG_ES, SF_HARM_KILLED, 12);
    check_people("Ci sono 12 morti.", SF_LANG_IT, SF_HARM_KILLED, 12);
    check_people("Es gab 12 Tote.", SF_LANG_DE, SF_HARM_KILLED, 12);
    check_people("12 Menschen wurden verletzt.", SF_LANG_DE, SF_HARM_INJURED, 12);
    check_people("On compte 12 morts.", SF_LANG_FR, SF_HARM_KILLED, 12);
    check_people("Foram 12 mortos.", SF_LANG_PT, SF_HARM_KILLED, 12);
    check_people("Có 12 người thiệt mạng.", SF_LANG_VI, SF_HARM_KILLED, 12);
    check_people("Có 3 người bị thương.", SF_LANG_VI, SF_HARM_INJURED, 3);
    check_people("Sebanyak 12 orang tewas.", SF_LANG_ID, SF_HARM_KILLED, 12);
    check_people("Sebanyak 4 orang ditangkap.", SF_LANG_ID, SF_HARM_ARRESTED, 4);
    /* the verb before the count, and the counts' other harms */
    check_people("La policía detuvo a 23 personas.", SF_LANG_ES, SF_HARM_ARRESTED, 23);
    check_people("En el choque murieron 12 personas.", SF_LANG_ES, SF_HARM_KILLED, 12);
    check_people("Hay 30 heridos.", SF_LANG_ES, SF_HARM_INJURED, 30);
    check_people("Sono state arrestate 23 persone.", SF_LANG_IT, SF_HARM_ARRESTED, 23);
    check_people("Nell'incidente sono morte 12 persone.", SF_LANG_IT, SF_HARM_KILLED, 12);
    check_people("Ci sono 30 feriti.", SF_LANG_IT, SF_HARM_INJURED, 30);
    check_people("23 Menschen wurden festgenommen.", SF_LANG_DE, SF_HARM_ARRESTED, 23);
    check_people("23 personnes ont été arrêtées.", SF_LANG_FR, SF_HARM_ARRESTED, 23);
    check_people("La police a interpellé 23 personnes.", SF_LANG_FR, SF_HARM_ARRESTED, 23);
    check_people("On compte 30 blessés.", SF_LANG_FR, SF_HARM_INJURED, 30);
    check_people("No acidente morreram 12 pessoas.", SF_LANG_PT, SF_HARM_KILLED, 12);
    check_people("A polícia prendeu 23 pessoas.", SF_LANG_PT, SF_HARM_ARRESTED, 23);
    check_people("Foram 30 feridos.", SF_LANG_PT, SF_HARM_INJURED, 30);
    check_people("23 người bị bắt.", SF_LANG_VI, SF_HARM_ARRESTED, 23);
    check_people("Sebanyak 30 orang luka-luka.", SF_LANG_ID, SF_HARM_INJURED, 30);
    check_people("Five people are missing.", SF_LANG_EN, SF_HARM_MISSING, 5);
    check_people("Hay 5 desaparecidos.", SF_LANG_ES, SF_HARM_MISSING, 5);
    check_people("Depremde 12 kişi hayatını kaybetti.", SF_LANG_TR, SF_HARM_KILLED, 12);
    check_people("Kazada 30 kişi yaralandı.", SF_LANG_TR, SF_HARM_INJURED, 30);
    check_people("En az 5 kişi gözaltına alındı.", SF_LANG_TR, SF_HARM_ARRESTED, 5);
    /* "İki": the capital İ folds to i and a dot; the word is "iki" */
    check_people("İki kişi öldü.", SF_LANG_TR, SF_HARM_KILLED, 2);
    check_people("Погибли 12 человек.", SF_LANG_RU, SF_HARM_KILLED, 12);
    check_people("В результате 12 человек погибли.", SF_LANG_RU, SF_HARM_KILLED, 12);
    check_people("Известно о 3 погибших.", SF_LANG_RU, SF_HARM_KILLED, 3);
    check_people("30 человек получили ранения.", SF_LANG_RU, SF_HARM_INJURED, 30);
    check_people("Полиция сообщила, что 5 человек задержаны.", SF_LANG_RU, SF_HARM_ARRESTED, 5);
    /* ages are no counts: one was killed, not 17 */
    {
        got *t = run("Police say a man killed 17-year-old Ackeem Davis on Thursday.", SF_LANG_EN);
        assert_int_equal(count(t, SF_FACT_PEOPLE), 0);
        t = run("Officers arrested 3 men and a boy, 15 years old.", SF_LANG_EN);
        assert_int_equal(count(t, SF_FACT_PEOPLE), 1);
        assert_near(first(t, SF_FACT_PEOPLE)->value, 3, 0);
    }
    /* the count's name earlier in its sentence, the count bare */
    check_people("The death toll from Tuesday's magnitude 6.1 earthquake in Malatya has risen to 14.",
                 SF_LANG_EN, SF_HARM_KILLED, 14);
    check_people("Officials said the number of injured stood at 150 on Friday.", SF_LANG_EN,
                 SF_HARM_INJURED, 150);
    check_people("La cifra de muertos por el terremoto subió a 14.", SF_LANG_ES, SF_HARM_KILLED, 14);
    check_people("Le nombre de morts est passé à 14 mardi.", SF_LANG_FR, SF_HARM_KILLED, 14);
    check_people("Die Zahl der Toten stieg am Dienstag auf 14.", SF_LANG_DE, SF_HARM_KILLED, 14);
    check_people("Il bilancio delle vittime è salito a 14.", SF_LANG_IT, SF_HARM_KILLED, 14);
    check_people("O número de mortos subiu para 14.", SF_LANG_PT, SF_HARM_KILLED, 14);
    check_people("Jumlah korban tewas gempa itu bertambah menjadi 14.", SF_LANG_ID, SF_HARM_KILLED, 14);
    check_people("Depremde ölü sayısı 14 oldu.", SF_LANG_TR, SF_HARM_KILLED, 14);
    check_people("Số người chết trong trận động đất đã tăng lên 14.", SF_LANG_VI, SF_HARM_KILLED, 14);
    check_people("Число погибших при землетрясении выросло до 14.", SF_LANG_RU, SF_HARM_KILLED, 14);
    {
        /* not across a sentence, and not a count with a unit of its own */
        got *t = run("The death toll is unknown. Rescuers searched 14 buildings.", SF_LANG_EN);
        assert_int_equal(count(t, SF_FACT_PEOPLE), 0);
        t = run("The death toll from the magnitude 6.1 earthquake rose.", SF_LANG_EN);
        assert_int_equal(count(t, SF_FACT_PEOPLE), 0);
        assert_int_equal(count(t, SF_FACT_QUANTITY), 1);
    }
    got *g = run("Hay 12 muertos y 30 heridos.", SF_LANG_ES);
    assert_int_equal(count(g, SF_FACT_PEOPLE), 2);
    assert_int_equal(nth(g, SF_FACT_PEOPLE, 1)->harm, SF_HARM_INJURED);
    assert_string_equal(nth(g, SF_FACT_PEOPLE, 1)->key, "p:injured:30");
    /* text rebuilt from tokens: "31, 000" is 31,000 ("000" alone is no
     * number); another group of three only where the text splits
     * decimals or times too ("5. 9"), and not after a hyphen; never in a
     * language writing decimals with a comma */
    g = run("More than 31, 000 people were killed in 2003.", SF_LANG_EN);
    const sf_fact *p31 = first(g, SF_FACT_PEOPLE);
    assert_near(p31->value, 31000, 0);
    assert_true(p31->flags & SF_FACT_AT_LEAST);
    assert_string_equal(quote(p31), "More than 31, 000 people were killed");
    assert_int_equal(count(g, SF_FACT_QUANTITY), 0);
    g = run("A magnitude-5. 9 quake hit 1, 500 houses and 1, 000, 000 people.", SF_LANG_EN);
    {
        bool houses = false, people = false;
        for (size_t i = 0; i < g->n; i++) {
            houses |= g->f[i].value == 1500 && strcmp(quote(&g->f[i]), "1, 500 houses") == 0;
            people |= g->f[i].value == 1e6 && strcmp(quote(&g->f[i]), "1, 000, 000 people") == 0;
        }
        assert_true(houses && people);
    }
    g = run("The quake hit 1, 500 houses.", SF_LANG_EN);
    assert_near(first(g, SF_FACT_QUANTITY)->value, 1, 0);
    g = run("A magnitude-5. 9 quake. He is 5-foot-8, 135 pounds.", SF_LANG_EN);
    for (size_t i = 0; i < g->n; i++)
        assert_true(g->f[i].value != 8135);
    g = run("Es waren 31, 000 Leute.", SF_LANG_DE);
    assert_near(first(g, SF_FACT_QUANTITY)->value, 31, 0);
    g = run("It starts at 8:00 p.m. with 00 guests.", SF_LANG_EN);
    assert_int_equal(count(g, SF_FACT_QUANTITY), 0); /* 8:00 is a clock time */
    const sf_fact *f = first(run("At least 12 people were killed.", SF_LANG_EN), SF_FACT_PEOPLE);
    assert_true(f->flags & SF_FACT_AT_LEAST);
    assert_string_equal(quote(f), "At least 12 people were killed");
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* The names of text, in order. */
static got *names(const char *text)
{
    return run(text, SF_LANG_EN);
}

static const sf_fact *name_with(got *g, const char *quote_text)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->f[i].kind == SF_FACT_NAME && strcmp(quote(&g->f[i]), quote_text) == 0)
            return &g->f[i];
    fail_msg("no name \"%s\" in \"%s\"", quote_text, TXT);
    return NULL;
}

static void test_names_spans(void **state)
{
    (void)state;
    got *g = names("Talks are with Beijing Automotive Group Co (BAIC) and Lei Jun, its founder.");
    const sf_fact *f = name_with(g, "Beijing Automotive Group Co (BAIC)");
    assert_string_equal(f->abbr, "baic");
    assert_string_equal(f->key, "beijing automotive");
    assert_string_equal(f->name, "beijing automotive group co");
    assert_int_equal(f->name_class, SF_NAME_ORG);
    name_with(g, "Lei Jun");
    /* words capitalised on pages without naming anything alone */
    g = names("UPDATE: officers were called to the Avenue, NW of the park. Caption Close Image.");
    for (size_t k = 0; k < g->n; k++)
        fail_msg("a name \"%s\"", g->f[k].name);
    g = names("Police were called to Main Street in West Virginia.");
    name_with(g, "Main Street");
    name_with(g, "West Virginia");
    /* a weekday after a name is no part of it */
    g = names("Police said in New York Friday that the Bronx Thursday rally was held.");
    name_with(g, "New York");
    for (size_t k = 0; k < g->n; k++)
        assert_null(strstr(g->f[k].name, "friday"));
    g = names("A deal with Beijing Automotive Group Co., Ltd. (BAIC) and Apple Inc., the maker.");
    f = name_with(g, "Beijing Automotive Group Co., Ltd. (BAIC)");
    assert_string_equal(f->abbr, "baic");
    assert_string_equal(f->key, "beijing automotive");
    assert_string_equal(name_with(g, "Apple Inc")->key, "apple");
    g = names("It may buy into Hyundai's Beijing Plant 2 soon.");
    f = name_with(g, "Hyundai's Beijing Plant 2");
    assert_int_equal(f->name_class, SF_NAME_FACILITY);
    assert_int_equal(count(g, SF_FACT_QUANTITY), 0);
    g = names("It may buy the Hyundai No. 2 factory in Beijing soon.");
    f = name_with(g, "Hyundai No. 2 factory in Beijing");
    assert_string_equal(f->key, "hyundai 2 plant beijing");
    /* a designator in lower case: a facility's bare designation, no count */
    g = names("Xiaomi may use the No. 2 plant of Hyundai or plant No. 3 soon.");
    f = name_with(g, "No. 2 plant");
    assert_string_equal(f->key, "plant 2");
    assert_int_equal(f->name_class, SF_NAME_FACILITY);
    assert_string_equal(name_with(g, "plant No. 3")->key, "plant 3");
    assert_int_equal(count(g, SF_FACT_QUANTITY), 0);
    g = run("Renault ferme l'usine n° 2 de Flins.", SF_LANG_FR);
    assert_string_equal(name_with(g, "usine n° 2")->key, "plant 2");
    g = run("Xiaomi usará la planta No. 2 de Hyundai.", SF_LANG_ES);
    assert_string_equal(name_with(g, "planta No. 2")->key, "plant 2");
    /* a rank is neither a count nor a name; "no 2" is no designator */
    g = names("He is the No. 1 seed. There were no 2 ways.");
    assert_int_equal(count(g, SF_FACT_NAME), 0);
    assert_int_equal(count(g, SF_FACT_QUANTITY), 1);
    assert_string_equal(first(g, SF_FACT_QUANTITY)->unit, "ways");
    g = names("A stake in the Bank of China and in the Hague.");
    name_with(g, "Bank of China");
    /* a lone word at a sentence start is not a name; an acronym is */
    g = names("Recently the firm grew. BAIC said so.");
    assert_int_equal(count(g, SF_FACT_NAME), 1);
    f = name_with(g, "BAIC");
    assert_true(f->flags & SF_FACT_ACRONYM);
    /* title before a name */
    g = names("The move was backed by President Ana Lima.");
    assert_int_equal(name_with(g, "Ana Lima")->name_class, SF_NAME_PERSON);
    /* police, court and clergy titles, abbreviated or not, and a chain of
     * them; a place or office before the title stays a name of its own */
    g = names("Cook County Judge Peggy Chiampas set bail. Sgt. Mike Lee and "
              "Deputy Chief Ann Roe spoke, as did Assistant Wayne County Prosecutor "
              "Kym Worthy.");
    assert_int_equal(name_with(g, "Peggy Chiampas")->name_class, SF_NAME_PERSON);
    assert_int_equal(name_with(g, "Mike Lee")->name_class, SF_NAME_PERSON);
    assert_int_equal(name_with(g, "Ann Roe")->name_class, SF_NAME_PERSON);
    assert_int_equal(name_with(g, "Kym Worthy")->name_class, SF_NAME_PERSON);
    name_with(g, "Cook County");
    name_with(g, "Wayne County");
    assert_int_equal(count(g, SF_FACT_NAME), 6);
    /* a nationality alone is no name; a name it starts is one */
    g = names("Somali pirates fired on the Indian Navy ship, an Indian official said.");
    name_with(g, "Indian Navy");
    assert_int_equal(count(g, SF_FACT_NAME), 1);
    /* a title with "'s" before a capitalised word is part of a name */
    g = names("He called the Cook County Sheriff's Office on Friday.");
    name_with(g, "Cook County Sheriff's Office");
    assert_int_equal(count(g, SF_FACT_NAME), 1);
    /* words joined by a hyphen are one name; a lower-case word after a
     * hyphen ends it; two names of their own stay two ("US-China",
     * "Xiaomi-BAIC") unless the whole is a place */
    g = names("Coca-Cola, Hewlett-Packard and Rolls-Royce met Jean-Claude Juncker.");
    assert_string_equal(name_with(g, "Coca-Cola")->key, "coca cola");
    assert_string_equal(name_with(g, "Hewlett-Packard")->key, "hewlett packard");
    assert_string_equal(name_with(g, "Rolls-Royce")->key, "rolls royce");
    name_with(g, "Jean-Claude Juncker");
    assert_int_equal(count(g, SF_FACT_NAME), 4);
    g = names("A Xiaomi-backed fund and a Xiaomi-BAIC deal in the Coca-Cola-owned plant.");
    assert_string_equal(name_with(g, "Xiaomi")->key, "xiaomi");
    name_with(g, "BAIC");
    name_with(g, "Coca-Cola");
    assert_int_equal(count(g, SF_FACT_NAME), 4);
    g = names("Talks between Chile-Peru officials.");
    name_with(g, "Chile");
    name_with(g, "Peru");
    f = name_with(names("Troops left Bosnia-Herzegovina."), "Bosnia-Herzegovina");
    assert_int_equal(f->name_class, SF_NAME_PLACE);
    assert_string_equal(f->country, "BA");
    g = run("В среду Санкт-Петербург объявил о закрытии завода.", SF_LANG_RU);
    f = name_with(g, "Санкт-Петербург");
    assert_int_equal(f->name_class, SF_NAME_PLACE);
    assert_string_equal(f->country, "RU");
    g = run("Il vit à Saint-Germain-des-Prés.", SF_LANG_FR);
    assert_string_equal(name_with(g, "Saint-Germain-des-Prés")->key, "saint germain des prés");
    static const struct {
        const char *text;
        sf_lang lang;
    } cola[] = {
        {"Las acciones de Coca-Cola subieron el martes.", SF_LANG_ES},
        {"Le azioni di Coca-Cola sono salite martedì.", SF_LANG_IT},
        {"As ações da Coca-Cola subiram na terça-feira.", SF_LANG_PT},
        {"Cổ phiếu của Coca-Cola tăng hôm thứ Ba.", SF_LANG_VI},
        {"Harga saham Coca-Cola naik pada hari Selasa.", SF_LANG_ID},
        {"Coca-Cola hisseleri salı günü yükseldi.", SF_LANG_TR},
    };
    for (size_t k = 0; k < SF_ARRAY_LEN(cola); k++) {
        g = run(cola[k].text, cola[k].lang);
        assert_string_equal(name_with(g, "Coca-Cola")->key, "coca cola");
    }
    g = run("Mercedes-Benz baut Autos in Baden-Württemberg.", SF_LANG_DE);
    name_with(g, "Mercedes-Benz");
    name_with(g, "Baden-Württemberg");
    /* months and stop words end names */
    g = names("It met Xiaomi in April and The Times.");
    name_with(g, "Xiaomi");
    name_with(g, "Times");
}

/* The gazetteer: countries by their names in our languages, cities and
 * regions by their country, in any case the tokeniser gives. */
static void test_places(void **state)
{
    (void)state;
    static const char *const germany[] = {"germany", "alemania", "allemagne", "deutschland",
                                          "germania", "alemanha", "jerman", "almanya",
                                          "германия", "германии"};
    for (size_t k = 0; k < SF_ARRAY_LEN(germany); k++) {
        bool is_country = false;
        const char *cc = sf_place_country(germany[k], strlen(germany[k]), &is_country);
        assert_non_null(cc);
        assert_string_equal(cc, "DE");
        assert_true(is_country);
    }
    bool is_country = true;
    assert_string_equal(sf_place_country("san diego", 9, &is_country), "US");
    assert_false(is_country);
    assert_string_equal(sf_place_country("rio de janeiro", 14, NULL), "BR");
    assert_string_equal(sf_place_country("bắc kinh", strlen("bắc kinh"), NULL), "CN");
    assert_string_equal(sf_place_country("qeshm", 5, NULL), "IR");
    assert_string_equal(sf_place_country("estados unidos", 14, NULL), "US");
    /* only the whole name: "new" is not New York, "york city" nothing */
    assert_null(sf_place_country("new", 3, NULL));
    assert_null(sf_place_country("new york harbour", 16, NULL));
    assert_null(sf_place_country("harborview", 10, NULL));
    assert_null(sf_place_country("", 0, NULL));
    assert_null(sf_place_country(NULL, 3, NULL));
    assert_null(sf_place_country("san  diego", 10, NULL));
    /* names of people that are also places are left out */
    assert_null(sf_place_country("jordan", 6, NULL));
    assert_null(sf_place_country("victoria", 8, NULL));

    /* in text: names the gazetteer knows are places with their country */
    got *g = names("Floods hit Rio de Janeiro and the town of Petrópolis on Monday.");
    const sf_fact *f = name_with(g, "Rio de Janeiro");
    assert_int_equal(f->name_class, SF_NAME_PLACE);
    assert_string_equal(f->country, "BR");
    f = name_with(g, "Petrópolis");
    assert_int_equal(f->name_class, SF_NAME_UNKNOWN);
    assert_string_equal(f->country, "");
    g = names("A quake shook Qeshm island off Iran, officials in Tehran said.");
    assert_string_equal(name_with(g, "Qeshm")->country, "IR");
    assert_string_equal(name_with(g, "Iran")->country, "IR");
    assert_string_equal(name_with(g, "Tehran")->country, "IR");
    g = run("Un terremoto sacudió el sur de México y la Ciudad de México.", SF_LANG_ES);
    assert_string_equal(name_with(g, "México")->country, "MX");
    /* Turkish (İ folded) and Russian, in the forms news use */
    g = run("Bakanlar dün İran, Rusya ve Almanya adına İstanbul'da buluştu.", SF_LANG_TR);
    assert_string_equal(name_with(g, "İran")->country, "IR");
    assert_string_equal(name_with(g, "Rusya")->country, "RU");
    assert_int_equal(name_with(g, "Almanya")->name_class, SF_NAME_PLACE);
    assert_string_equal(name_with(g, "İstanbul")->country, "TR");
    g = run("Делегации из Китая и Германии прибыли в Москву во вторник.", SF_LANG_RU);
    assert_string_equal(name_with(g, "Китая")->country, "CN");
    assert_string_equal(name_with(g, "Германии")->country, "DE");
    assert_string_equal(name_with(g, "Москву")->country, "RU");
    /* a person with a title stays a person */
    g = names("The move was backed by President Ana Lima.");
    assert_int_equal(name_with(g, "Ana Lima")->name_class, SF_NAME_PERSON);
}

/* Every pair of forms of one name is an alias. */
static void all_alias(const char *const *texts, size_t n)
{
    sf_fact fs[16];
    assert_true(n <= 16);
    for (size_t k = 0; k < n; k++) {
        got *g = run(texts[k], SF_LANG_EN);
        assert_true(g->n >= 1);
        /* the longest name of the sentence */
        size_t best = 0;
        for (size_t i = 0; i < g->n; i++)
            if (g->f[i].kind == SF_FACT_NAME &&
                (g->f[best].kind != SF_FACT_NAME ||
                 g->f[i].end - g->f[i].start > g->f[best].end - g->f[best].start))
                best = i;
        assert_int_equal(g->f[best].kind, SF_FACT_NAME);
        fs[k] = g->f[best];
    }
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            if (!sf_names_alias(&fs[a], &fs[b]) ||
                !sf_names_alias_masked(&fs[a], sf_names_words_mask(&fs[a]), &fs[b],
                                       sf_names_words_mask(&fs[b])))
                fail_msg("\"%s\" and \"%s\" are not aliases", texts[a], texts[b]);
}

/* The word summaries never change sf_names_alias's answer, and they do
 * rule pairs out. */
static void test_names_alias_masked(void **state)
{
    (void)state;
    got *g = run("BAIC, Beijing Automotive Group Co (BAIC), Beijing Automotive Industry "
                 "Corporation, Beijing Automotive, Hyundai Motor, Hyundai Motor Company, "
                 "Kia Motor, Beijing Hyundai No. 2, Hyundai's Beijing Plant 2, Plant 2, "
                 "Ana Lima, President Ana Lima, Lima, Peru, the EU, the European Union and "
                 "Berlin met in Paris.", SF_LANG_EN);
    size_t names = 0, pairs = 0, ruled_out = 0, aliases = 0;
    for (size_t a = 0; a < g->n; a++) {
        uint64_t ma = sf_names_words_mask(&g->f[a]);
        if (g->f[a].kind != SF_FACT_NAME) {
            assert_true(ma == 0);
            continue;
        }
        assert_true(ma != 0);
        names++;
        for (size_t b = 0; b < g->n; b++) {
            if (g->f[b].kind != SF_FACT_NAME)
                continue;
            uint64_t mb = sf_names_words_mask(&g->f[b]);
            bool plain = sf_names_alias(&g->f[a], &g->f[b]);
            assert_int_equal(sf_names_alias_masked(&g->f[a], ma, &g->f[b], mb), plain);
            pairs++;
            aliases += plain;
            ruled_out += (ma & ~mb) && (mb & ~ma);
        }
    }
    assert_true(names >= 10);
    assert_true(aliases > names);   /* some pairs of different names are aliases */
    assert_true(ruled_out > pairs / 4);
}

static void test_names_alias(void **state)
{
    (void)state;
    static const char *const group[] = {
        "talks with BAIC now", "talks with Beijing Automotive Group Co (BAIC) now",
        "talks with Beijing Automotive Group (BAIC) now",
        "talks with Beijing Automotive Team Co. (BAIC) now",
        "talks with Beijing Automotive Group Co., Ltd. (BAIC) now",
        "talks with Beijing Automotive Group now",
        "talks with the Group Beijing Automotive now",
        "talks with Beijing Automotive now",
    };
    /* "BAIC" and "Beijing Automotive Group" meet through the (BAIC) form:
     * check those pairs directly, the rest all-pairs. */
    all_alias(group + 1, 7);
    all_alias(group, 5);
    static const char *const plant[] = {
        "a stake in Hyundai’s Beijing Plant 2 now", "a stake in the Hyundai No. 2 factory in Beijing now",
        "a stake in Beijing Hyundai No. 2 plant now", "a stake in Beijing Hyundai No. 2 now",
    };
    all_alias(plant, 4);
    static const char *const initials[] = {
        "a deal with BAIC now", "a deal with Beijing Automotive Industry Corporation now",
    };
    all_alias(initials, 2);
    static const char *const suffix[] = {
        "a deal with Hyundai Motor now", "a deal with Hyundai Motor Company now",
    };
    all_alias(suffix, 2);
    static const char *const plural[] = {"the new EV now", "the new EVs now"};
    all_alias(plural, 2);

    /* and what is not an alias */
    got *g = run("Plant 2 and Plant 3 of Beijing Hyundai No. 2 and Beijing Hyundai No. 3 "
                 "near Hyundai Motor and Kia Motor and Beijing.", SF_LANG_EN);
    const sf_fact *n2 = name_with(g, "Beijing Hyundai No. 2");
    const sf_fact *n3 = name_with(g, "Beijing Hyundai No. 3");
    assert_false(sf_names_alias(n2, n3));
    assert_false(sf_names_alias(name_with(g, "Hyundai Motor"), name_with(g, "Kia Motor")));
    assert_false(sf_names_alias(name_with(g, "Beijing"), n2));
    assert_false(sf_names_alias(name_with(g, "Beijing"), name_with(g, "Hyundai Motor")));
    sf_fact q;
    memset(&q, 0, sizeof q);
    q.kind = SF_FACT_QUANTITY;
    assert_false(sf_names_alias(&q, n2));
    assert_false(sf_names_alias(NULL, n2));
    assert_false(sf_names_part_of(&q, n2));
    assert_false(sf_names_part_of(NULL, n2));
    /* "Plant 2" alone is part of each plant numbered 2, an alias of none
     * (the story decides, see test_engine's bare designation test) */
    const sf_fact *p2 = name_with(g, "Plant 2");
    assert_string_equal(p2->key, "plant 2");
    g = run("a stake in Hyundai's Beijing Plant 2 and in Plant 2 and Plant 3 and "
            "the Beijing Hyundai No. 2 and Beijing Hyundai No. 3 and Kia No. 2 now",
            SF_LANG_EN);
    const sf_fact *whole = name_with(g, "Hyundai's Beijing Plant 2");
    p2 = name_with(g, "Plant 2");
    const sf_fact *p3 = name_with(g, "Plant 3");
    assert_true(sf_names_part_of(p2, whole));
    assert_false(sf_names_alias(p2, whole));
    assert_false(sf_names_part_of(whole, p2));
    assert_false(sf_names_part_of(p3, whole));
    assert_false(sf_names_part_of(p2, p2));
    /* a whole holds a facility word: "Beijing Hyundai No. 2" alone does not */
    assert_false(sf_names_part_of(p2, name_with(g, "Beijing Hyundai No. 2")));
    assert_false(sf_names_part_of(p2, name_with(g, "Kia No. 2")));
    g = run("the Hyundai No. 2 factory in Beijing and Plant 2 now", SF_LANG_EN);
    assert_true(sf_names_part_of(name_with(g, "Plant 2"),
                                 name_with(g, "Hyundai No. 2 factory in Beijing")));
}

/* ------------------------------------------------------------------ */
/* Contract                                                            */
/* ------------------------------------------------------------------ */

static void test_contract(void **state)
{
    (void)state;
    got g;
    memset(&g, 0, sizeof g);
    assert_int_equal(sf_facts_extract(NULL, "x", 1, SF_LANG_EN, 0, collect, &g), SF_EINVAL);
    assert_int_equal(sf_facts_extract(T, "x", 1, SF_LANG_EN, 0, NULL, &g), SF_EINVAL);
    assert_int_equal(sf_facts_extract(T, NULL, 1, SF_LANG_EN, 0, collect, &g), SF_EINVAL);
    assert_int_equal(sf_facts_extract(T, NULL, 0, SF_LANG_EN, 0, collect, &g), SF_OK);
    assert_int_equal(g.n, 0);
    /* the callback can stop */
    const char *s = "In 2021, 2022 and 2023 it sold 5 cars, 6 vans and 7 trucks.";
    g.stop_after = 2;
    assert_int_equal(sf_facts_extract(T, s, strlen(s), SF_LANG_EN, 0, collect, &g), SF_OK);
    assert_int_equal(g.n, 2);
    /* len bounds the read */
    memset(&g, 0, sizeof g);
    assert_int_equal(sf_facts_extract(T, "5 cars 2024", 6, SF_LANG_EN, 0, collect, &g), SF_OK);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.f[0].kind, SF_FACT_QUANTITY);
    /* a long text: facts far apart all come out, offsets right */
    static char big[200000];
    size_t n = 0;
    for (int k = 0; n + 64 < sizeof big; k++)
        n += (size_t)snprintf(big + n, sizeof big - n, "Word word %d cars. ", k);
    memset(&G, 0, sizeof G);
    TXT = big;
    assert_int_equal(sf_facts_extract(T, big, n, SF_LANG_EN, 0, collect, &G), SF_OK);
    assert_int_equal(G.n, MAXF);
    assert_string_equal(quote(&G.f[100]), "100 cars");
}

/* sf_facts_extract_tee: the tee sees the tokens sf_tokenize gives, in the
 * same pass as the facts, and each side stops on its own. */
typedef struct tee_seen {
    uint64_t h;
    size_t n, stop_after;
} tee_seen;

static int tee_token(void *ctx, const sf_token *t)
{
    tee_seen *s = ctx;
    s->h = sf_hash64(t->norm, t->norm_len, s->h ^ t->start);
    s->n++;
    return s->stop_after && s->n >= s->stop_after;
}

static void test_tee(void **state)
{
    (void)state;
    const char *s = "In 2021, 2022 and 2023 Velora sold 5 cars, 6 vans and 7 trucks in Ostrava. "
                    "The company denied the reports on 12 March 2024.";
    size_t len = strlen(s);
    tee_seen want = {0}, seen = {0};
    assert_int_equal(sf_tokenize(T, s, len, SF_LANG_EN, 0, tee_token, &want), SF_OK);
    assert_true(want.n > 20);
    got plain, teed;
    memset(&plain, 0, sizeof plain);
    memset(&teed, 0, sizeof teed);
    assert_int_equal(sf_facts_extract(T, s, len, SF_LANG_EN, 0, collect, &plain), SF_OK);
    assert_int_equal(sf_facts_extract_tee(T, s, len, SF_LANG_EN, 0, collect, &teed, tee_token,
                                          &seen),
                     SF_OK);
    assert_true(plain.n >= 6);
    assert_int_equal(teed.n, plain.n);
    for (size_t i = 0; i < plain.n; i++) {
        assert_string_equal(teed.f[i].key, plain.f[i].key);
        assert_int_equal(teed.f[i].start, plain.f[i].start);
        assert_int_equal(teed.f[i].end, plain.f[i].end);
    }
    assert_int_equal(seen.n, want.n);
    assert_true(seen.h == want.h);
    /* the facts stop, the tee goes on to the end */
    memset(&teed, 0, sizeof teed);
    memset(&seen, 0, sizeof seen);
    teed.stop_after = 2;
    assert_int_equal(sf_facts_extract_tee(T, s, len, SF_LANG_EN, 0, collect, &teed, tee_token,
                                          &seen),
                     SF_OK);
    assert_int_equal(teed.n, 2);
    assert_int_equal(seen.n, want.n);
    /* the tee stops, the facts go on to the end */
    memset(&teed, 0, sizeof teed);
    memset(&seen, 0, sizeof seen);
    seen.stop_after = 3;
    assert_int_equal(sf_facts_extract_tee(T, s, len, SF_LANG_EN, 0, collect, &teed, tee_token,
                                          &seen),
                     SF_OK);
    assert_int_equal(seen.n, 3);
    assert_int_equal(teed.n, plain.n);
}

/* Every data line is used: known type, normalised words, within the
 * tables' limits. */
static void check_data_file(void *ctx, const char *name, const char *data, size_t len)
{
    (void)ctx;
    const char *end = data + len;
    while (data < end) {
        const char *eol = memchr(data, '\n', (size_t)(end - data));
        if (!eol)
            eol = end;
        size_t n = (size_t)(eol - data);
        /* a line's type is one the loader knows (an unknown one would be
         * skipped without a word) */
        if (n && data[0] != '#' && strcmp(name, "facts/README.md") != 0) {
            const char *sp = memchr(data, ' ', n);
            if (!sp || fw_type_named(data, (size_t)(sp - data)) < 0)
                fail_msg("%s: unknown type: %.*s", name, (int)n, data);
        }
        if (n && data[0] != '#') {
            sf_buf b;
            sf_buf_init(&b, 0);
            /* symbols keep their case ("US$"); everything else is folded */
            if (!(n > 4 && memcmp(data, "sym ", 4) == 0)) {
                char low[512];
                assert_true(n < sizeof low);
                for (size_t k = 0; k < n; k++)
                    low[k] = (data[k] >= 'A' && data[k] <= 'Z') ? (char)(data[k] + 32) : data[k];
                assert_true(sf_normalize(data, n, &b));
                if (b.len != n || memcmp(b.data, low, n) != 0)
                    fail_msg("%s: not normalised: %.*s", name, (int)n, data);
            }
            sf_buf_free(&b);
        }
        data = eol + 1;
    }
}

static void test_data_files(void **state)
{
    (void)state;
    sf_data_each("facts/", check_data_file, NULL);
    assert_non_null(sf_data_get("facts/common.txt", NULL) ? "x" : NULL);
    /* every language named in the issue has its words */
    static const sf_lang langs[] = {SF_LANG_EN, SF_LANG_ES, SF_LANG_IT, SF_LANG_DE, SF_LANG_FR,
                                    SF_LANG_PT, SF_LANG_VI, SF_LANG_ID, SF_LANG_TR, SF_LANG_RU};
    for (size_t k = 0; k < SF_ARRAY_LEN(langs); k++)
        assert_int_equal(fw_lang(langs[k]), langs[k]);
    assert_int_equal(fw_lang(SF_LANG_NL), SF_LANG_EN);
    assert_true(fw_decimal_comma(SF_LANG_NL));
    assert_true(fw_decimal_comma(SF_LANG_TR));
    assert_true(fw_decimal_comma(SF_LANG_RU));
    assert_false(fw_decimal_comma(SF_LANG_EN));
    assert_true(fw_decimal_comma(SF_LANG_VI));
}

/* The seed pages, when present: the gold facts come out of the articles
 * that state them. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *n = fread(buf, 1, (1 << 20) - 1, f);
    buf[*n] = '\0';
    fclose(f);
    return buf;
}

static void test_seeds(void **state)
{
    (void)state;
    static const char *const files[] = {
        "000_414fe65bc028d4af.txt", "001_2e56c87feb03daf1.txt",
        "002_112556f2e6a0e6c6.txt", "003_ec887a73c5acd031.txt",
        "004_68073c68289df6a5.txt",
    };
    char path[512];
    sf_fact cap, year, money, baic, plant;
    memset(&cap, 0, sizeof cap);
    cap.kind = SF_FACT_QUANTITY;
    cap.value = cap.value_max = cap.value_alt = 300000;
    strcpy(cap.unit, "vehicle");
    memset(&year, 0, sizeof year);
    year.kind = SF_FACT_DATE;
    year.year = 2024;
    year.prec = SF_DATE_YEAR;
    memset(&money, 0, sizeof money);
    money.kind = SF_FACT_MONEY;
    money.value = money.value_alt = 1e10;
    strcpy(money.currency, "USD");
    memset(&baic, 0, sizeof baic);
    baic.kind = SF_FACT_NAME;
    strcpy(baic.key, "beijing automotive");
    strcpy(baic.name, "beijing automotive group");
    strcpy(baic.abbr, "baic");
    memset(&plant, 0, sizeof plant);
    plant.kind = SF_FACT_NAME;
    strcpy(plant.key, "beijing hyundai 2 plant");
    strcpy(plant.name, plant.key);
    int support[5] = {0};
    for (size_t k = 0; k < 5; k++) {
        snprintf(path, sizeof path, "/work/shared/seeds/%s", files[k]);
        size_t n = 0;
        char *text = slurp(path, &n);
        if (!text) {
            skip();
            return;
        }
        got *g = run(text, SF_LANG_EN);
        bool has[5] = {false};
        for (size_t i = 0; i < g->n; i++) {
            has[0] |= sf_facts_same(&g->f[i], &cap);
            has[1] |= sf_facts_same(&g->f[i], &year);
            has[2] |= sf_facts_same(&g->f[i], &money);
            has[3] |= sf_facts_same(&g->f[i], &baic);
            has[4] |= sf_facts_same(&g->f[i], &plant);
            /* every quote is inside the text */
            assert_true(g->f[i].end <= n);
        }
        for (int j = 0; j < 5; j++)
            support[j] += has[j];
        free(text);
    }
    assert_int_equal(support[0], 4); /* 300,000 vehicles: 000-003 */
    assert_true(support[1] >= 4);    /* 2024 */
    assert_true(support[2] >= 2);    /* $10 billion */
    assert_true(support[3] >= 4);    /* BAIC by alias (004's "Group Beijing Automotive" too) */
    assert_true(support[4] >= 4);    /* Beijing Hyundai No. 2 plant */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_number),
        cmocka_unit_test(test_civil_days),
        cmocka_unit_test(test_quantity_conventions_en),
        cmocka_unit_test(test_quantity_modified_noun_en),
        cmocka_unit_test(test_quantity_languages),
        cmocka_unit_test(test_qualifiers_and_ranges),
        cmocka_unit_test(test_seed_style_capacity),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_dates_absolute),
        cmocka_unit_test(test_dates_relative),
        cmocka_unit_test(test_dates_weekday),
        cmocka_unit_test(test_people),
        cmocka_unit_test(test_names_spans),
        cmocka_unit_test(test_names_alias),
        cmocka_unit_test(test_names_alias_masked),
        cmocka_unit_test(test_contract),
        cmocka_unit_test(test_tee),
        cmocka_unit_test(test_data_files),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
