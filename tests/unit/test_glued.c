/*
 * test_glued.c — code and markup glued into a prose line (clean_glued.c):
 * the runs found in lines of prose in ten languages, the lines that must
 * stay whole (code inside a sentence, math, braces in quotes), and whole
 * pages cleaned with the pieces in the text, the removed list and the
 * line listing.
 */
#include "harness.h"

#include "clean_glued.h"

/* ---- runs found in one line ----------------------------------------------- */

typedef struct glued_case {
    const char *lang;
    const char *line;
    const char *code[3];   /* the runs expected, in order */
} glued_case;

static const glued_case found[] = {
    {"en",
     "The plant will make 300,000 cars a year, the company said. .in_text_content_22 "
     "{width: 300px; margin: 0 auto;} googletag.cmd.push(function() { "
     "googletag.display('div-gpt-ad-1'); });",
     {".in_text_content_22 {width: 300px; margin: 0 auto;} googletag.cmd.push(function() { "
      "googletag.display('div-gpt-ad-1'); });"}},
    {"es",
     "El Ayuntamiento aprobó el presupuesto de 2025 con los votos del gobierno municipal. "
     "window.dataLayer = window.dataLayer || []; La oposición votó en contra.",
     {"window.dataLayer = window.dataLayer || [];"}},
    {"fr",
     "{{ article.title }} Le conseil municipal a voté mardi soir la construction d'une ligne "
     "de tramway de 14 kilomètres.",
     {"{{ article.title }}"}},
    {"de",
     "Der Stadtrat hat am Dienstag den Bau einer neuen Straßenbahnlinie beschlossen. "
     "<div class=\"ad-container\" data-slot=\"mid\"></div> Die Kosten liegen bei 410 "
     "Millionen Euro.",
     {"<div class=\"ad-container\" data-slot=\"mid\"></div>"}},
    {"it",
     "Il sindaco ha annunciato che i lavori inizieranno nella primavera del prossimo anno. "
     "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Tram, "
     "via libera\"}",
     {"{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Tram, "
      "via libera\"}"}},
    {"pt",
     "A prefeitura informou que as obras devem durar três anos e custar R$ 2 bilhões. "
     "@media (max-width: 600px) {.ad-box {display: none;}} Os moradores serão indenizados.",
     {"@media (max-width: 600px) {.ad-box {display: none;}}"}},
    {"id",
     "Pemerintah kota menyatakan proyek tersebut akan selesai pada tahun 2027. "
     "(adsbygoogle = window.adsbygoogle || []).push({});",
     {"(adsbygoogle = window.adsbygoogle || []).push({});"}},
    {"vi",
     "Hội đồng thành phố đã thông qua dự án xây dựng tuyến tàu điện dài 14 km vào tối thứ "
     "Ba. <script>var slot = 'mid-1'; loadAd(slot);</script> Chi phí ước tính khoảng 410 "
     "triệu euro.",
     {"<script>var slot = 'mid-1'; loadAd(slot);</script>"}},
    {"tr",
     "Belediye meclisi yeni tramvay hattının yapımını salı akşamı oy çokluğuyla onayladı. "
     "{% include 'ads/inline.html' %} Hattın 2029 yılında açılması bekleniyor.",
     {"{% include 'ads/inline.html' %}"}},
    {"ru",
     "Городской совет во вторник одобрил строительство новой трамвайной линии длиной 14 "
     "километров. .article-banner {height: 250px; background: #f4f4f4;} Работы начнутся "
     "весной.",
     {".article-banner {height: 250px; background: #f4f4f4;}"}},
    /* two runs in one line; a quoted sentence ends before the code */
    {"en",
     "<!-- inline ad --> \"We will build it,\" the mayor said. gtag('event', 'view', "
     "{'slot': 2}); Work starts in May.",
     {"<!-- inline ad -->", "gtag('event', 'view', {'slot': 2});"}},
    /* a style block cut short by a teaser's "...": open to the line's end */
    {"en",
     "Russian invaders accused the army of breaking the truce. .in_text {width: 300px; "
     "height: 600px;...",
     {".in_text {width: 300px; height: 600px;..."}},
    /* a function called in place (a social button's loader) */
    {"it",
     "Il consiglio ha approvato il piano martedì sera. (function(d, s, id) { var js = "
     "d.createElement(s); js.id = id; d.body.appendChild(js); }(document, 'script', 'sdk')); "
     "I lavori inizieranno l'anno prossimo.",
     {"(function(d, s, id) { var js = d.createElement(s); js.id = id; d.body.appendChild(js); "
      "}(document, 'script', 'sdk'));"}},
    /* shortcodes of a blog, the closing one glued to the caption's stop */
    {"pt",
     "A câmara vai ouvir os moradores em maio. [caption id=\"attachment_12\" "
     "align=\"alignleft\" width=\"300\"] A nova paragem do elétrico.[/caption] A obra custa "
     "dois milhões.",
     {"[caption id=\"attachment_12\" align=\"alignleft\" width=\"300\"]", "[/caption]"}},
    /* a script opened at the line's end, its comment to the end */
    {"id",
     "Jalur baru itu akan melewati pasar lama dan rumah sakit. <script "
     "type=\"text/javascript\">// <![CDATA[",
     {"<script type=\"text/javascript\">// <![CDATA["}},
    {"de",
     "Die Bauarbeiten beginnen im Frühjahr.<br/> !function(e,t){e.ads=t}(window,document); "
     "Der Bürgermeister zeigte sich zufrieden.",
     {"<br/> !function(e,t){e.ads=t}(window,document);"}},
    /* a heading-less template run at the start, Spanish question marks after */
    {"es",
     "{* #registrationForm *} {* emailAddress *} ¿Quién pagará la obra? El gobierno "
     "regional aportará la mitad.",
     {"{* #registrationForm *} {* emailAddress *}"}},
};

