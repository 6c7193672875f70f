/* Tests of mojibake repair: UTF-8 read as Windows-1252/Latin-1, once or
 * twice, comes back; correct text in many languages stays as it is. */
#include "harness.h"
#include "mojibake.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Repairs s into a fresh buffer, checks the text and the count. */
static void check(const char *s, const char *want, size_t want_repairs)
{
    sf_buf b;
    sf_buf_init(&b, 0);
    size_t repairs = 999;
    assert_true(sf_mojibake_repair(s, strlen(s), &b, &repairs));
    const char *got = b.data ? b.data : "";
    if (b.len != strlen(want) || memcmp(got, want, b.len) != 0)
        fail_msg("repair of \"%s\" gave \"%.*s\", expected \"%s\"", s,
                 (int)b.len, got, want);
    if (repairs != want_repairs)
        fail_msg("repair of \"%s\": %zu repairs, expected %zu", s, repairs,
                 want_repairs);
    sf_buf_free(&b);
}

static void unchanged(const char *s) { check(s, s, 0); }

/* Windows-1252 characters of bytes 0x80..0x9F (0: the C1 control). */
static const unsigned w1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static void put_cp(sf_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    assert_true(sf_buf_append(b, u, n));
}

/* Makes the mojibake of s: its bytes read as Windows-1252, written as
 * UTF-8. The caller frees the result. */
static char *break_text(const char *s)
{
    sf_buf b;
    sf_buf_init(&b, 0);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned cp = *p;
        if (cp >= 0x80 && cp < 0xA0 && w1252[cp - 0x80])
            cp = w1252[cp - 0x80];
        put_cp(&b, cp);
    }
    assert_true(sf_buf_putc(&b, '\0'));
    return b.data;
}

/* Breaks s once (or twice) and checks that repair gives s back. */
static void roundtrip(const char *s, size_t want_repairs, int times)
{
    char *once = break_text(s);
    char *broken = once;
    if (times == 2) {
        broken = break_text(once);
        free(once);
    }
    assert_string_not_equal(broken, s);
    check(broken, s, want_repairs);
    free(broken);
}

/* ------------------------------------------------------------------ */
/* Repaired                                                            */
/* ------------------------------------------------------------------ */

static void test_written_cases(void **state)
{
    (void)state;
    check("gÃ¼nlÃ¼k", "günlük", 2);
    check("Ã©tÃ©", "été", 2);
    check("Die StraÃŸe in MÃ¼nchen", "Die Straße in München", 2);
    check("it\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s", "it’s", 1);     /* â€™ */
    check("Ã¢â‚¬â„¢", "’", 1);                                  /* twice */
    check("\xC3\xA2\xE2\x82\xAC\xC5\x93quoted\xC3\xA2\xE2\x82\xAC\xC2\x9D",
          "“quoted”", 2);                                      /* â€œ â€ */
    check("ÃƒÂ©", "é", 1);
    check("caf\xC3\x83\xC6\x92\xC3\x82\xC2\xA9 au lait", "café au lait", 1);
    check("Preis: 10 â‚¬", "Preis: 10 €", 1);
    check("2019â€“2020", "2019–2020", 1);
    check("wait â€¦ what", "wait … what", 1);
    check("Â© 2020", "© 2020", 1);
    check("10Â\xC2\xA0km", "10\xC2\xA0km", 1);                  /* NBSP */
}

static void test_lost_bytes(void **state)
{
    (void)state;
    /* 0x9D of ” is undefined in Windows-1252 and often lost. */
    check("\xC3\xA2\xE2\x82\xAC" "quoted\xC3\xA2\xE2\x82\xAC\xC5\x93",
          "”quoted“", 2);
    check("say â€œhiâ€ now", "say “hi” now", 2);
    check("say â€œhiâ€\xEF\xBF\xBD now", "say “hi” now", 2);
    /* NFKC turned ¼ into "1⁄4". */
    check("TÃ1⁄4rkei und fÃ1⁄4nf", "Türkei und fünf", 2);
    check("Ã1⁄2 Ã3⁄4", "ý þ", 2);
}

