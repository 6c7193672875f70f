/* Tests of the text module: languages, stop words, normalising,
 * tokenising and stemming. */
#include "harness.h"

#include "text.h"
#include "data.h"

/* ------------------------------------------------------------------ */
/* Languages and stop words                                            */
/* ------------------------------------------------------------------ */

static void test_lang_codes(void **state)
{
    (void)state;
    assert_int_equal(sf_lang_from_code("en", 2), SF_LANG_EN);
    assert_int_equal(sf_lang_from_code("EN", 2), SF_LANG_EN);
    assert_int_equal(sf_lang_from_code("en-GB", 5), SF_LANG_EN);
    assert_int_equal(sf_lang_from_code("pt_BR", 5), SF_LANG_PT);
    assert_int_equal(sf_lang_from_code("vi", 2), SF_LANG_VI);
    assert_int_equal(sf_lang_from_code("zh-Hant-TW", 10), SF_LANG_ZH);
    assert_int_equal(sf_lang_from_code("deu", 3), SF_LANG_DE);
    /* len bounds the read: "esxx" with len 2 is "es" */
    assert_int_equal(sf_lang_from_code("esxx", 2), SF_LANG_ES);
    assert_int_equal(sf_lang_from_code("xx", 2), SF_LANG_UNKNOWN);
    assert_int_equal(sf_lang_from_code("e", 1), SF_LANG_UNKNOWN);
    assert_int_equal(sf_lang_from_code("", 0), SF_LANG_UNKNOWN);
    assert_int_equal(sf_lang_from_code(NULL, 0), SF_LANG_UNKNOWN);
    assert_int_equal(sf_lang_from_code("english", 7), SF_LANG_UNKNOWN);
    assert_string_equal(sf_lang_code(SF_LANG_EN), "en");
    assert_string_equal(sf_lang_code(SF_LANG_TH), "th");
    assert_string_equal(sf_lang_code(SF_LANG_UNKNOWN), "und");
    assert_string_equal(sf_lang_code((sf_lang)999), "und");
    for (int l = 1; l < SF_LANG_COUNT; l++) {
        const char *c = sf_lang_code((sf_lang)l);
        assert_int_equal(sf_lang_from_code(c, strlen(c)), l);
    }
}

static bool stop(sf_lang l, const char *w)
{
    return sf_is_stopword(l, w, strlen(w));
}

static void test_stopwords(void **state)
{
    (void)state;
    assert_true(stop(SF_LANG_EN, "the"));
    assert_true(stop(SF_LANG_EN, "which"));
    assert_false(stop(SF_LANG_EN, "xiaomi"));
    assert_false(stop(SF_LANG_EN, "The")); /* callers pass folded words */
    assert_true(stop(SF_LANG_UNKNOWN, "the")); /* unknown -> English */
    assert_true(stop(SF_LANG_ES, "del"));
    assert_true(stop(SF_LANG_ES, "también"));
    assert_false(stop(SF_LANG_ES, "coche"));
    assert_true(stop(SF_LANG_IT, "della"));
    assert_true(stop(SF_LANG_IT, "perché"));
    assert_false(stop(SF_LANG_IT, "auto"));
    assert_true(stop(SF_LANG_VI, "của"));
    assert_true(stop(SF_LANG_VI, "những"));
    assert_true(stop(SF_LANG_VI, "được"));
    assert_false(stop(SF_LANG_VI, "xe"));
    assert_true(stop(SF_LANG_DE, "und"));
    assert_true(stop(SF_LANG_DE, "über"));
    assert_true(stop(SF_LANG_DE, "dass"));
    assert_false(stop(SF_LANG_DE, "auto"));
    assert_true(stop(SF_LANG_FR, "les"));
    assert_true(stop(SF_LANG_FR, "à"));
    assert_false(stop(SF_LANG_FR, "voiture"));
    assert_true(stop(SF_LANG_PT, "não"));
    assert_true(stop(SF_LANG_PT, "pelo"));
    assert_true(stop(SF_LANG_ID, "yang"));
    assert_true(stop(SF_LANG_TR, "için"));
    assert_true(stop(SF_LANG_RU, "что"));
    assert_true(stop(SF_LANG_NL, "het"));
    assert_true(stop(SF_LANG_PL, "się"));
    /* a word of one language is not a stop word of another */
    assert_false(stop(SF_LANG_EN, "und"));
    assert_false(stop(SF_LANG_DE, "the"));
    assert_false(stop(SF_LANG_ZH, "the"));
    assert_false(sf_is_stopword(SF_LANG_EN, "the", 0));
    assert_true(sf_is_stopword(SF_LANG_EN, "there", 3)); /* len bounds it */
}

