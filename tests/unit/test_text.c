/* Tests of the text module: languages, stop words, normalising,
 * tokenising and stemming. */
#include "harness.h"

#include "text.h"
#include "data.h"
#include "common.h"

#include <utf8proc.h>

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

/* ------------------------------------------------------------------ */
/* Normalising                                                         */
/* ------------------------------------------------------------------ */

static void check_norm(const char *in, size_t len, const char *want)
{
    sf_buf b;
    sf_buf_init(&b, 0);
    assert_true(sf_normalize(in, len, &b));
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    sf_buf_free(&b);
}

/* A run of only ignorable characters (soft hyphens) normalises to
 * nothing; found by the tokeniser fuzzer. */
static void test_normalize_only_ignorable(void **state)
{
    (void)state;
    sf_buf b;
    sf_buf_init(&b, 0);
    assert_true(sf_normalize("\xc2\xad", 2, &b));
    assert_int_equal(b.len, 0);
    assert_true(sf_normalize("y\xc2\xad", 3, &b));
    assert_int_equal(b.len, 1);
    assert_int_equal(b.data[0], 'y');
    sf_buf_free(&b);
}

static void test_normalize(void **state)
{
    (void)state;
    check_norm("Hello World", 11, "hello world");
    check_norm("Straße", strlen("Straße"), "strasse");
    check_norm("\xef\xac\x81nance", strlen("\xef\xac\x81nance"), "finance");
    check_norm("\xef\xbc\x93\xef\xbc\x90\xef\xbc\x90", 9, "300"); /* ３００ */
    check_norm("ÉCOLE", strlen("ÉCOLE"), "école");
    /* decomposed e + combining acute composes to é */
    check_norm("e\xcc\x81t\xc3\xa9", 6, "\xc3\xa9t\xc3\xa9");
    check_norm("ΣΟΦΙΑ", strlen("ΣΟΦΙΑ"), "σοφια");
    check_norm("soft\xc2\xadhyphen", 12, "softhyphen");
    /* invalid bytes are dropped, the rest kept */
    check_norm("a\xff" "B\xc3(", 5, "ab(");
    check_norm("", 0, "");
    /* appends to what is there */
    sf_buf b;
    sf_buf_init(&b, 0);
    assert_true(sf_buf_puts(&b, "x:"));
    assert_true(sf_normalize("ABC", 3, &b));
    assert_string_equal(b.data, "x:abc");
    sf_buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Tokenising                                                          */
/* ------------------------------------------------------------------ */

typedef struct tok {
    char norm[1024];
    size_t start, end;
    unsigned flags;
} tok;

typedef struct toks {
    tok t[256];
    size_t n;
    size_t stop_after; /* 0 = never stop */
} toks;

static int collect(void *ctx, const sf_token *t)
{
    toks *ts = ctx;
    assert_true(ts->n < SF_ARRAY_LEN(ts->t));
    assert_true(t->norm_len > 0 && t->norm_len < sizeof ts->t[0].norm);
    assert_true(t->start < t->end);
    tok *o = &ts->t[ts->n++];
    memcpy(o->norm, t->norm, t->norm_len);
    o->norm[t->norm_len] = '\0';
    o->start = t->start;
    o->end = t->end;
    o->flags = t->flags;
    return ts->stop_after && ts->n >= ts->stop_after;
}

static toks *run(const char *text, sf_lang lang, unsigned opts)
{
    static toks ts;
    memset(&ts, 0, sizeof ts);
    sf_text *t = sf_text_new();
    assert_non_null(t);
    assert_int_equal(sf_tokenize(t, text, strlen(text), lang, opts, collect,
                                 &ts), SF_OK);
    sf_text_free(t);
    return &ts;
}

/* Checks token i: its normal form and that its offsets cover src. */
static void check_tok(const char *text, const toks *ts, size_t i,
                      const char *norm, const char *src)
{
    if (i >= ts->n)
        fail_msg("token %zu missing (have %zu), wanted %s", i, ts->n, norm);
    const tok *t = &ts->t[i];
    if (strcmp(t->norm, norm) != 0)
        fail_msg("token %zu: norm \"%s\", wanted \"%s\"", i, t->norm, norm);
    size_t n = t->end - t->start;
    if (n != strlen(src) || memcmp(text + t->start, src, n) != 0)
        fail_msg("token %zu: source \"%.*s\", wanted \"%s\"", i, (int)n,
                 text + t->start, src);
}

static void test_tokenize_words(void **state)
{
    (void)state;
    const char *s = "Xiaomi’s BAIC deal: The \xef\xac\x81rst Straße, co-op.";
    toks *ts = run(s, SF_LANG_EN, 0);
    assert_int_equal(ts->n, 8);
    check_tok(s, ts, 0, "xiaomi", "Xiaomi"); /* possessive dropped */
    check_tok(s, ts, 1, "baic", "BAIC");
    check_tok(s, ts, 2, "deal", "deal");
    check_tok(s, ts, 3, "the", "The");
    check_tok(s, ts, 4, "first", "\xef\xac\x81rst");
    check_tok(s, ts, 5, "strasse", "Straße");
    check_tok(s, ts, 6, "co", "co");
    check_tok(s, ts, 7, "op", "op");
    assert_int_equal(ts->t[0].flags, SF_TOK_CAPITAL | SF_TOK_SENTSTART);
    assert_int_equal(ts->t[1].flags, SF_TOK_CAPITAL | SF_TOK_ALLCAPS);
    assert_int_equal(ts->t[2].flags, 0);
    assert_int_equal(ts->t[3].flags, SF_TOK_CAPITAL | SF_TOK_STOP);
    assert_int_equal(ts->t[5].flags, SF_TOK_CAPITAL);
}

static void test_tokenize_offsets_sentences(void **state)
{
    (void)state;
    const char *s = "One two! three? Four\nfive. A I É";
    toks *ts = run(s, SF_LANG_EN, 0);
    const char *want[] = {"One", "two", "three", "Four", "five", "A", "I", "É"};
    assert_int_equal(ts->n, SF_ARRAY_LEN(want));
    for (size_t i = 0; i < ts->n; i++) {
        size_t n = strlen(want[i]);
        assert_int_equal(ts->t[i].end - ts->t[i].start, n);
        assert_memory_equal(s + ts->t[i].start, want[i], n);
    }
    const unsigned ss = SF_TOK_SENTSTART;
    assert_true(ts->t[0].flags & ss);
    assert_false(ts->t[1].flags & ss);
    assert_true(ts->t[2].flags & ss);  /* after ! */
    assert_true(ts->t[3].flags & ss);  /* after ? */
    assert_true(ts->t[4].flags & ss);  /* after a newline */
    assert_true(ts->t[5].flags & ss);  /* after . */
    assert_false(ts->t[6].flags & ss);
    /* one letter is not ALLCAPS; É is a capital */
    assert_false(ts->t[6].flags & SF_TOK_ALLCAPS);
    assert_true(ts->t[7].flags & SF_TOK_CAPITAL);
    assert_string_equal(ts->t[7].norm, "é");
}

static void test_tokenize_numbers(void **state)
{
    (void)state;
    const char *s = "300,000 cars, 3,00,000 rupees, 1.5 bn, 2024. "
                    "300\xc2\xa0" "000 and 300 000 and \xef\xbc\x93\xef\xbc\x90 SU7 4G";
    toks *ts = run(s, SF_LANG_EN, 0);
    check_tok(s, ts, 0, "300,000", "300,000");
    assert_int_equal(ts->t[0].flags, SF_TOK_NUMBER | SF_TOK_SENTSTART);
    check_tok(s, ts, 1, "cars", "cars");
    check_tok(s, ts, 2, "3,00,000", "3,00,000");
    check_tok(s, ts, 4, "1.5", "1.5");
    check_tok(s, ts, 6, "2024", "2024"); /* the final . is not part of it */
    assert_true(ts->t[6].flags & SF_TOK_NUMBER);
    /* no-break space between digit groups: one token, space dropped */
    check_tok(s, ts, 7, "300000", "300\xc2\xa0" "000");
    assert_true(ts->t[7].flags & SF_TOK_SENTSTART); /* after "2024." */
    /* an ordinary space separates */
    check_tok(s, ts, 9, "300", "300");
    check_tok(s, ts, 10, "000", "000");
    check_tok(s, ts, 12, "30", "\xef\xbc\x93\xef\xbc\x90"); /* full width */
    assert_true(ts->t[12].flags & SF_TOK_NUMBER);
    check_tok(s, ts, 13, "su7", "SU7");
    assert_int_equal(ts->t[13].flags, SF_TOK_CAPITAL | SF_TOK_ALLCAPS);
    check_tok(s, ts, 14, "4g", "4G");
    assert_int_equal(ts->t[14].flags, SF_TOK_NUMBER);
    assert_int_equal(ts->n, 15);
}

static void test_tokenize_cjk(void **state)
{
    (void)state;
    const char *s = "小米汽车2024年，中 カタカナ";
    toks *ts = run(s, SF_LANG_ZH, 0);
    check_tok(s, ts, 0, "小米", "小米");
    check_tok(s, ts, 1, "米汽", "米汽");
    check_tok(s, ts, 2, "汽车", "汽车");
    for (size_t i = 0; i < 3; i++)
        assert_true(ts->t[i].flags & SF_TOK_BIGRAM);
    check_tok(s, ts, 3, "2024", "2024");
    assert_true(ts->t[3].flags & SF_TOK_NUMBER);
    check_tok(s, ts, 4, "年", "年");     /* a lone character: a unigram */
    assert_false(ts->t[4].flags & SF_TOK_BIGRAM);
    check_tok(s, ts, 5, "中", "中");
    check_tok(s, ts, 6, "カタ", "カタ");
    check_tok(s, ts, 7, "タカ", "タカ");
    check_tok(s, ts, 8, "カナ", "カナ");
    assert_int_equal(ts->n, 9);
    /* half-width katakana is normalised to full width */
    const char *h = "\xef\xbd\xb6\xef\xbe\x80";  /* ｶﾀ */
    ts = run(h, SF_LANG_JA, 0);
    assert_int_equal(ts->n, 1);
    check_tok(h, ts, 0, "カタ", h);
}

static void test_tokenize_thai_korean(void **state)
{
    (void)state;
    /* Thai: units are a letter plus its combining vowel/tone marks */
    const char *s = "ไฟฟ้า";  /* ไ ฟ ฟ้ า */
    toks *ts = run(s, SF_LANG_TH, 0);
    assert_int_equal(ts->n, 3);
    check_tok(s, ts, 0, "ไฟ", "ไฟ");
    check_tok(s, ts, 1, "ฟฟ้", "ฟฟ้");
    check_tok(s, ts, 2, "ฟ้า", "ฟ้า");
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(ts->t[i].flags & SF_TOK_BIGRAM, SF_TOK_BIGRAM);
    /* Hangul is written with spaces: ordinary words */
    const char *k = "샤오미는 전기차를";
    ts = run(k, SF_LANG_KO, 0);
    assert_int_equal(ts->n, 2);
    check_tok(k, ts, 0, "샤오미는", "샤오미는");
    check_tok(k, ts, 1, "전기차를", "전기차를");
    assert_false(ts->t[0].flags & SF_TOK_BIGRAM);
}

static void test_tokenize_apostrophes(void **state)
{
    (void)state;
    const char *s = "l'auto dell’azienda don't it's";
    toks *ts = run(s, SF_LANG_IT, 0);
    const char *want[] = {"l", "auto", "dell", "azienda", "don", "t", "it"};
    assert_int_equal(ts->n, SF_ARRAY_LEN(want));
    for (size_t i = 0; i < ts->n; i++)
        assert_string_equal(ts->t[i].norm, want[i]);
    assert_true(ts->t[0].flags & SF_TOK_STOP);
    assert_true(ts->t[2].flags & SF_TOK_STOP);
    /* Turkish: the suffix after an apostrophe on a name is dropped */
    const char *tr = "Türkiye'nin başkenti";
    ts = run(tr, SF_LANG_TR, 0);
    assert_int_equal(ts->n, 2);
    check_tok(tr, ts, 0, "türkiye", "Türkiye");
    check_tok(tr, ts, 1, "başkenti", "başkenti");
}

static void test_tokenize_stopwords(void **state)
{
    (void)state;
    const char *s = "The car and the driver";
    toks *ts = run(s, SF_LANG_EN, 0);
    assert_int_equal(ts->n, 5);
    assert_true(ts->t[0].flags & SF_TOK_STOP);
    assert_false(ts->t[1].flags & SF_TOK_STOP);
    assert_true(ts->t[2].flags & SF_TOK_STOP);
    ts = run(s, SF_LANG_EN, SF_TOKENIZE_NOSTOP);
    assert_int_equal(ts->n, 2);
    check_tok(s, ts, 0, "car", "car");
    check_tok(s, ts, 1, "driver", "driver");
    /* the language decides what is a stop word */
    const char *v = "Xe của những người được bán";
    ts = run(v, SF_LANG_VI, SF_TOKENIZE_NOSTOP);
    assert_int_equal(ts->n, 2);
    check_tok(v, ts, 0, "xe", "Xe");
    check_tok(v, ts, 1, "bán", "bán");
    const char *d = "Das Auto und die Straße";
    ts = run(d, SF_LANG_DE, SF_TOKENIZE_NOSTOP);
    assert_int_equal(ts->n, 2);
    assert_string_equal(ts->t[0].norm, "auto");
    assert_string_equal(ts->t[1].norm, "strasse");
}

static void test_tokenize_stem(void **state)
{
    (void)state;
    toks *ts = run("Running runners connected the cars 2024", SF_LANG_EN,
                   SF_TOKENIZE_STEM);
    assert_int_equal(ts->n, 6);
    assert_string_equal(ts->t[0].norm, "run");
    assert_string_equal(ts->t[1].norm, "runner");
    assert_string_equal(ts->t[2].norm, "connect");
    assert_string_equal(ts->t[3].norm, "the");   /* stop words unstemmed */
    assert_string_equal(ts->t[4].norm, "car");
    assert_string_equal(ts->t[5].norm, "2024");
    /* the flags still describe the original */
    assert_true(ts->t[0].flags & SF_TOK_CAPITAL);
    ts = run("coches eléctricos", SF_LANG_ES, SF_TOKENIZE_STEM);
    assert_int_equal(ts->n, 2);
    assert_string_equal(ts->t[0].norm, "coch");
    assert_string_equal(ts->t[1].norm, "electr");
    ts = run("Häuser Fahrzeuge", SF_LANG_DE, SF_TOKENIZE_STEM);
    assert_int_equal(ts->n, 2);
    assert_string_equal(ts->t[0].norm, "haus");
    assert_string_equal(ts->t[1].norm, "fahrzeug");
    /* no stemmer for Vietnamese or unknown text: words stay as they are */
    ts = run("những chiếc xe", SF_LANG_VI, SF_TOKENIZE_STEM);
    assert_string_equal(ts->t[1].norm, "chiếc");
    ts = run("running", SF_LANG_UNKNOWN, SF_TOKENIZE_STEM);
    assert_string_equal(ts->t[0].norm, "running");
    /* without the option, no stemming */
    ts = run("running", SF_LANG_EN, 0);
    assert_string_equal(ts->t[0].norm, "running");
}

static void test_tokenize_bad_input(void **state)
{
    (void)state;
    /* invalid UTF-8 is skipped; tokens around it keep exact offsets */
    const char s[] = "ab\xff" "cd \xc3\x28 \xe2\x82 \xf0\x9f\x98 e\xed\xa0\x80" "f \xc0\xaf";
    toks *ts = run(s, SF_LANG_EN, 0);
    for (size_t i = 0; i < ts->n; i++) {
        if (strcmp(ts->t[i].norm, "(") == 0)
            fail_msg("punctuation is not a token");
        assert_true(ts->t[i].end <= sizeof s - 1);
    }
    assert_int_equal(ts->n, 4);
    check_tok(s, ts, 0, "ab", "ab");
    check_tok(s, ts, 1, "cd", "cd");
    check_tok(s, ts, 2, "e", "e");
    check_tok(s, ts, 3, "f", "f");
    /* empty input: no tokens, OK */
    sf_text *t = sf_text_new();
    assert_non_null(t);
    toks *e = calloc(1, sizeof *e);
    assert_non_null(e);
    assert_int_equal(sf_tokenize(t, "", 0, SF_LANG_EN, 0, collect, e), SF_OK);
    assert_int_equal(sf_tokenize(t, NULL, 0, SF_LANG_EN, 0, collect, e), SF_OK);
    assert_int_equal(e->n, 0);
    assert_int_equal(sf_tokenize(t, NULL, 5, SF_LANG_EN, 0, collect, e),
                     SF_EINVAL);
    assert_int_equal(sf_tokenize(t, "x", 1, SF_LANG_EN, 0, NULL, e),
                     SF_EINVAL);
    /* every byte value, every length prefix: must not crash or overrun */
    unsigned char all[512];
    for (size_t i = 0; i < sizeof all; i++)
        all[i] = (unsigned char)(i * 37 + (i >> 3));
    for (size_t n = 0; n <= sizeof all; n += 7) {
        e->n = 0;
        assert_int_equal(sf_tokenize(t, (const char *)all, n, SF_LANG_EN,
                                     SF_TOKENIZE_STEM, collect, e), SF_OK);
        for (size_t i = 0; i < e->n; i++)
            assert_true(e->t[i].end <= n);
    }
    free(e);
    sf_text_free(t);
    sf_text_free(NULL);
}

static void test_tokenize_stop_early(void **state)
{
    (void)state;
    sf_text *t = sf_text_new();
    assert_non_null(t);
    toks *ts = calloc(1, sizeof *ts);
    assert_non_null(ts);
    ts->stop_after = 2;
    const char *s = "one two three four 小米汽车";
    assert_int_equal(sf_tokenize(t, s, strlen(s), SF_LANG_EN, 0, collect, ts),
                     SF_OK);
    assert_int_equal(ts->n, 2);
    /* also inside a bigram run */
    memset(ts, 0, sizeof *ts);
    ts->stop_after = 2;
    s = "小米汽车";
    assert_int_equal(sf_tokenize(t, s, strlen(s), SF_LANG_ZH, 0, collect, ts),
                     SF_OK);
    assert_int_equal(ts->n, 2);
    /* the context is reusable afterwards */
    memset(ts, 0, sizeof *ts);
    s = "Running again";
    assert_int_equal(sf_tokenize(t, s, strlen(s), SF_LANG_EN, SF_TOKENIZE_STEM,
                                 collect, ts), SF_OK);
    assert_int_equal(ts->n, 2);
    assert_string_equal(ts->t[0].norm, "run");
    free(ts);
    sf_text_free(t);
}

/* Every word token's normal form is sf_normalize() of its source bytes
 * (the fast paths must agree with utf8proc), in many scripts. */
typedef struct norm_check {
    const char *src;
    size_t n;
} norm_check;

static int check_norm_cb(void *ctx, const sf_token *t)
{
    norm_check *c = ctx;
    c->n++;
    if (t->flags & SF_TOK_NUMBER)
        return 0;
    sf_buf b;
    sf_buf_init(&b, 0);
    assert_true(sf_normalize(c->src + t->start, t->end - t->start, &b));
    if (b.len != t->norm_len || memcmp(b.data, t->norm, b.len) != 0)
        fail_msg("\"%.*s\" -> \"%.*s\", sf_normalize gives \"%s\"",
                 (int)(t->end - t->start), c->src + t->start,
                 (int)t->norm_len, t->norm, b.data);
    sf_buf_free(&b);
    return 0;
}

static void test_tokenize_norm_agrees(void **state)
{
    (void)state;
    sf_text *t = sf_text_new();
    assert_non_null(t);
    for (size_t i = 0; i < SF_ARRAY_LEN(samples); i++) {
        norm_check c = {samples[i].text, 0};
        assert_int_equal(sf_tokenize(t, c.src, strlen(c.src), samples[i].lang,
                                     0, check_norm_cb, &c), SF_OK);
        assert_true(c.n >= 5);
    }
    /* every letter of Latin-1 .. Cyrillic and Vietnamese, upper and lower,
     * alone and next to ASCII, plus ligatures, ſ, ŉ, İ, final sigma */
    char buf[16384];
    size_t n = 0;
    for (int32_t cp = 0xA0; cp < 0x530 || (cp >= 0x1E00 && cp < 0x1F00);
         cp = cp == 0x52F ? 0x1E00 : cp + 1) {
        unsigned char u[4];
        utf8proc_ssize_t k = utf8proc_encode_char(cp, u);
        assert_true(n + 2 * (size_t)k + 3 < sizeof buf);
        buf[n++] = 'A';
        memcpy(buf + n, u, (size_t)k);
        n += (size_t)k;
        memcpy(buf + n, u, (size_t)k);
        n += (size_t)k;
        buf[n++] = ' ';
    }
    const char *extra = " ﬁﬂ ſtraße ŉ İstanbul ΟΔΥΣΣΕΥΣ ὈΔΥΣΣΕΎΣ Ǆemal";
    assert_true(n + strlen(extra) < sizeof buf);
    memcpy(buf + n, extra, strlen(extra));
    n += strlen(extra);
    norm_check c = {buf, 0};
    assert_int_equal(sf_tokenize(t, buf, n, SF_LANG_UNKNOWN, 0, check_norm_cb,
                                 &c), SF_OK);
    assert_true(c.n > 500);
    /* bigram scripts (most bigrams are copied as they are): every kana and
     * CJK symbol, every fifth ideograph, every Thai character, all in runs,
     * kana next to ideographs, and with the combining sound marks */
    static char big[65536];
    n = 0;
    for (int32_t cp = 0x3000; cp < 0xA000; cp += cp < 0x3400 ? 1 : 5) {
        n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)big + n);
        if (cp % 64 == 0)
            n += (size_t)utf8proc_encode_char(0x3099, (utf8proc_uint8_t *)big + n);
    }
    for (int32_t cp = 0x0E00; cp < 0x0E80; cp++)
        n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)big + n);
    for (int32_t k = 0; k < 512; k++)
        n += (size_t)utf8proc_encode_char(k % 2 ? 0x4E00 + k * 37 : 0x3041 + k % 90,
                                          (utf8proc_uint8_t *)big + n);
    assert_true(n < sizeof big);
    norm_check cj = {big, 0};
    assert_int_equal(sf_tokenize(t, big, n, SF_LANG_ZH, 0, check_norm_cb, &cj), SF_OK);
    assert_true(cj.n > 5000);
    sf_text_free(t);
}