static void test_roundtrip_languages(void **state)
{
    (void)state;
    roundtrip("Größere Brücken über die Flüsse", 5, 1);
    roundtrip("Öffentliche Ärzte", 2, 1);
    roundtrip("Öğrenciler şimdi ılık suyu içti", 6, 1);
    roundtrip("Çağrı İstanbul'da", 4, 1);
    roundtrip("L'été à Paris, où l'on mange des crêpes à la française", 7, 1);
    roundtrip("Noël, cœur, Œuvre, naïve", 4, 1);
    roundtrip("El niño comió piñas en España", 4, 1);
    roundtrip("¿Qué pasó? ¡Atención!", 5, 1);
    roundtrip("São Paulo não é Brasília", 4, 1);
    roundtrip("ação e coração", 4, 1);
    roundtrip("Tiếng Việt có dấu", 4, 1);
    roundtrip("Đà Nẵng, Hà Nội", 5, 1);
    roundtrip("Zażółć gęślą jaźń", 9, 1);
    roundtrip("Příliš žluťoučký kůň", 9, 1);
    roundtrip("Árvíztűrő tükörfúrógép", 9, 1);
    roundtrip("Привет, как дела? Их нет.", 18, 1);
    roundtrip("Україна і їжа", 11, 1);
    roundtrip("Καλημέρα κόσμε", 13, 1);
    roundtrip("שלום עולם", 8, 1);
    roundtrip("مرحبا بالعالم", 12, 1);
    roundtrip("日本語のテキスト", 8, 1);
    roundtrip("中文新闻", 4, 1);
    roundtrip("한국어", 3, 1);
    roundtrip("“Quote” — ‘single’ • bullet… ™", 8, 1);
    roundtrip("Price €5, £3, ¥7", 3, 1);
}

static void test_double_encoding(void **state)
{
    (void)state;
    roundtrip("günlük", 2, 2);
    roundtrip("café “crème”", 4, 2);
    roundtrip("Ünlü şarkıcı", 5, 2);
    roundtrip("Привет", 6, 2);
    roundtrip("€100", 1, 2);
    /* ˆ and ˜ of Windows-1252 appear in the first-round mojibake. */
    roundtrip("وهو", 3, 2);
    roundtrip("‘single’", 2, 2);
    roundtrip("школа", 5, 2);
}

static void test_mixed(void **state)
{
    (void)state;
    /* Correct words next to broken ones: only the broken change. */
    check("München und MÃ¼nchen", "München und München", 1);
    check("été Ã©tÃ© été", "été été été", 2);
    check("Spaß “okay” and donâ€™t", "Spaß “okay” and don’t", 1);
    check("São Paulo: Ã³timo", "São Paulo: ótimo", 1);
    /* Repaired once, the rest of a twice-broken text stays right. */
    check("ÃƒÂ¼ber Ã¼ber über", "über über über", 2);
}

static void test_weak_in_context(void **state)
{
    (void)state;
    /* Ã– (Ö) and Ã“ (Ó) look like a letter and punctuation; a letter
     * after them shows they are mojibake. */
    check("Ã–sterreich", "Österreich", 1);
    check("Ã“scar", "Óscar", 1);
    check("CÃ”TE", "CÔTE", 1);
    /* Ñ… (х) ends a Russian word; the repair before it supports it. */
    check("Ð¸Ñ… Ð½ÐµÑ‚", "их нет", 5);
    /* Ã + NBSP is à even at the end of a word. */
    check("voilÃ\xC2\xA0 tout", "voilà tout", 1);
    /* Â» is always ». */
    check("Nebenprodukt.Â» (jcg)", "Nebenprodukt.» (jcg)", 1);
}

/* ------------------------------------------------------------------ */
/* Unchanged                                                           */
/* ------------------------------------------------------------------ */