/* Every listed stop word must already be in normalised form, or lookups
 * of normalised tokens would never find it. */
static void check_list(void *ctx, const char *name, const char *d, size_t n)
{
    size_t *files = ctx;
    (*files)++;
    const char *end = d + n;
    while (d < end) {
        const char *eol = memchr(d, '\n', (size_t)(end - d));
        if (!eol)
            eol = end;
        size_t len = (size_t)(eol - d);
        if (len && *d != '#') {
            sf_buf b;
            sf_buf_init(&b, 0);
            assert_true(sf_normalize(d, len, &b));
            if (b.len != len || memcmp(b.data, d, len) != 0)
                fail_msg("%s: \"%.*s\" is not normalised", name, (int)len, d);
            sf_buf_free(&b);
            assert_null(memchr(d, ' ', len));
        }
        d = eol + 1;
    }
}

static void test_stopword_files_normalised(void **state)
{
    (void)state;
    size_t files = 0;
    sf_data_each("stopwords/", check_list, &files);
    assert_true(files >= 11);
}

/* ------------------------------------------------------------------ */
/* Language detection                                                  */
/* ------------------------------------------------------------------ */

static const struct { sf_lang lang; const char *text; } samples[] = {
    {SF_LANG_EN, "The company said on Monday that it was in talks with the "
     "state-owned carmaker about building electric vehicles at one of its "
     "plants, but no agreement had been reached so far."},
    {SF_LANG_ES, "La empresa dijo el lunes que estaba en conversaciones con "
     "el fabricante estatal para producir coches eléctricos en una de sus "
     "plantas, pero que todavía no se ha llegado a un acuerdo."},
    {SF_LANG_IT, "L'azienda ha detto lunedì che è in trattative con il "
     "costruttore statale per produrre auto elettriche in uno dei suoi "
     "stabilimenti, ma che non è stato ancora raggiunto un accordo."},
    {SF_LANG_VI, "Công ty cho biết hôm thứ Hai rằng họ đang đàm phán với "
     "nhà sản xuất ô tô nhà nước để sản xuất xe điện tại một trong những "
     "nhà máy của mình, nhưng chưa đạt được thỏa thuận nào."},
    {SF_LANG_DE, "Das Unternehmen sagte am Montag, dass es mit dem staatlichen "
     "Autobauer über den Bau von Elektroautos in einem seiner Werke "
     "verhandle, eine Einigung sei aber noch nicht erzielt worden."},
    {SF_LANG_FR, "L'entreprise a déclaré lundi qu'elle était en discussion "
     "avec le constructeur public pour produire des voitures électriques "
     "dans une de ses usines, mais qu'aucun accord n'a encore été trouvé."},
    {SF_LANG_PT, "A empresa disse na segunda-feira que está em negociações "
     "com a montadora estatal para produzir carros elétricos em uma de suas "
     "fábricas, mas que ainda não foi fechado nenhum acordo."},
    {SF_LANG_ID, "Perusahaan itu mengatakan pada hari Senin bahwa mereka "
     "sedang berunding dengan produsen mobil milik negara untuk membuat "
     "mobil listrik di salah satu pabriknya, tetapi belum ada kesepakatan."},
    {SF_LANG_TR, "Şirket pazartesi günü yaptığı açıklamada, fabrikalarından "
     "birinde elektrikli araç üretmek için devlete ait otomobil üreticisi "
     "ile görüşmeler yaptığını, ancak henüz bir anlaşmaya varılmadığını "
     "söyledi. Bu konuda daha fazla bilgi verilmedi ve şirket de yorum yapmadı."},
    {SF_LANG_NL, "Het bedrijf zei maandag dat het in gesprek is met de "
     "staatsautofabrikant over de bouw van elektrische auto's in een van "
     "zijn fabrieken, maar dat er nog geen akkoord is bereikt."},
    {SF_LANG_PL, "Firma poinformowała w poniedziałek, że prowadzi rozmowy z "
     "państwowym producentem samochodów o produkcji aut elektrycznych w "
     "jednej ze swoich fabryk, ale nie osiągnięto jeszcze porozumienia."},
    {SF_LANG_RU, "Компания заявила в понедельник, что ведёт переговоры с "
     "государственным автопроизводителем о выпуске электромобилей на одном "
     "из своих заводов, но соглашение пока не достигнуто."},
    {SF_LANG_ZH, "小米公司周一表示，正在与北京汽车集团洽谈合作生产电动汽车，"
     "但双方尚未达成协议。"},
    {SF_LANG_JA, "小米は月曜日、北京汽車集団と電気自動車の生産について協議して"
     "いると発表したが、まだ合意には至っていないという。"},
    {SF_LANG_KO, "샤오미는 월요일 베이징자동차와 전기차 생산을 위한 협상을 "
     "진행하고 있다고 밝혔지만 아직 합의에 이르지 못했다."},
    {SF_LANG_TH, "บริษัทกล่าวเมื่อวันจันทร์ว่ากำลังเจรจากับผู้ผลิตรถยนต์"
     "ของรัฐเพื่อผลิตรถยนต์ไฟฟ้า แต่ยังไม่ได้ข้อตกลง"},
    {SF_LANG_AR, "قالت الشركة يوم الاثنين إنها تجري محادثات مع شركة صناعة "
     "السيارات الحكومية لإنتاج سيارات كهربائية في أحد مصانعها."},
};

