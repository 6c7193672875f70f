/*
 * clean_glued.c — code and markup glued into a prose line.
 *
 * A naive HTML-to-text tool flattens a paragraph and the style rule, ad
 * script or template placeholder next to it into one line:
 *
 *   The plant will make 300,000 cars a year. .ad_22 {width: 300px;}
 *   googletag.cmd.push(function() { googletag.display('div-1'); });
 *
 * The cleaner judges whole lines, so such a line went as code with its
 * sentence. Here the line is cut into pieces (the runs of code and the text
 * between them), each judged as a line of its own; the code pieces are
 * removed as "glued-code".
 *
 * The cut is conservative:
 *  - only lines holding '{', '<', '=' or ';' are looked at, and a line with
 *    ';' or '=' but no '{' or '<' only if a ';' follows a bracket or comes
 *    with a '=', or a '=' with a '[';
 *  - code is recognised by its grammar, never by one character: a CSS rule
 *    with a declaration ("sel {prop: value}", "@media (...) {...}"); a
 *    script statement (a call chain ending in ';', an assignment to a
 *    member or a declared variable ending in ';', a function or an `if`
 *    with its block, a function called in place, a chain of calls with a
 *    member and code arguments; a "//" comment after code); a JSON object
 *    with a quoted key; an HTML tag of a known element or with attributes,
 *    a comment, CDATA; a blog shortcode with a quoted attribute or a
 *    closing one ("[/caption]"); a template placeholder ({{ }}, {% %},
 *    {# #}, {* *}, <% %>, [% %], ${ });
 *  - a run of code (matches apart by white space or glued together)
 *    starts at white space or right after a sentence's final stop
 *    ("stop.[/caption]"), ends at white space, and stands between
 *    sentences: the text before it ends with . ! ? or an ellipsis (perhaps
 *    inside a closing quote or bracket) or the line starts there, and the
 *    text after it starts with a capital, a digit, an opening quote or a
 *    letter of a script without case, or the line ends there.
 * Code inside a sentence ("call window.print() to print", "x = 3;", "sobre
 * {{subject}} todos los días") is never cut, nor is a run after a colon
 * ("Add this line: gtag('js', new Date());").
 */
#include "clean_glued.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum {
    BLOCK_MAX = 16384,        /* longest bracketed block followed */
    DEPTH_MAX = 32,           /* deepest nesting of brackets followed */
    SELECTOR_MAX = 200,       /* longest CSS selector or at-rule prelude */
    PLACEHOLDER_MAX = 200,    /* longest template placeholder */
    TAG_MAX = 1000,           /* longest HTML tag */
    PUNCT_MAX = 8,            /* longest token of code punctuation: "});" */
    BUDGET_PER_BYTE = 16,     /* bytes followed inside brackets per byte of a line */
    PROSE_MIN_WORDS = 3       /* words of text beside the code for a cut */
};

/* Bytes the bracket and string scans of the current line may still read
 * (per thread: lines of one page are cut on one thread): the matchers try
 * every token, and a line of unclosed brackets must not cost them the
 * square of its length. When it runs out, nothing more matches. */
static _Thread_local size_t g_budget;

/* True if k more bytes may be read. */
static bool spend(size_t k)
{
    if (g_budget < k) {
        g_budget = 0;
        return false;
    }
    g_budget -= k;
    return true;
}

/* ====================================================================== */
/* Characters                                                              */
/* ====================================================================== */

/* Length of the white space at s[i] (ASCII or U+00A0), 0 if none. */
static size_t space_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    return c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0 ? 2 : 0;
}

static size_t skip_space(const char *s, size_t n, size_t i)
{
    size_t k;
    while (i < n && (k = space_at(s, n, i)) != 0)
        i += k;
    return i;
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Script identifiers: [A-Za-z_$][A-Za-z0-9_$]*. */
static bool id_start(unsigned char c)
{
    return is_alpha(c) || c == '_' || c == '$';
}

static bool id_char(unsigned char c)
{
    return id_start(c) || is_digit(c);
}

/* CSS and HTML names also hold '-'. */
static bool name_char(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-';
}

/* A CSS or HTML name: [A-Za-z_-][A-Za-z0-9_-]*; returns its end or 0. */
static size_t css_name(const char *s, size_t n, size_t j)
{
    size_t a = j;
    while (j < n && name_char((unsigned char)s[j]))
        j++;
    return j > a && !is_digit((unsigned char)s[a]) ? j : 0;
}

static bool prefix_ci(const char *s, size_t n, size_t i, const char *w)
{
    size_t m = strlen(w);
    if (n - i < m)
        return false;
    for (size_t k = 0; k < m; k++) {
        unsigned char c = (unsigned char)s[i + k];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c != (unsigned char)w[k])
            return false;
    }
    return true;
}

