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

/// Swaps what two paths name, atomically (renameat2 with RENAME_EXCHANGE): each keeps its name and
/// gets the other's file. Returns 0, or -1 with errno set (EINVAL or ENOSYS where the file system or
/// the system cannot).
int kubearch_exchange(const char *first, const char *second);

/// 1 when the open file carries nothing that a file newly created in its place would lack: no
/// extended attributes (ACLs, security labels, user attributes) and no inode flag that a user sets
/// (append-only, immutable, no-dump, no-atime, ...); 0 when it carries something; -1 with errno
/// set when that cannot be told.
int kubearch_file_is_plain(int fd);

/// 1 when `folder` has a default ACL (which files created in it inherit), 0 when it has none or the
/// file system has no ACLs, -1 with errno set when that cannot be told.
int kubearch_folder_has_default_acl(const char *folder);

#endif
