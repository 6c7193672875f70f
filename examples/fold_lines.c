/*
 * fold_lines.c — the smallest program on libstoryfold: reads JSON Lines
 * articles from the files named on the command line (or standard input),
 * folds them, and prints each story's headline and size.
 *
 *   cc fold_lines.c -Iinclude build/libstoryfold.a \
 *      $(pkg-config --libs libutf8proc jansson libxxhash) -lstemmer -lm -lpthread
 */
#include <stdio.h>
#include <stdlib.h>

#include "storyfold.h"

static int add_input(sf_engine *e, const char *path)
{
    sf_error err;
    sf_reader *r = sf_reader_open(path, NULL, &err);
    if (!r) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return 1;
    }
    sf_article a;
    sf_status st;
    while ((st = sf_reader_next(r, &a, &err)) != SF_END) {
        if (st == SF_OK)
            st = sf_engine_add(e, &a);
        else /* a bad record: say where, skip it, go on */
            fprintf(stderr, "%s:%llu: %s\n", path, (unsigned long long)err.line,
                    err.message);
        if (st == SF_ENOMEM)
            break;
    }
    sf_reader_free(r);
    return st == SF_ENOMEM;
}

int main(int argc, char **argv)
{
    sf_engine *e = sf_engine_new(NULL); /* default options */
    if (!e)
        return 2;
    int bad = argc < 2 ? add_input(e, "-") : 0;
    for (int i = 1; i < argc; i++)
        bad |= add_input(e, argv[i]);
    if (!bad && sf_engine_fold(e) == SF_OK) {
        for (size_t i = 0; i < sf_engine_story_count(e); i++) {
            sf_story_info s;
            sf_engine_story_info(e, i, &s);
            printf("%zu\t%s\n", s.articles, s.headline);
        }
    }
    sf_engine_free(e);
    return bad;
}