/* s[i..] is the word w (lower case as written), not the start of a longer
 * identifier. */
static bool word_at(const char *s, size_t n, size_t i, const char *w)
{
    size_t m = strlen(w);
    return n - i >= m && memcmp(s + i, w, m) == 0 && (i + m == n || !id_char((unsigned char)s[i + m]));
}

/* True if the name s[0..len) is one of words (ASCII case ignored). */
static bool name_in(const char *s, size_t len, const char *const *words)
{
    for (; *words; words++) {
        if (strlen(*words) == len && prefix_ci(s, len, 0, *words))
            return true;
    }
    return false;
}

/* HTML elements: a tag or a CSS type selector must name one (or, for a
 * tag, carry attributes). */
static const char *const html_tags[] = {
    "a", "abbr", "amp-ad", "amp-img", "article", "aside", "audio", "b", "blockquote", "body",
    "br", "button", "canvas", "caption", "center", "cite", "code", "dd", "div", "dl", "dt",
    "em", "embed", "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "head", "header", "hr", "html", "i", "iframe", "img", "input", "ins",
    "label", "li", "link", "main", "meta", "nav", "noscript", "ol", "option", "p", "path",
    "picture", "pre", "script", "section", "select", "small", "source", "span", "strong",
    "style", "sub", "sup", "svg", "table", "tbody", "td", "textarea", "th", "thead", "tr",
    "u", "ul", "video", NULL,
};

/* CSS at-rules followed by a block, and those ending in ';'. */
static const char *const at_block[] = {
    "media", "supports", "font-face", "keyframes", "-webkit-keyframes", "page",
    "layer", "container", "document", NULL,
};
static const char *const at_line[] = {"import", "charset", "namespace", NULL};

/* ====================================================================== */
/* Brackets                                                                */
/* ====================================================================== */

/* The end of the quoted string opening at s[i] (the index after its
 * closing quote), or 0 if it does not close before lim. */
static size_t string_end(const char *s, size_t lim, size_t i)
{
    char q = s[i];
    for (size_t k = i + 1; k < lim; k++) {
        if (s[k] == '\\')
            k++;
        else if (s[k] == q)
            return spend(k + 1 - i) ? k + 1 : 0;
    }
    spend(lim - i);
    return 0;
}

/* s[i] opens a bracket: the index after the bracket that closes it,
 * skipping quoted strings; 0 if another kind of bracket closes first, or
 * if nothing closes it within the line and BLOCK_MAX bytes. When open is
 * given, a block still open where the line ends (not inside a string)
 * returns n and sets *open. */
static size_t balanced(const char *s, size_t n, size_t i, bool *open)
{
    char want[DEPTH_MAX];
    size_t depth = 0;
    size_t lim = n - i > BLOCK_MAX ? i + BLOCK_MAX : n;
    for (size_t j = i; j < lim; j++) {
        char c = s[j];
        if (c == '(' || c == '[' || c == '{') {
            if (depth == DEPTH_MAX)
                return 0;
            want[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0 || want[--depth] != c)
                return 0;
            if (depth == 0)
                return spend(j + 1 - i) ? j + 1 : 0;
        } else if (c == '"' || c == '\'' || c == '`') {
            size_t e = string_end(s, lim, j);
            if (!e)
                return 0;
            j = e - 1;
        }
    }
    if (!spend(lim - i))
        return 0;
    if (open && lim == n && depth > 0) {
        *open = true;
        return n;
    }
    return 0;
}

/* ====================================================================== */
/* Template placeholders, HTML tags, JSON                                  */
/* ====================================================================== */

/* "{{ article.title }}", "{% if x %}", "{* name *}", "<%= x %>", "${x}". */
static size_t m_placeholder(const char *s, size_t n, size_t i)
{
    static const char *const pairs[][2] = {
        {"{{", "}}"}, {"{%", "%}"}, {"{#", "#}"}, {"{*", "*}"},
        {"<%", "%>"}, {"[%", "%]"}, {"${", "}"},
    };
    for (size_t p = 0; p < SF_ARRAY_LEN(pairs); p++) {
        size_t ol = strlen(pairs[p][0]), cl = strlen(pairs[p][1]);
        if (n - i < ol + cl + 1 || memcmp(s + i, pairs[p][0], ol) != 0)
            continue;
        size_t lim = n - i > PLACEHOLDER_MAX ? i + PLACEHOLDER_MAX : n;
        bool name = false;
        for (size_t k = i + ol; k + cl <= lim; k++) {
            if (memcmp(s + k, pairs[p][1], cl) == 0) {
                if (!name)
                    break;
                size_t e = k + cl;
                while (p == 0 && e < n && s[e] == '}')
                    e++;                     /* "{{{ raw }}}" */
                return e;
            }
            name = name || id_char((unsigned char)s[k]);
        }
    }
    return 0;
}