/* Stems from the cache equal fresh ones. */
static void test_tokenize_stem_cache(void **state)
{
    (void)state;
    const char *s = "connections connected connecting nationalities "
                    "internationalisation connections connected";
    toks *ts = run(s, SF_LANG_EN, SF_TOKENIZE_STEM);
    const char *want[] = {"connect", "connect", "connect", "nation",
                          "internationalis", "connect", "connect"};
    assert_int_equal(ts->n, SF_ARRAY_LEN(want));
    for (size_t i = 0; i < ts->n; i++)
        assert_string_equal(ts->t[i].norm, want[i]);
    /* the same word in two languages does not share a cache entry */
    sf_text *t = sf_text_new();
    assert_non_null(t);
    toks *a = calloc(1, sizeof *a);
    assert_non_null(a);
    assert_int_equal(sf_tokenize(t, "generation", 10, SF_LANG_FR,
                                 SF_TOKENIZE_STEM, collect, a), SF_OK);
    assert_int_equal(sf_tokenize(t, "generation", 10, SF_LANG_EN,
                                 SF_TOKENIZE_STEM, collect, a), SF_OK);
    assert_int_equal(a->n, 2);
    assert_string_equal(a->t[0].norm, "gener");
    assert_string_equal(a->t[1].norm, "generat");
    free(a);
    sf_text_free(t);
}