static void test_correct_text(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "",
        "plain ASCII text with nothing to do",
        "Ñandú", "Â", "São Paulo", "naïve", "Ça va", "MÃE", "SÃO PAULO",
        "IRMÃ", "AMANHÃ", "Größe, Übermut, Äpfel", "Ölçek, Ağaç, İzmir",
        "Crème brûlée à la française", "Ästhetik", "Åsa och Örjan",
        "Ærø, Øresund, Ålborg", "ÉTÉ, À BIENTÔT", "Ĳsselmeer",
        "ÔNIBUS, ÚNICO, ÍNDIO, ÓRGÃO", "Tiếng Việt", "Привет", "日本語",
        "10 °C, 5 m², ±3, ½ kg", "© 2020, ® and ™", "ça coûte 5 €",
        "1⁄4 inch", "Ø 1⁄2 mm", "Ã1", "ÃÂ", "Ã Ã Ã", "â",
        "x\xC3\x83", "\xC3\x83", "\xC3\x82\xC2",
    };
    for (size_t i = 0; i < SF_ARRAY_LEN(ok); i++)
        unchanged(ok[i]);
}

static void test_punctuation_after_letters(void **state)
{
    (void)state;
    /* Correct text where a letter U+00C2..U+00F4 is followed by
     * characters of Windows-1252 bytes 0x80..0xBF. */
    unchanged("„Das macht Spaß“, sagte er.");
    unchanged("»Spaß« und »Café«");
    unchanged("« C’est un café\xC2\xA0»");
    unchanged("« Il est allé\xC2\xA0» et « voilà\xC2\xA0»");
    unchanged("“AMANHÔ, disse ela. “IRMÔ");
    unchanged("“LLEGÓ”, “ASÍ”, “JOSÉ”, “PERÚ”");
    unchanged("Ça bouge… Déjà… Été—hiver");
    unchanged("ß’s and Ö’ and É–");
    unchanged("Ø\xC2\xA0" "5 mm");
    unchanged("L’été est là’");
    /* A capital named in quotes; no other mojibake supports a repair. */
    unchanged("la letra “Ñ” y la “Ö”");
    /* Possessives of names that end in a capital lead. */
    unchanged("SPÖ’s leader, PERÚ’s coast, ÅÄÖ’s");
}

static void test_evidence(void **state)
{
    (void)state;
    /* Alone, Ñ– could be a capital and a dash; with sure mojibake in the
     * text it is Ukrainian "і"; so are "AMANHÃ”" and "SÄ…". */
    unchanged("x Ñ– y");
    check("x Ñ– y Ã©", "x і y é", 2);
    unchanged("AMANHÃ” x");
    check("AMANHÃ” Ã©", "AMANHÔ é", 2);
    check("SÄ… â—‹ Ã©", "Są ○ é", 3);
    unchanged("SÄ… â—‹");
    /* Even then, a letter and two punctuation marks stay. */
    check("« café\xC2\xA0» Ã©", "« café\xC2\xA0» é", 1);
    check("SPÃ–-Chef Ã©", "SPÖ-Chef é", 2);
    check("AÃ‘OS", "AÑOS", 1);
    unchanged("PERÚ’ße");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* Invalid bytes are copied; they never take part in a repair. */
    static const char bad[] = "\xFF\xC3\xA9t\xC3\xA9\xC3\x83\xFE\xC2";
    check(bad, bad, 0);
    check("\xC3\x83\xC2\xBC\xFF", "\xC3\xBC\xFF", 1);   /* Ã¼ then FF */
    check("\xC3\x83\xFF\xC2\xBC", "\xC3\x83\xFF\xC2\xBC", 0);
    check("\xC3\x83\xC2", "\xC3\x83\xC2", 0);           /* cut short */
    check("\xC3\xA2\xE2\x82", "\xC3\xA2\xE2\x82", 0);
    /* "â€" before an invalid byte: that byte was not the lost 0x9D. */
    check("\xC3\xA2\xE2\x82\xAC\xFF", "\xE2\x80\x9D\xFF", 1);
}