/* "<div class="x">", "</p>", "<br/>", "<!-- ad -->"; a <script> or
 * <style> element with its content when it closes on the line. A tag
 * names a known element or carries attributes. */
static size_t m_tag(const char *s, size_t n, size_t i)
{
    size_t lim = n - i > TAG_MAX ? i + TAG_MAX : n;
    if (prefix_ci(s, n, i, "<![cdata["))
        return i + 9;
    if (prefix_ci(s, n, i, "<!--")) {
        for (size_t k = i + 4; k + 3 <= lim; k++)
            if (memcmp(s + k, "-->", 3) == 0)
                return k + 3;
        return 0;
    }
    size_t j = i + 1;
    bool close = j < n && s[j] == '/';
    j += close;
    if (j >= n || !is_alpha((unsigned char)s[j]))
        return 0;
    size_t ns = j;
    while (j < n && (name_char((unsigned char)s[j]) || s[j] == ':'))
        j++;
    size_t nl = j - ns;
    bool attrs = false;
    size_t end = 0;
    while (!end) {
        size_t k = skip_space(s, lim, j);
        if (k >= lim)
            return 0;
        if (s[k] == '>') {
            end = k + 1;
            break;
        }
        if (s[k] == '/' && k + 1 < lim && s[k + 1] == '>') {
            end = k + 2;
            break;
        }
        if (k == j || close)
            return 0;                    /* "<a-b+c", "</p x" */
        size_t a = k;
        while (k < lim && (name_char((unsigned char)s[k]) || s[k] == ':' || s[k] == '@'))
            k++;
        if (k == a)
            return 0;
        if (k < lim && s[k] == '=') {
            k++;
            if (k < lim && (s[k] == '"' || s[k] == '\'')) {
                k = string_end(s, lim, k);
                if (!k)
                    return 0;
            } else {
                size_t v = k;
                while (k < lim && !space_at(s, lim, k) && s[k] != '>' && s[k] != '<')
                    k++;
                if (k == v)
                    return 0;
            }
            attrs = true;
        }
        j = k;
    }
    if (!attrs && !name_in(s + ns, nl, html_tags))
        return 0;
    /* the content of a script or style element is code too */
    static const char *const raw[] = {"script", "style", NULL};
    if (!close && name_in(s + ns, nl, raw)) {
        char endtag[16];
        memcpy(endtag, "</", 2);
        for (size_t k = 0; k < nl; k++)
            endtag[2 + k] = (char)(s[ns + k] | 0x20);
        endtag[2 + nl] = '\0';
        size_t clim = n - end > BLOCK_MAX ? end + BLOCK_MAX : n;
        for (size_t k = end; k < clim; k++) {
            if (s[k] == '<' && prefix_ci(s, clim, k, endtag)) {
                const char *gt = memchr(s + k, '>', clim - k);
                return gt && spend(k - end) ? (size_t)(gt - s) + 1 : 0;
            }
        }
        spend(clim - end);
    }
    return end;
}

/* A WordPress shortcode with a quoted attribute, "[caption id="a1"
 * width="300"]", or a closing one, "[/caption]". */
static size_t m_shortcode(const char *s, size_t n, size_t i)
{
    size_t j = i + 1;
    bool close = j < n && s[j] == '/';
    j += close;
    size_t e = css_name(s, n, j);
    if (!e || !is_alpha((unsigned char)s[j]))
        return 0;
    if (close)
        return e < n && s[e] == ']' ? e + 1 : 0;
    bool attrs = false;
    for (j = e; j < n && j - i < TAG_MAX;) {
        size_t k = skip_space(s, n, j);
        if (k < n && s[k] == ']')
            return attrs ? k + 1 : 0;
        size_t a = css_name(s, n, k);
        if (k == j || !a || a + 1 >= n || s[a] != '=' || (s[a + 1] != '"' && s[a + 1] != '\''))
            return 0;
        if (!(j = string_end(s, n, a + 1)))
            return 0;
        attrs = true;
    }
    return 0;
}

/* A JSON object or array of objects with a quoted key:
 * {"@context":"https://schema.org", ...}. */