/* A digest of every token: its norm, flags and hash (which must be the
 * hash of the norm). */
typedef struct digest {
    uint64_t sum;
    size_t n, stops;
} digest;

static int digest_token(void *ctx, const sf_token *t)
{
    digest *d = ctx;
    assert_true(t->hash == sf_hash64(t->norm, t->norm_len, 0));
    d->sum = d->sum * 31 + t->hash + t->flags;
    d->n++;
    d->stops += (t->flags & SF_TOK_STOP) != 0;
    return 0;
}

/* The table of seen words gives what a fresh context gives, also after
 * it filled up and started again, and in each language and mode. */
static void test_tokenize_word_table(void **state)
{
    (void)state;
    /* 100,000 distinct words (more than the table holds), with stop words,
     * months and stemmed words among them, then the same text again */
    sf_buf b;
    sf_buf_init(&b, 0);
    for (unsigned i = 0; i < 100000; i++) {
        char w[16];
        unsigned x = i;
        size_t n = 0;
        do {
            w[n++] = (char)('a' + x % 26);
            x /= 26;
        } while (x);
        assert_true(sf_buf_append(&b, w, n));
        assert_true(sf_buf_puts(&b, i % 7 ? "ing the " : "s May connections "));
    }
    sf_text *t = sf_text_new();
    assert_non_null(t);
    static const unsigned opts[] = {SF_TOKENIZE_STEM, 0, SF_TOKENIZE_STEM | SF_TOKENIZE_NOSTOP};
    for (size_t o = 0; o < SF_ARRAY_LEN(opts); o++) {
        digest first = {0}, again = {0}, fresh = {0}, other = {0};
        assert_int_equal(sf_tokenize(t, b.data, b.len, SF_LANG_EN, opts[o], digest_token,
                                     &first), SF_OK);
        assert_int_equal(sf_tokenize(t, b.data, b.len, SF_LANG_FR, opts[o], digest_token,
                                     &other), SF_OK);
        assert_int_equal(sf_tokenize(t, b.data, b.len, SF_LANG_EN, opts[o], digest_token,
                                     &again), SF_OK);
        sf_text *u = sf_text_new();
        assert_non_null(u);
        assert_int_equal(sf_tokenize(u, b.data, b.len, SF_LANG_EN, opts[o], digest_token,
                                     &fresh), SF_OK);
        sf_text_free(u);
        assert_true(first.sum == again.sum && first.sum == fresh.sum);
        assert_int_equal(first.n, fresh.n);
        assert_true(other.sum != first.sum);
        if (opts[o] & SF_TOKENIZE_NOSTOP)
            assert_int_equal(first.stops, 0);
        else
            assert_true(first.stops >= 100000);
    }
    sf_text_free(t);
    sf_buf_free(&b);
}