static void test_nul_and_counts(void **state)
{
    (void)state;
    /* NUL bytes pass through; the length, not strlen, counts. */
    static const char s[] = "Ã¼\0Ã¼";
    sf_buf b;
    sf_buf_init(&b, 0);
    size_t n = 0;
    assert_true(sf_mojibake_repair(s, sizeof s - 1, &b, &n));
    assert_int_equal(n, 2);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "ü\0ü", 5);
    /* Appends after what the buffer holds; repairs may be NULL. */
    assert_true(sf_mojibake_repair("Ã©", 4, &b, NULL));
    assert_int_equal(b.len, 7);
    assert_memory_equal(b.data, "ü\0üé", 7);
    sf_buf_free(&b);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    /* A full buffer: failure leaves it as it was. */
    sf_buf b;
    sf_buf_init(&b, 8);
    assert_true(sf_buf_append(&b, "abcdef", 6));
    size_t n = 7;
    assert_false(sf_mojibake_repair("MÃ¼nchen", 9, &b, &n));
    assert_int_equal(n, 7);
    assert_int_equal(b.len, 6);
    assert_memory_equal(b.data, "abcdef", 6);
    assert_false(sf_mojibake_repair("plain text", 10, &b, &n));
    assert_int_equal(b.len, 6);
    sf_buf_free(&b);
}

static void test_output_valid(void **state)
{
    (void)state;
    /* Every byte value after every lead: output of valid input is valid
     * and never longer. */
    for (unsigned lead = 0xC2; lead <= 0xF4; lead++)
        for (unsigned c1 = 0x80; c1 <= 0xFF; c1++)
            for (unsigned c2 = 0x80; c2 <= 0xFF; c2 += 7) {
                char raw[4] = {(char)lead, (char)c1, (char)c2, 0};
                char *m = break_text(raw);
                sf_buf b;
                sf_buf_init(&b, 0);
                size_t n;
                assert_true(sf_mojibake_repair(m, strlen(m), &b, &n));
                assert_true(b.len <= strlen(m));
                assert_true(sf_utf8_valid(b.data ? b.data : "", b.len));
                assert_int_equal(n == 0, b.len == strlen(m));
                sf_buf_free(&b);
                free(m);
            }
}

static void test_suspect(void **state)
{
    (void)state;
    /* The cheap test never misses text that a repair would change. */
    assert_true(sf_mojibake_suspect("M\xc3\x83\xc2\xbcnchen", 10));
    assert_true(sf_mojibake_suspect("it\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s", 11));
    assert_false(sf_mojibake_suspect("plain text", 10));
    assert_false(sf_mojibake_suspect("caf\xc3\xa9 \xc2\xbb M\xc3\xbcnchen", 17));
    assert_false(sf_mojibake_suspect(NULL, 0));
    for (unsigned lead = 0xC2; lead <= 0xF4; lead++)
        for (unsigned c1 = 0x80; c1 <= 0xFF; c1 += 3) {
            char raw[3] = {(char)lead, (char)c1, 0};
            char *m = break_text(raw);
            const char *cases[2] = {raw, m};
            for (int k = 0; k < 2; k++) {
                sf_buf b;
                sf_buf_init(&b, 0);
                size_t n;
                assert_true(sf_mojibake_repair(cases[k], strlen(cases[k]), &b, &n));
                if (!sf_mojibake_suspect(cases[k], strlen(cases[k])))
                    assert_int_equal(n, 0);
                sf_buf_free(&b);
            }
            free(m);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_cases),
        cmocka_unit_test(test_suspect),
        cmocka_unit_test(test_lost_bytes),
        cmocka_unit_test(test_roundtrip_languages),
        cmocka_unit_test(test_double_encoding),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_weak_in_context),
        cmocka_unit_test(test_correct_text),
        cmocka_unit_test(test_punctuation_after_letters),
        cmocka_unit_test(test_evidence),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_and_counts),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_output_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