static size_t m_json(const char *s, size_t n, size_t i)
{
    size_t j = skip_space(s, n, i + 1);
    if (s[i] == '[' && j < n && s[j] == '{')
        j = skip_space(s, n, j + 1);
    if (j >= n || s[j] != '"')
        return 0;
    size_t k = string_end(s, n, j);
    if (!k)
        return 0;
    k = skip_space(s, n, k);
    if (k >= n || s[k] != ':')
        return 0;
    return balanced(s, n, i, NULL);
}

/* ====================================================================== */
/* CSS                                                                     */
/* ====================================================================== */

/* True if the block s[0..n) (inside the braces) holds a declaration
 * "prop: value" ending in ';', '}' or the block's end; with semi, only one
 * ending in ';' counts. */
static bool has_declaration(const char *s, size_t n, bool semi)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ':')
            continue;
        size_t a = i;
        while (a > 0 && space_at(s, n, a - 1))
            a--;
        size_t e = a;
        while (a > 0 && (is_alpha((unsigned char)s[a - 1]) || s[a - 1] == '-'))
            a--;
        if (a == e || (a > 0 && !space_at(s, n, a - 1) && s[a - 1] != '{' && s[a - 1] != ';'))
            continue;
        size_t j = i + 1;
        bool value = false;
        while (j < n && s[j] != ';' && s[j] != '}' && s[j] != '{') {
            value = value || !space_at(s, n, j);
            j++;
        }
        if (value && !(j < n && s[j] == '{') && !(semi && (j == n || s[j] != ';')))
            return true;                      /* not "a:hover {": a selector */
        i = j;                                /* a ':' in the value is no name's */
    }
    return false;
}

/* A selector list from s[i] to its '{' (*brace): compound selectors of
 * known element names, '*', .class, #id, [attr], :pseudo(...), joined by
 * white space, ',', '>', '+' or '~'. */
static bool selector(const char *s, size_t n, size_t i, size_t *brace)
{
    size_t j = i;
    for (;;) {
        bool simple = false;
        if (j < n && s[j] == '*') {
            j++;
            simple = true;
        } else if (j < n && is_alpha((unsigned char)s[j])) {
            size_t e = css_name(s, n, j);
            if (!e || !name_in(s + j, e - j, html_tags))
                return false;
            j = e;
            simple = true;
        }
        for (;;) {
            if (j < n && (s[j] == '.' || s[j] == '#')) {
                size_t e = css_name(s, n, j + 1);
                if (!e)
                    return false;
                j = e;
            } else if (j < n && s[j] == ':') {
                j += 1 + (j + 1 < n && s[j + 1] == ':');
                size_t e = css_name(s, n, j);
                if (!e)
                    return false;
                j = e;
                if (j < n && s[j] == '(' && !(j = balanced(s, n, j, NULL)))
                    return false;
            } else if (j < n && s[j] == '[') {
                if (!(j = balanced(s, n, j, NULL)))
                    return false;
            } else {
                break;
            }
            simple = true;
        }
        if (!simple || j - i > SELECTOR_MAX)
            return false;
        size_t k = skip_space(s, n, j);
        if (k < n && s[k] == '{') {
            *brace = k;
            return true;
        }
        if (k < n && (s[k] == ',' || s[k] == '>' || s[k] == '+' || s[k] == '~'))
            k = skip_space(s, n, k + 1);
        else if (k == j)
            return false;                     /* "a.b!": no selector */
        if (k >= n)
            return false;
        j = k;
    }
}

/* A CSS rule: "sel {prop: value; ...}", "@media (...) {rules}",
 * "@import url(x);". A block left open by the end of the line counts when
 * it holds a declaration ending in ';' (a teaser cut short). */
static size_t m_css(const char *s, size_t n, size_t i)
{
    size_t j;
    if (s[i] == '@') {
        size_t e = css_name(s, n, i + 1);
        if (!e)
            return 0;
        bool block = name_in(s + i + 1, e - i - 1, at_block);
        if (!block && !name_in(s + i + 1, e - i - 1, at_line))
            return 0;
        j = e;
        while (j < n && s[j] != '{' && s[j] != ';' && s[j] != '}' && j - i <= SELECTOR_MAX)
            j++;
        if (j >= n || j - i > SELECTOR_MAX || s[j] == '}')
            return 0;
        if (s[j] == ';')
            return block ? 0 : j + 1;
        if (!block)
            return 0;
    } else if (!selector(s, n, i, &j)) {
        return 0;
    }
    bool open = false;
    size_t e = balanced(s, n, j, &open);
    if (!e || !has_declaration(s + j + 1, e - j - 1 - !open, open))
        return 0;
    return e;
}