/* A reference tokeniser for text made of ASCII, é, É, the apostrophe ’,
 * the no-break space, the em dash and the full-width digit 1, written from the rules in text.h
 * (one code point at a time, no fast paths), for English without
 * stemming. */
enum { R_OTHER, R_LOWER, R_UPPER, R_DIGIT, R_APOS, R_NUMSEP };

static size_t ref_unit(const char *s, size_t len, size_t i, int *kind, int *sent)
{
    unsigned char c = (unsigned char)s[i];
    *sent = 0;
    if (c >= 0x80) {
        if (c == 0xC3) { /* é, É */
            *kind = (unsigned char)s[i + 1] == 0xA9 ? R_LOWER : R_UPPER;
            return 2;
        }
        if (c == 0xC2) { /* no-break space */
            *kind = R_NUMSEP;
            return 2;
        }
        if (c == 0xEF) { /* full-width 1 (EF BC 91) */
            *kind = R_DIGIT;
            return 3;
        }
        /* ’ (E2 80 99) or — (E2 80 94) */
        *kind = (unsigned char)s[i + 2] == 0x99 ? R_APOS : R_OTHER;
        return 3;
    }
    (void)len;
    *sent = c == '.' || c == '!' || c == '?' || c == '\n';
    *kind = c >= 'a' && c <= 'z' ? R_LOWER : c >= 'A' && c <= 'Z' ? R_UPPER
          : c >= '0' && c <= '9' ? R_DIGIT : c == '\'' ? R_APOS
          : c == ',' || c == '.' ? R_NUMSEP : R_OTHER;
    return 1;
}

