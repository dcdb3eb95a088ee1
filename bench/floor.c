/* The floor for a tool built on libyaml: walk a tree and parse every YAML file to events,
 * single-threaded, doing nothing else. kubearch check is compared against this. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static long files, events, errors;

static int parse_file(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    (void)sb; (void)ftw;
    if (type != FTW_F) return 0;
    size_t len = strlen(path);
    if (!(len > 5 && (!strcmp(path + len - 5, ".yaml") || !strcmp(path + len - 4, ".yml") || !strcmp(path + len - 5, ".json")))) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    yaml_parser_t parser;
    yaml_event_t event;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) { errors++; break; }
        events++;
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        if (done) break;
    }
    yaml_parser_delete(&parser);
    fclose(f);
    files++;
    return 0;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) nftw(argv[i], parse_file, 64, FTW_PHYS);
    printf("%ld files, %ld events, %ld errors\n", files, events, errors);
    return 0;
}
