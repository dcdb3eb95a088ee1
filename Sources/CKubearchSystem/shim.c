#define _GNU_SOURCE
#include <unistd.h>
#include "CKubearchSystem.h"

int kubearch_syncfs(int fd) {
#if defined(__linux__)
    return syncfs(fd);
#else
    (void)fd;
    sync();
    return 0;
#endif
}

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

int kubearch_open_unnamed_file(const char *folder) {
#if defined(O_TMPFILE)
    int fd = open(folder, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
#endif
    char path[4096];
    if (snprintf(path, sizeof path, "%s/.kubearch-spill.XXXXXX", folder) >= (int)sizeof path) return -1;
    int named = mkostemp(path, O_CLOEXEC);
    if (named < 0) return -1;
    unlink(path);
    return named;
}