/* ====================================================================== */
/* Scripts                                                                 */
/* ====================================================================== */

/* A member and call chain from s[i]: an identifier or a bracketed
 * expression, then .name, (args), [index]. Counts members and calls;
 * *code is set when a call's arguments are empty or hold a string, a block
 * or another call. Returns the chain's end, or 0. */
static size_t chain(const char *s, size_t n, size_t i, unsigned *dots, unsigned *calls,
                    bool *code)
{
    size_t j = i;
    bool paren = s[i] == '(';
    if (paren) {
        if (!(j = balanced(s, n, i, NULL)))
            return 0;
    } else if (id_start((unsigned char)s[i])) {
        while (j < n && id_char((unsigned char)s[j]))
            j++;
    } else {
        return 0;
    }
    size_t head = j;
    for (;;) {
        if (j + 1 < n && s[j] == '.' && id_start((unsigned char)s[j + 1])) {
            j++;
            while (j < n && id_char((unsigned char)s[j]))
                j++;
            (*dots)++;
        } else if (j < n && (s[j] == '(' || s[j] == '[')) {
            size_t e = balanced(s, n, j, NULL);
            if (!e)
                return 0;
            if (s[j] == '(') {
                (*calls)++;
                for (size_t k = j + 1; k + 1 < e && !*code; k++)
                    *code = s[k] == '"' || s[k] == '\'' || s[k] == '{' || s[k] == '(';
                *code = *code || e == j + 2;
            }
            j = e;
        } else {
            break;
        }
    }
    /* "(AP)" is an aside: a bracketed head must go on "(...).push(",
     * "(...)()", or hold a function called in place "(function () {...}());" */
    if (paren && j == head) {
        size_t k = skip_space(s, n, i + 1);
        if (!word_at(s, n, k, "function"))
            return 0;
        (*calls)++;
        *code = true;
    }
    return j;
}

/* A script statement: "var x = ...;", "a.b = ...;", "a.b(...);",
 * "function f(...) {...}", "if (...) {...}", "$(x).ready(function() {...})". */
static size_t m_js(const char *s, size_t n, size_t i)
{
    size_t j = i;
    bool decl = false;
    if (word_at(s, n, i, "var") || word_at(s, n, i, "let") || word_at(s, n, i, "const")) {
        j = skip_space(s, n, i + (s[i] == 'c' ? 5 : 3));
        if (j == i + (s[i] == 'c' ? 5u : 3u) || j >= n || !id_start((unsigned char)s[j]))
            return 0;
        decl = true;
    }
    bool fn = word_at(s, n, j, "function");
    if (fn || word_at(s, n, j, "if")) {
        j = skip_space(s, n, j + (fn ? 8 : 2));
        if (fn && j < n && id_start((unsigned char)s[j])) {
            while (j < n && id_char((unsigned char)s[j]))
                j++;
            j = skip_space(s, n, j);
        }
        if (j >= n || s[j] != '(' || !(j = balanced(s, n, j, NULL)))
            return 0;
        j = skip_space(s, n, j);
        if (j >= n || s[j] != '{' || !(j = balanced(s, n, j, NULL)))
            return 0;
        while (j < n && s[j] == '(') {        /* (function () {...})() */
            size_t e = balanced(s, n, j, NULL);
            if (!e)
                break;
            j = e;
        }
        return j < n && s[j] == ';' ? j + 1 : j;
    }
    unsigned dots = 0, calls = 0;
    bool code = false;
    size_t e = chain(s, n, j, &dots, &calls, &code);
    if (!e)
        return 0;
    size_t k = skip_space(s, n, e);
    if (k < n && s[k] == '=' && (k + 1 >= n || s[k + 1] != '=') &&
        (decl || dots > 0 || s[e - 1] == ']')) {
        /* an assignment: its value runs to a ';' outside brackets */
        size_t lim = n - k > BLOCK_MAX ? k + BLOCK_MAX : n;
        for (size_t v = k + 1; v < lim; v++) {
            char c = s[v];
            if (c == ';')
                return spend(v - k) ? v + 1 : 0;
            if (c == '(' || c == '[' || c == '{') {
                size_t b = balanced(s, n, v, NULL);
                if (!b)
                    return 0;
                v = b - 1;
            } else if (c == ')' || c == ']' || c == '}') {
                return 0;
            } else if (c == '"' || c == '\'' || c == '`') {
                size_t b = string_end(s, n, v);
                if (!b)
                    return 0;
                v = b - 1;
            }
        }
        spend(lim - k);
        return 0;
    }
    if (decl)
        return e < n && s[e] == ';' ? e + 1 : 0;
    if (calls == 0)
        return 0;
    if (e < n && s[e] == ';')
        return e + 1;
    /* no ';': a member call with code arguments, "window.print()" */
    return dots > 0 && code ? e : 0;
}

