#ifndef KUBEARCH_CSYSTEM_H
#define KUBEARCH_CSYSTEM_H

/// Flushes every dirty page of the file system that holds `fd` to disk: one call makes a whole batch of
/// written files durable, where fsync would take one call (and one disk flush) per file. Linux's
/// syncfs(2) is only declared with _GNU_SOURCE, which Swift's Glibc module does not set; elsewhere
/// this falls back to sync(2). Returns 0, or -1 with errno set.
int kubearch_syncfs(int fd);

/// Opens a new file in `folder` that has no name (O_TMPFILE; elsewhere a named file unlinked at
/// once), so it disappears when closed or when the process ends, however it ends. Returns the
/// descriptor, or -1 with errno set.
int kubearch_open_unnamed_file(const char *folder);

#endif