static int ref_kind_at(const char *s, size_t len, size_t i)
{
    int kd, sent;
    if (i >= len)
        return R_OTHER;
    ref_unit(s, len, i, &kd, &sent);
    return kd;
}

static void ref_tokenize(const char *s, size_t len, toks *out)
{
    memset(out, 0, sizeof *out);
    bool sent = true;
    size_t i = 0;
    while (i < len) {
        int kd, is_sent;
        size_t n = ref_unit(s, len, i, &kd, &is_sent);
        if (kd != R_LOWER && kd != R_UPPER && kd != R_DIGIT) {
            sent = sent || is_sent;
            i += n;
            continue;
        }
        tok *t = &out->t[out->n++];
        assert_true(out->n < SF_ARRAY_LEN(out->t));
        size_t start = i, w = 0, ups = 0, lows = 0;
        bool number = kd == R_DIGIT;
        int prev = kd;
        t->flags = (number ? SF_TOK_NUMBER : 0) | (kd == R_UPPER ? SF_TOK_CAPITAL : 0) |
                   (sent ? SF_TOK_SENTSTART : 0);
        sent = false;
        while (i < len) {
            n = ref_unit(s, len, i, &kd, &is_sent);
            if (kd == R_LOWER || kd == R_UPPER || kd == R_DIGIT) {
                ups += kd == R_UPPER;
                lows += kd == R_LOWER;
            } else if (!(kd == R_NUMSEP && number && prev == R_DIGIT &&
                         ref_kind_at(s, len, i + n) == R_DIGIT)) {
                break;
            }
            if (kd == R_NUMSEP && n == 2) {
                /* the no-break space is dropped from a number */
            } else if (kd == R_DIGIT && n == 3) {
                t->norm[w++] = '1';
            } else if (n == 2) {
                memcpy(t->norm + w, "\xc3\xa9", 2); /* É and é fold to é */
                w += 2;
            } else {
                char c = s[i];
                t->norm[w++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
            }
            prev = kd;
            i += n;
        }
        t->start = start;
        t->end = i;
        if (ups >= 2 && lows == 0)
            t->flags |= SF_TOK_ALLCAPS;
        if (!number && sf_is_stopword(SF_LANG_EN, t->norm, w))
            t->flags |= SF_TOK_STOP;
        else if (!number && sf_is_calendar_word(SF_LANG_EN, t->norm, w))
            t->flags |= SF_TOK_CALENDAR;
        /* a possessive 's after a word that does not end in a digit */
        if (i < len && prev != R_DIGIT && prev != R_NUMSEP && ref_kind_at(s, len, i) == R_APOS) {
            size_t tail = i + ((unsigned char)s[i] == '\'' ? 1 : 3);
            if (tail < len && (s[tail] | 0x20) == 's') {
                int after = ref_kind_at(s, len, tail + 1);
                if (after != R_LOWER && after != R_UPPER && after != R_DIGIT)
                    i = tail + 1;
            }
        }
    }
}

/* ASCII words take a fast path (8 bytes at a time, straight into the word
 * table): random texts of ASCII words, numbers, separators, apostrophes
 * and a few non-ASCII characters, at every length, tokenise as the
 * reference says, with a warm and a cold word table. */
static void test_tokenize_fast_path_agrees(void **state)
{
    (void)state;
    static const char *const parts[] = {
        "a", "B", "Cd", "xyzzy", "ABC", "IBM", "iPhone", "Running", "the", "The", "MAY",
        "may", "s", "S", "1", "42", "3", "2024", "4G", "SU7", "x9", " ", " ", "  ", ",",
        ".", "'", "'s", "'S", "\xe2\x80\x99s", "\xe2\x80\x99", "\xc2\xa0", "\xc3\xa9",
        "\xc3\x89", "\xe2\x80\x94", "\xef\xbc\x91", "-", "\n", "!", "?", "abcdefgh", "ABCDEFGHIJKLMNOP",
        "internationalisation", "abcdefghijklmnopqrstuvwxyzabcdef",
        "abcdefghijklmnopqrstuvwxyzabcdefg", "Zyxwvutsrqponmlkjihgfedcbazyxwvutsrqp"};
    sf_text *warm = sf_text_new();
    assert_non_null(warm);
    toks *want = calloc(1, sizeof *want), *got = calloc(1, sizeof *got);
    assert_non_null(want);
    assert_non_null(got);
    char text[1024];
    uint64_t r = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t len = 0, parts_n = 1 + round % 23;
        for (size_t p = 0; p < parts_n; p++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            const char *part = parts[(r >> 33) % SF_ARRAY_LEN(parts)];
            size_t n = strlen(part);
            assert_true(len + n < sizeof text);
            memcpy(text + len, part, n);
            len += n;
        }
        ref_tokenize(text, len, want);
        for (int pass = round % 10 ? 1 : 0; pass < 2; pass++) {
            sf_text *t = pass ? warm : sf_text_new();
            assert_non_null(t);
            memset(got, 0, sizeof *got);
            assert_int_equal(sf_tokenize(t, text, len, SF_LANG_EN, 0, collect, got), SF_OK);
            if (!pass)
                sf_text_free(t);
            if (got->n != want->n)
                fail_msg("\"%.*s\": %zu tokens, wanted %zu", (int)len, text, got->n, want->n);
            for (size_t i = 0; i < want->n; i++) {
                const tok *a = &got->t[i], *b = &want->t[i];
                if (strcmp(a->norm, b->norm) != 0 || a->start != b->start ||
                    a->end != b->end || a->flags != b->flags)
                    fail_msg("\"%.*s\" token %zu: \"%s\" %zu-%zu flags %x, wanted \"%s\" "
                             "%zu-%zu flags %x", (int)len, text, i, a->norm, a->start, a->end,
                             a->flags, b->norm, b->start, b->end, b->flags);
            }
        }
    }
    free(want);
    free(got);
    sf_text_free(warm);
}