static void test_runs_found(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
        const glued_case *g = &found[i];
        sf_span sp[SF_GLUED_MAX];
        size_t k = sf_glued_find(g->line, strlen(g->line), sp, SF_GLUED_MAX);
        size_t want = 0;
        while (want < 3 && g->code[want])
            want++;
        if (k != want)
            fail_msg("%s case %zu: %zu runs, expected %zu", g->lang, i, k, want);
        for (size_t r = 0; r < k; r++) {
            if (sp[r].len != strlen(g->code[r]) ||
                memcmp(g->line + sp[r].off, g->code[r], sp[r].len) != 0)
                fail_msg("%s case %zu: run \"%.*s\", expected \"%s\"", g->lang, i,
                         (int)sp[r].len, g->line + sp[r].off, g->code[r]);
        }
    }
}

/* ---- lines that stay whole ------------------------------------------------ */

static const char *const whole[] = {
    /* code inside a sentence, or after a colon */
    "Developers can call window.print() to print the page from their own scripts.",
    "To load the tag, add this line: gtag('config', 'UA-12345-1'); and reload the page.",
    "In CSS you write .note {color: red;} to colour every note on the page red.",
    "In Jinja a variable is written as {{ name }} and filled in when the page is built.",
    "Recibe notificaciones por correo electrónico sobre {{subject}} todos los días.",
    "Il a écrit <b>non</b> sur la feuille, puis il est parti sans un mot.",
    /* math, braces and angle brackets in prose */
    "The teacher wrote x = 3; then she asked the class to find y for the next test.",
    "Der Wert von f(x) = 2x + 1 ist bekannt; er wurde schon 2019 berechnet.",
    "The mayor called the plan \"a {very} bad idea\" and left the room. {sic} He did not return.",
    "The set {1, 2, 3} has three members. {x} is still unknown to the students.",
    "Il risultato era 3 < 5 e 7 > 2, ha detto l'insegnante ai ragazzi della classe.",
    "O preço é de 5 euros (IVA incluído); o resto é oferecido pela câmara municipal.",
    "Warga diminta membaca pengumuman di situs resmi (www.jakarta.go.id); informasi lain menyusul.",
    "Great news today. ;) See you all tomorrow at the station.",
    "Ông nói: \"Chúng tôi sẽ làm {tốt hơn}\". Sau đó ông rời đi.",
    "Bakan, <sonuç> kelimesini vurguladı. Toplantı iki saat sürdü.",
    "Он сказал, что a.b = c; это верно. Потом ушёл.",
    /* code, but the text after it does not start a sentence */
    "{{ article.title }} the council said on Tuesday that work would start in May.",
    "The plan was approved. window.dataLayer = window.dataLayer || []; and then nothing.",
    /* code glued to a word without a space */
    "The plan was approved. {{ x }}abc More work follows next year.",
    /* a line of code from end to end is judged whole by the cleaner */
    "googletag.cmd.push(function() { googletag.display('div-gpt-ad-1'); });",
    ".ad {width: 300px;} .ad-2 {height: 250px;}",
    /* code with a word or two beside it is a line of code */
    "var x = 1; X++; googletag.cmd.push(function() { googletag.display('a'); });",
    "googletag.cmd.push(function() { googletag.display('div-1'); }); Advertisement",
    /* a run of punctuation alone is no code */
    "He left. }); Then he came back with the keys.",
};