/* A token of code punctuation only, left over around code: "});", "}}",
 * "-->", "]]>". */
static size_t m_punct(const char *s, size_t n, size_t i)
{
    size_t j = i;
    bool bracket = false;
    while (j < n && j - i < PUNCT_MAX && s[j] && strchr("{}[]()<>;,/*!-=|&:.", s[j])) {
        bracket = bracket || strchr("{}[]<>;", s[j]);
        j++;
    }
    return bracket && (j == n || space_at(s, n, j)) ? j : 0;
}

/* ====================================================================== */
/* Runs of code between sentences                                          */
/* ====================================================================== */

/* The code construct starting at s[i], its end or 0; *punct set when it is
 * only a token of punctuation. */
static size_t match_at(const char *s, size_t n, size_t i, bool *punct)
{
    unsigned char c = (unsigned char)s[i];
    size_t e = 0;
    *punct = false;
    switch (c) {
    case '{':
        e = m_placeholder(s, n, i);
        if (!e)
            e = m_json(s, n, i);
        break;
    case '[':
        e = m_placeholder(s, n, i);
        if (!e)
            e = m_json(s, n, i);
        if (!e)
            e = m_shortcode(s, n, i);
        break;
    case '<':
        e = m_placeholder(s, n, i);
        if (!e)
            e = m_tag(s, n, i);
        break;
    case '$':
        e = m_placeholder(s, n, i);
        if (!e)
            e = m_js(s, n, i);
        break;
    case '.': case '#': case '@': case '*': case ':':
        e = m_css(s, n, i);
        break;
    case '(':
        e = m_js(s, n, i);
        break;
    case '!':                                 /* !function () {...}(); */
        if (i + 1 < n && word_at(s, n, i + 1, "function"))
            e = m_js(s, n, i + 1);
        break;
    default:
        if (id_start(c)) {
            e = m_js(s, n, i);
            if (!e && is_alpha(c))
                e = m_css(s, n, i);
        }
        break;
    }
    if (!e) {
        e = m_punct(s, n, i);
        *punct = e != 0;
    }
    return e;
}

/* The code point ending at s[j] (j > 0) and its start in *start. */
static int32_t cp_before(const char *s, size_t j, size_t *start)
{
    size_t k = j - 1;
    while (k > 0 && j - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    int32_t c = -1;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s + k, (utf8proc_ssize_t)(j - k), &c) <= 0)
        c = -1;
    *start = k;
    return c;
}

static bool closing_mark(int32_t c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
           c == 0x00BB || c == 0x300D;
}

static bool final_mark(int32_t c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x3002 || c == 0xFF01 ||
           c == 0xFF1F || c == 0x061F || c == 0x0964;
}

/* True if the text before s[a] ends a sentence: ". ! ? ..." perhaps
 * followed by closing quotes or brackets. */