/* sf_buf_json_string skips clean text 8 bytes at a time: every byte that
 * needs escaping, at every offset and in strings of every length up to
 * 40, comes out as a byte-at-a-time escaper writes it. */
static void ref_json(char *out, const unsigned char *s, size_t n)
{
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
            out[o++] = '\\';
            out[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : c == '\b' ? 'b' : 'f';
        } else if (c < 0x20) {
            o += (size_t)sprintf(out + o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}

static void test_json_string_escapes(void **state)
{
    (void)state;
    static const unsigned char special[] = {'"', '\\', 0, 1, '\n', '\t', 0x1f, 0x20, 0x21,
                                            0x5b, 0x5d, 0x7f, 0x80, 0xc3, 0xff, 'a'};
    unsigned char in[40];
    char want[40 * 6 + 3];
    size_t escaped = 0;
    for (size_t len = 0; len <= sizeof in; len++)
        for (size_t at = 0; at < len || (len == 0 && at == 0); at++)
            for (size_t k = 0; k < sizeof special; k++) {
                for (size_t i = 0; i < len; i++)
                    in[i] = (unsigned char)('a' + (i * 7) % 26);
                if (len > 0)
                    in[at] = special[k];
                if (len > 12 && k % 3 == 0)
                    in[(at + 9) % len] = '"'; /* a second one further on */
                ref_json(want, in, len);
                sf_buf b;
                sf_buf_init(&b, 0);
                assert_true(sf_buf_json_string(&b, (const char *)in, len));
                assert_int_equal(b.len, strlen(want));
                assert_memory_equal(b.data, want, b.len);
                escaped += b.len != len + 2;
                sf_buf_free(&b);
            }
    assert_true(escaped > 1000); /* escapes were met, not only clean text */
}

/* sf_buf_put_uint writes what printf's "%llu" writes. */
static void test_buf_put_uint(void **state)
{
    (void)state;
    static const uint64_t vals[] = {0, 1, 9, 10, 99, 100, 4294967295u, 4294967296u,
                                    1000000007u, 18446744073709551615u};
    sf_buf b, want;
    sf_buf_init(&b, 0);
    sf_buf_init(&want, 0);
    for (size_t k = 0; k < sizeof vals / sizeof vals[0]; k++)
        for (uint64_t d = 0; d < 3; d++) {
            uint64_t v = vals[k] - (vals[k] >= d ? d : 0);
            assert_true(sf_buf_put_uint(&b, v) && sf_buf_putc(&b, ','));
            assert_true(sf_buf_printf(&want, "%llu,", (unsigned long long)v));
        }
    assert_int_equal(b.len, want.len);
    assert_memory_equal(b.data, want.data, b.len);
    assert_true(b.data[b.len] == '\0');
    sf_buf_free(&b);
    sf_buf_free(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_codes),
        cmocka_unit_test(test_json_string_escapes),
        cmocka_unit_test(test_buf_put_uint),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_stopword_files_normalised),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_detect_unsure),
        cmocka_unit_test(test_detect_mixed),
        cmocka_unit_test(test_detect_prefix),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_tokenize_words),
        cmocka_unit_test(test_tokenize_offsets_sentences),
        cmocka_unit_test(test_tokenize_numbers),
        cmocka_unit_test(test_tokenize_cjk),
        cmocka_unit_test(test_tokenize_thai_korean),
        cmocka_unit_test(test_tokenize_apostrophes),
        cmocka_unit_test(test_tokenize_stopwords),
        cmocka_unit_test(test_tokenize_stem),
        cmocka_unit_test(test_tokenize_bad_input),
        cmocka_unit_test(test_tokenize_stop_early),
        cmocka_unit_test(test_tokenize_norm_agrees),
        cmocka_unit_test(test_tokenize_stem_cache),
        cmocka_unit_test(test_tokenize_word_table),
        cmocka_unit_test(test_tokenize_fast_path_agrees),
        cmocka_unit_test(test_normalize_only_ignorable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