static void test_lines_whole(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        sf_span sp[SF_GLUED_MAX];
        size_t k = sf_glued_find(whole[i], strlen(whole[i]), sp, SF_GLUED_MAX);
        if (k)
            fail_msg("\"%s\": cut \"%.*s\"", whole[i], (int)sp[0].len, whole[i] + sp[0].off);
    }
    sf_span sp[1];
    assert_int_equal(sf_glued_find(NULL, 0, sp, 1), 0);
    assert_int_equal(sf_glued_find("", 0, sp, 1), 0);
    assert_int_equal(sf_glued_find(found[0].line, strlen(found[0].line), sp, 0), 0);
}

/* Unclosed brackets, deep nesting and long lines end without a cut and in
 * time (the scans have a budget per line). */
static void test_hostile_lines(void **state)
{
    (void)state;
    size_t n = 200000;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = "a( {\"x"[i % 6];
    s[n] = '\0';
    sf_span sp[SF_GLUED_MAX];
    assert_int_equal(sf_glued_find(s, n, sp, SF_GLUED_MAX), 0);
    memset(s, '{', n);
    memcpy(s, "End. ", 5);
    assert_int_equal(sf_glued_find(s, n, sp, SF_GLUED_MAX), 0);
    for (size_t i = 0; i < n; i++)
        s[i] = "x. a.b(c); "[i % 11];
    size_t k = sf_glued_find(s, n, sp, SF_GLUED_MAX);
    assert_true(k <= SF_GLUED_MAX);
    for (size_t r = 0; r < k; r++)
        assert_true(sp[r].off + sp[r].len <= n);
    free(s);
}

/* ---- whole pages ------------------------------------------------------------ */

static sf_clean_result *clean(const char *text)
{
    sf_article a;
    memset(&a, 0, sizeof a);
    a.text = text;
    a.text_len = strlen(text);
    sf_clean_result *c = NULL;
    assert_int_equal(sf_clean(&a, &c), SF_OK);
    return c;
}

static bool has(const char *s, size_t n, const char *what)
{
    size_t m = strlen(what);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(s + i, what, m) == 0)
            return true;
    return false;
}

/* Every piece listed by sf_clean_line is a span of its page line, in order,
 * and the pieces with the white space between them are the whole line. */
static void check_pieces(const char *page, const sf_clean_result *c)
{
    size_t pos = 0;
    uint64_t cur = 0;
    const char *line = NULL;
    size_t line_len = 0;
    for (size_t i = 0; i < sf_clean_line_count(c); i++) {
        uint64_t no;
        size_t len;
        const char *s = sf_clean_line(c, i, &no, &len, NULL, NULL);
        assert_non_null(s);
        if (no != cur) {
            /* find line `no` of the page */
            line = page;
            for (uint64_t k = 1; k < no; k++)
                line = strchr(line, '\n') + 1;
            const char *nl = strchr(line, '\n');
            line_len = nl ? (size_t)(nl - line) : strlen(line);
            pos = 0;
            cur = no;
        }
        while (pos < line_len && line[pos] == ' ')
            pos++;
        if (pos + len > line_len || memcmp(line + pos, s, len) != 0)
            fail_msg("line %llu: piece \"%.*s\" not next in \"%.*s\"", (unsigned long long)no,
                     (int)len, s, (int)line_len, line);
        pos += len;
    }
}