static void test_detect(void **state)
{
    (void)state;
    for (size_t i = 0; i < SF_ARRAY_LEN(samples); i++) {
        sf_lang got = sf_lang_detect(samples[i].text, strlen(samples[i].text));
        if (got != samples[i].lang)
            fail_msg("sample %zu: expected %s, got %s", i,
                     sf_lang_code(samples[i].lang), sf_lang_code(got));
    }
}

static void test_detect_unsure(void **state)
{
    (void)state;
    assert_int_equal(sf_lang_detect("", 0), SF_LANG_UNKNOWN);
    assert_int_equal(sf_lang_detect(NULL, 0), SF_LANG_UNKNOWN);
    assert_int_equal(sf_lang_detect("12345 67890 !!!", 15), SF_LANG_UNKNOWN);
    const char *names = "Xiaomi BAIC Beijing Lei Jun SU7 Hyundai";
    assert_int_equal(sf_lang_detect(names, strlen(names)), SF_LANG_UNKNOWN);
    const char bad[] = "\xff\xfe\xc3\x28\xe2\x82 the \xf0\x9f and of the in";
    (void)sf_lang_detect(bad, sizeof bad - 1); /* must not crash */
}

/* English furniture around a Chinese article: the article wins. */
static void test_detect_mixed(void **state)
{
    (void)state;
    char buf[2048];
    snprintf(buf, sizeof buf, "Home | News | Share on Facebook | Login\n%s\n"
             "Copyright 2023 All rights reserved", samples[12].text);
    assert_int_equal(sf_lang_detect(buf, strlen(buf)), SF_LANG_ZH);
}

/* Only the first 8 KiB count. */
static void test_detect_prefix(void **state)
{
    (void)state;
    const char *de = samples[4].text, *en = samples[0].text;
    size_t dl = strlen(de), el = strlen(en);
    size_t n = 0, cap = 64 * 1024;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while (n + dl + 1 < 8000) {
        memcpy(buf + n, de, dl);
        n += dl;
        buf[n++] = ' ';
    }
    while (n + el + 1 < cap) {
        memcpy(buf + n, en, el);
        n += el;
        buf[n++] = ' ';
    }
    assert_int_equal(sf_lang_detect(buf, n), SF_LANG_DE);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_codes),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_stopword_files_normalised),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_detect_unsure),
        cmocka_unit_test(test_detect_mixed),
        cmocka_unit_test(test_detect_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
