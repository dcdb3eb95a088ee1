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

#include <errno.h>
#if defined(__linux__)
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#endif

int kubearch_exchange(const char *first, const char *second) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
#else
    (void)first; (void)second;
    errno = ENOSYS;
    return -1;
#endif
}

int kubearch_file_is_plain(int fd) {
#if defined(__linux__)
    ssize_t names = flistxattr(fd, NULL, 0);
    if (names > 0) return 0;
    if (names < 0 && errno != ENOTSUP) return -1;
    int flags = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
        // What chattr sets; the rest (extents, inline data, ...) is how the file system stores it.
        const int chosen = FS_APPEND_FL | FS_IMMUTABLE_FL | FS_NODUMP_FL | FS_NOATIME_FL | FS_SYNC_FL
            | FS_DIRSYNC_FL | FS_COMPR_FL | FS_NOCOMP_FL | FS_NOCOW_FL | FS_PROJINHERIT_FL
            | FS_SECRM_FL | FS_UNRM_FL | FS_JOURNAL_DATA_FL | FS_NOTAIL_FL | FS_TOPDIR_FL;
        if (flags & chosen) return 0;
    } else if (errno != ENOTTY && errno != ENOTSUP && errno != EINVAL) {
        return -1;
    }
    return 1;
#else
    (void)fd;
    return 1;
#endif
}

int kubearch_folder_has_default_acl(const char *folder) {
#if defined(__linux__)
    if (getxattr(folder, "system.posix_acl_default", NULL, 0) >= 0) return 1;
    if (errno == ENODATA || errno == ENOTSUP) return 0;
    return -1;
#else
    (void)folder;
    return 0;
#endif
}