static const char *const PAGE_EN =
    "Carmaker to build 300,000 cars a year at new plant\n"
    "\n"
    "The carmaker said on Tuesday that its new plant near the port would build 300,000 "
    "cars a year once it runs at full speed, making it the largest factory in the region. "
    ".in_text_content_22 {width: 300px; margin: 0 auto;} googletag.cmd.push(function() { "
    "googletag.display('div-gpt-ad-1'); });\n"
    "\n"
    "{{ article.title }} The first cars are due to leave the line in 2024, and the company "
    "expects to hire about 5,000 workers over the next three years.\n"
    "\n"
    "Officials said the land had been bought last year and that the regional government had "
    "promised new roads and a rail link to the site. <div class=\"ad-slot\" id=\"mid-1\"></div> "
    "Building work is to start in the spring, after the last permits are signed.\n"
    "\n"
    "Engineers said anyone can call window.print() to print the plans, which are public and "
    "can be read at the town hall.\n";

static void test_page_en(void **state)
{
    (void)state;
    sf_clean_result *c = clean(PAGE_EN);
    size_t n;
    const char *t = sf_clean_text(c, &n);
    assert_true(has(t, n, "making it the largest factory in the region."));
    assert_true(has(t, n, "The first cars are due to leave the line in 2024"));
    assert_true(has(t, n, "promised new roads and a rail link to the site."));
    assert_true(has(t, n, "Building work is to start in the spring"));
    /* code named in a sentence is prose */
    assert_true(has(t, n, "Engineers said anyone can call window.print() to print the plans"));
    assert_false(has(t, n, "googletag"));
    assert_false(has(t, n, "{{"));
    assert_false(has(t, n, "ad-slot"));
    assert_false(has(t, n, "in_text_content"));
    /* the sentences of a cut line are kept as lines of their own */
    assert_true(has(t, n, "the site.\nBuilding work"));
    /* the code is removed, with its line number and reason */
    size_t glued = 0;
    for (size_t i = 0; i < sf_clean_removed_count(c); i++) {
        uint64_t line;
        size_t len;
        const char *why;
        const char *s = sf_clean_removed(c, i, &line, &len, &why);
        if (strcmp(why, "glued-code") != 0)
            continue;
        glued++;
        if (line == 3)
            assert_true(len > 10 && memcmp(s, ".in_text_content_22 {", 21) == 0 &&
                        s[len - 1] == ';');
        else if (line == 5)
            assert_true(len == 19 && memcmp(s, "{{ article.title }}", 19) == 0);
        else if (line == 7)
            assert_true(has(s, len, "<div class=\"ad-slot\""));
        else
            fail_msg("glued code on line %llu", (unsigned long long)line);
    }
    assert_int_equal(glued, 3);
    check_pieces(PAGE_EN, c);
    /* the JSON names the reason too */
    sf_article a;
    memset(&a, 0, sizeof a);
    char *json = sf_clean_result_json(&a, c, &n);
    assert_non_null(json);
    assert_true(has(json, n, "\"why\":\"glued-code\""));
    free(json);
    sf_clean_result_free(c);
}

/* Pages in other languages: the sentence around the code stays. */
static const struct {
    const char *page, *kept[2], *gone;
} pages[] = {
    {"El Ayuntamiento aprueba el presupuesto de 2025\n\n"
     "El pleno del Ayuntamiento aprobó este martes el presupuesto de 2025 con los votos del "
     "equipo de gobierno y la abstención de dos concejales de la oposición. "
     "window.dataLayer = window.dataLayer || []; La oposición votó en contra de las "
     "inversiones en el puerto y pidió más dinero para los barrios del norte.\n\n"
     "El alcalde dijo que las cuentas permitirán bajar los impuestos municipales por segundo "
     "año consecutivo y contratar a cuarenta nuevos agentes de la policía local.\n",
     {"la abstención de dos concejales de la oposición.",
      "La oposición votó en contra de las inversiones en el puerto"},
     "dataLayer"},
    {"Городской совет одобрил строительство трамвайной линии\n\n"
     "Городской совет во вторник одобрил строительство новой трамвайной линии длиной 14 "
     "километров, которая соединит вокзал с университетом и новыми районами на севере города. "
     ".article-banner {height: 250px; background: #f4f4f4;} Работы начнутся весной и "
     "продлятся около трёх лет, сообщили в администрации.\n\n"
     "По словам мэра, линия будет перевозить до 38 тысяч пассажиров в день, а стоимость "
     "проекта составит около 410 миллионов евро.\n",
     {"на севере города.", "Работы начнутся весной и продлятся около трёх лет"},
     "article-banner"},
    {"Hội đồng thành phố thông qua dự án tàu điện\n\n"
     "Hội đồng thành phố đã thông qua dự án xây dựng tuyến tàu điện dài 14 km vào tối thứ Ba, "
     "nối nhà ga trung tâm với khu đại học và các khu dân cư mới ở phía bắc. "
     "<script>var slot = 'mid-1'; loadAd(slot);</script> Chi phí ước tính khoảng 410 triệu "
     "euro và công trình sẽ được khởi công vào mùa xuân năm sau.\n\n"
     "Thị trưởng cho biết tuyến tàu điện có thể chở tới 38 nghìn hành khách mỗi ngày khi đi "
     "vào hoạt động, dự kiến vào năm 2029.\n",
     {"các khu dân cư mới ở phía bắc.", "Chi phí ước tính khoảng 410 triệu euro"},
     "loadAd"},
};