static bool sentence_end(const char *s, size_t a)
{
    size_t j = a;
    for (;;) {
        if (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
            j--;
        else if (j > 1 && (unsigned char)s[j - 1] == 0xA0 && (unsigned char)s[j - 2] == 0xC2)
            j -= 2;
        else
            break;
    }
    for (int k = 0; k < 3 && j > 0; k++) {
        size_t st;
        int32_t c = cp_before(s, j, &st);
        if (final_mark(c))
            return true;
        if (!closing_mark(c))
            return false;
        j = st;
    }
    return false;
}

/* True if the text from s[b] on starts a sentence: after opening quotes
 * or brackets, a capital, a digit or a letter of a script without case. */
static bool sentence_start(const char *s, size_t n, size_t b)
{
    size_t j = skip_space(s, n, b);
    for (int k = 0; k < 3 && j < n; k++) {
        int32_t c;
        utf8proc_ssize_t m = utf8proc_iterate((const utf8proc_uint8_t *)s + j,
                                              (utf8proc_ssize_t)(n - j), &c);
        if (m <= 0)
            return false;
        if (c == '"' || c == '\'' || c == '(' || c == 0x201C || c == 0x201E || c == 0x2018 ||
            c == 0x00AB || c == 0x00BF || c == 0x00A1 || c == 0x300C) {
            j += (size_t)m;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(c);
        return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
               cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND;
    }
    return false;
}

/* A cheap first look: a line with ';' or '=' but neither '{' nor '<' can
 * hold code only if a ';' follows a bracket or comes with a '=', or if a
 * '=' comes with a '[' (a shortcode's attribute). */
static bool worth_a_look(const char *s, size_t n)
{
    if (memchr(s, '{', n) || memchr(s, '<', n))
        return true;
    bool eq = memchr(s, '=', n) != NULL;
    if (eq && memchr(s, '[', n))
        return true;                          /* [caption width="300"] */
    for (const char *p = memchr(s, ';', n); p; p = memchr(p + 1, ';', (size_t)(s + n - p - 1))) {
        if (p > s && (p[-1] == ')' || p[-1] == ']' || eq))
            return true;
        if (p + 1 >= s + n)
            break;
    }
    return false;
}

/* The run of code from s[i]: matches glued together or apart by white
 * space, perhaps ending in a "//" comment that runs to the line's end.
 * Returns its end, or 0 if it holds no code (only punctuation) or ends
 * glued to text; *next is where the search goes on. */
static size_t run_at(const char *s, size_t n, size_t i, size_t *next)
{
    bool punct;
    size_t b = match_at(s, n, i, &punct);
    *next = i;
    if (!b)
        return 0;
    bool code = !punct;
    for (;;) {
        size_t j = b < n && !space_at(s, n, b) ? b : skip_space(s, n, b);
        if (j >= n)
            break;
        size_t f = match_at(s, n, j, &punct);
        if (!f && code && j + 1 < n && s[j] == '/' && s[j + 1] == '/') {
            f = n;                            /* "<script>// <![CDATA[" */
            punct = true;
        }
        if (!f) {
            *next = b;
            return j > b && code ? b : 0;     /* "{{ x }}abc": no run */
        }
        code = code || !punct;
        b = f;
    }
    *next = b;
    return code ? b : 0;
}

/* Words of s[a..b): tokens holding a letter (or a non-ASCII character),
 * a token of a script without spaces counting one per two characters. */
static size_t words_in(const char *s, size_t a, size_t b)
{
    size_t words = 0;
    for (size_t i = a; i < b;) {
        size_t wide = 0;
        bool letter = false;
        while (i < b && !space_at(s, b, i)) {
            unsigned char c = (unsigned char)s[i++];
            letter = letter || is_alpha(c) || c >= 0xC0;
            wide += c >= 0xE3;                /* CJK, kana, Hangul... */
        }
        words += wide >= 4 ? wide / 2 : letter;
        i = skip_space(s, b, i);
    }
    return words;
}

size_t sf_glued_find(const char *s, size_t n, sf_span *out, size_t max)
{
    if (!s || n == 0 || max == 0 || !worth_a_look(s, n))
        return 0;
    g_budget = n * BUDGET_PER_BYTE + 4 * BLOCK_MAX;
    size_t k = 0, i = skip_space(s, n, 0);
    size_t words = 0, text_from = 0;          /* words outside every run */
    while (i < n && k < max) {
        size_t next, b = run_at(s, n, i, &next);
        if (b) {
            words += words_in(s, text_from, i);
            text_from = b;
        }
        if (b && !(i == 0 && b == n) && (i == 0 || sentence_end(s, i)) &&
            (b == n || sentence_start(s, n, b))) {
            out[k].off = i;
            out[k].len = b - i;
            k++;
        }
        /* on to the next token, or to markup glued to the end of a
         * sentence: "The new stop.[/caption]", "He left.<br>" */
        i = next > i ? next : i + 1;
        while (i < n && !space_at(s, n, i) &&
               !((s[i] == '<' || s[i] == '[' || s[i] == '{') && s[i - 1] &&
                 strchr(".!?\"')", s[i - 1])))
            i++;
        i = skip_space(s, n, i);
    }
    /* runs of code with a word or two between them are a line of code */
    if (text_from < n && words < PROSE_MIN_WORDS)
        words += words_in(s, text_from, n);
    return words >= PROSE_MIN_WORDS ? k : 0;
}

/* ====================================================================== */
/* Cutting the page's lines                                                */
/* ====================================================================== */

/* Trims white space at both ends of s[*a..*b). */
static void trim_span(const char *s, size_t *a, size_t *b)
{
    *a = skip_space(s, *b, *a);
    while (*b > *a) {
        if (s[*b - 1] == ' ' || s[*b - 1] == '\t' || s[*b - 1] == '\r' || s[*b - 1] == '\f' ||
            s[*b - 1] == '\v')
            (*b)--;
        else if (*b - *a >= 2 && (unsigned char)s[*b - 1] == 0xA0 &&
                 (unsigned char)s[*b - 2] == 0xC2)
            *b -= 2;
        else
            break;
    }
}

/* The pieces of line s[0..n): code runs and the non-empty text between
 * them, as spans in the line; code[k] tells which. Returns their number, 0
 * when the line stays whole (no code run, or no text beside it). */
static size_t pieces(const char *s, size_t n, sf_span *p, bool *code)
{
    sf_span runs[SF_GLUED_MAX];
    size_t nr = sf_glued_find(s, n, runs, SF_GLUED_MAX);
    size_t np = 0, at = 0;
    bool text = false;
    for (size_t r = 0; r <= nr; r++) {
        size_t a = at, b = r < nr ? runs[r].off : n;
        trim_span(s, &a, &b);
        if (b > a) {
            p[np] = (sf_span){a, b - a};
            code[np++] = false;
            text = true;
        }
        if (r < nr) {
            p[np] = runs[r];
            code[np++] = true;
            at = runs[r].off + runs[r].len;
        }
    }
    return nr > 0 && text ? np : 0;
}

/* Set while a piece is scanned: sf_clean_lines on a piece does not cut it
 * again. */
static _Thread_local bool g_in_piece;

/* Features of d->text[off..off+len) (trimmed, one line) as a line of its
 * own: sf_clean_lines on the piece alone, in the page's language (a page
 * of unknown language is counted with the English list, as in
 * clean_lines.c). The page's counts are left alone; no and joined are 0. */
static sf_status piece_line(const sf_clean_doc *d, size_t off, size_t len, sf_line *li)
{
    sf_article a;
    memset(&a, 0, sizeof a);
    a.text = d->text + off;
    a.text_len = len;
    a.lang = sf_lang_code(d->lang == SF_LANG_UNKNOWN ? SF_LANG_EN : d->lang);
    a.lang_len = strlen(a.lang);
    sf_clean_doc pd;
    g_in_piece = true;
    sf_status st = sf_clean_lines(&a, &pd);
    g_in_piece = false;
    if (st == SF_OK) {
        memset(li, 0, sizeof *li);
        if (pd.n >= 1)
            *li = pd.lines[0];
        li->off += off;
        li->len = pd.n >= 1 ? li->len : len;
        li->no = 0;
        li->joined = false;
    }
    sf_clean_doc_free(&pd);
    return st;
}

/* sf_glued_split from line `first`, the first that holds a mark. */
static __attribute__((noinline)) sf_status split_from(sf_clean_doc *d, size_t first)
{
    sf_line *out = NULL;
    size_t on = 0, cap = 0;
    uint64_t words = d->total_words, stops = d->total_stops;
    for (size_t i = first; i < d->n; i++) {
        const sf_line *li = &d->lines[i];
        if (!(li->marks & SF_GLUED_MARKS) && !out)
            continue;
        sf_span p[2 * SF_GLUED_MAX + 1];
        bool code[2 * SF_GLUED_MAX + 1];
        size_t np = (li->marks & SF_GLUED_MARKS) ? pieces(d->text + li->off, li->len, p, code)
                                                   : 0;
        if (np == 0 && !out)
            continue;
        size_t have = out ? on : i;           /* lines before this one */
        if (have + (np ? np : 1) > cap) {
            size_t nc = cap ? cap * 2 : d->n + 2 * SF_GLUED_MAX + 1;
            while (nc < have + np)
                nc *= 2;
            sf_line *grown = realloc(out, nc * sizeof *out);
            if (!grown) {
                free(out);
                return SF_ENOMEM;
            }
            if (!out) {
                memcpy(grown, d->lines, i * sizeof *grown);
                on = i;
            }
            out = grown;
            cap = nc;
        }
        if (np == 0) {
            out[on++] = *li;
            continue;
        }
        words -= li->words;
        stops -= li->stops;
        for (size_t k = 0; k < np; k++) {
            sf_line *pl = &out[on + k];
            if (piece_line(d, li->off + p[k].off, p[k].len, pl) != SF_OK) {
                free(out);
                return SF_ENOMEM;
            }
            pl->no = li->no;
            pl->joined = k == 0 ? li->joined : true;
            pl->code_piece = code[k];
            words += pl->words;
            stops += pl->stops;
        }
        on += np;
    }
    if (out) {
        free(d->lines);
        d->lines = out;
        d->n = on;
        d->total_words = words;
        d->total_stops = stops;
    }
    return SF_OK;
}

sf_status sf_glued_split(sf_clean_doc *d)
{
    if (g_in_piece)
        return SF_OK;
    /* most lines hold none of the marks: one pass over them */
    size_t i = 0;
    while (i < d->n && !(d->lines[i].marks & SF_GLUED_MARKS))
        i++;
    return i < d->n ? split_from(d, i) : SF_OK;
}