static void test_pages_other_languages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        sf_clean_result *c = clean(pages[i].page);
        size_t n;
        const char *t = sf_clean_text(c, &n);
        for (int k = 0; k < 2; k++)
            if (!has(t, n, pages[i].kept[k]))
                fail_msg("page %zu: \"%s\" not kept in \"%.*s\"", i, pages[i].kept[k], (int)n, t);
        if (has(t, n, pages[i].gone))
            fail_msg("page %zu: \"%s\" kept", i, pages[i].gone);
        check_pieces(pages[i].page, c);
        sf_clean_result_free(c);
    }
}

/* Glued code weighs nothing in the search for the article: a short first
 * paragraph followed by a long run of ad code stays in it. */
static void test_short_paragraph_before_code(void **state)
{
    (void)state;
    const char *t =
        "Plant to make 300,000 cars a year\n\n"
        "The plant will make 300,000 cars a year, the company said on Tuesday. "
        ".in_text_content_22 {width: 300px; margin: 0 auto;} googletag.cmd.push(function() { "
        "googletag.display('div-gpt-ad-1'); });\n\n"
        "{{ article.title }} The company said the first cars would leave the line in 2024 and "
        "that prices had not been set yet.\n\n"
        "The factory will employ 5,000 workers when it runs at full capacity, the regional "
        "government said.\n";
    sf_clean_result *c = clean(t);
    size_t n;
    const char *s = sf_clean_text(c, &n);
    assert_true(has(s, n, "The plant will make 300,000 cars a year, the company said on Tuesday."));
    assert_true(has(s, n, "The company said the first cars would leave the line in 2024"));
    assert_false(has(s, n, "googletag"));
    sf_clean_result_free(c);
}

/* A sentence holding a code word ("var " in "llevar a cabo", "window.")
 * and brackets is no line of code. */
static void test_code_words_in_sentences(void **state)
{
    (void)state;
    const char *t =
        "Salamanca abre un servicio de compra para mayores\n\n"
        "El Ayuntamiento de Salamanca (Castilla y León) ha puesto en marcha un servicio para "
        "llevar a cabo la compra de las personas mayores (y de las personas con discapacidad) "
        "durante el estado de alarma.\n\n"
        "Los interesados deben llamar al teléfono municipal, que atiende de lunes a viernes "
        "por la mañana, según informó el consistorio.\n";
    sf_clean_result *c = clean(t);
    size_t n;
    const char *s = sf_clean_text(c, &n);
    assert_true(has(s, n, "llevar a cabo la compra de las personas mayores"));
    sf_clean_result_free(c);
}

/* A line that stays whole is listed once, as before. */
static void test_page_without_cut(void **state)
{
    (void)state;
    const char *t = "Council backs tram plan\n\n"
                    "The council backed the tram plan on Tuesday; the mayor called it "
                    "\"a {very} good day\" for the city and thanked the voters.\n";
    sf_clean_result *c = clean(t);
    assert_int_equal(sf_clean_line_count(c), 2);
    size_t n;
    const char *s = sf_clean_text(c, &n);
    assert_true(has(s, n, "\"a {very} good day\" for the city"));
    sf_clean_result_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_found),
        cmocka_unit_test(test_lines_whole),
        cmocka_unit_test(test_hostile_lines),
        cmocka_unit_test(test_page_en),
        cmocka_unit_test(test_pages_other_languages),
        cmocka_unit_test(test_short_paragraph_before_code),
        cmocka_unit_test(test_code_words_in_sentences),
        cmocka_unit_test(test_page_without_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
