#include "CCurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

// libcurl is opened on first use rather than linked: loading it and the thirty-odd libraries it
// needs (TLS, Kerberos, LDAP, SSH, IDN…) took a third of every kubearch start, and most runs
// (check --offline, fix --offline, images) never speak to a registry. The curl_* functions the
// Swift side calls are defined here, with the declarations of <curl/curl.h>, and forward to the
// library's own. Hidden, so that the library's internal calls are never routed back through them.

#if defined(__APPLE__)
static const char *const library_names[] = {"libcurl.4.dylib", "/usr/lib/libcurl.4.dylib", NULL};
#else
// The soname `-lcurl` recorded when the library was linked.
static const char *const library_names[] = {"libcurl.so.4", NULL};
#endif

static struct {
    CURLcode (*global_init)(long);
    curl_version_info_data *(*version_info)(CURLversion);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;

static void load(void) {
    void *library = NULL;
    for (const char *const *name = library_names; *name != NULL && library == NULL; name++) {
        library = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) {
        return;
    }
    // Each pointer is assigned from dlsym's void * (POSIX guarantees the conversion works).
#define KUBEARCH_RESOLVE(field, symbol) \
    if ((*(void **)&api.field = dlsym(library, symbol)) == NULL) return;
    KUBEARCH_RESOLVE(global_init, "curl_global_init")
    KUBEARCH_RESOLVE(version_info, "curl_version_info")
    KUBEARCH_RESOLVE(easy_init, "curl_easy_init")
    KUBEARCH_RESOLVE(easy_cleanup, "curl_easy_cleanup")
    KUBEARCH_RESOLVE(easy_reset, "curl_easy_reset")
    KUBEARCH_RESOLVE(easy_perform, "curl_easy_perform")
    KUBEARCH_RESOLVE(easy_strerror, "curl_easy_strerror")
    KUBEARCH_RESOLVE(easy_setopt, "curl_easy_setopt")
    KUBEARCH_RESOLVE(easy_getinfo, "curl_easy_getinfo")
    KUBEARCH_RESOLVE(slist_append, "curl_slist_append")
    KUBEARCH_RESOLVE(slist_free_all, "curl_slist_free_all")
#undef KUBEARCH_RESOLVE
    loaded = 1;
}

/// Whether libcurl is loaded (loading it on the first call).
static int available(void) {
    pthread_once(&load_once, load);
    return loaded;
}

#define KUBEARCH_HIDDEN __attribute__((visibility("hidden")))

KUBEARCH_HIDDEN CURL *curl_easy_init(void) {
    return available() ? api.easy_init() : NULL;
}
KUBEARCH_HIDDEN void curl_easy_cleanup(CURL *handle) {
    if (available()) api.easy_cleanup(handle);
}
KUBEARCH_HIDDEN void curl_easy_reset(CURL *handle) {
    if (available()) api.easy_reset(handle);
}
KUBEARCH_HIDDEN CURLcode curl_easy_perform(CURL *handle) {
    return available() ? api.easy_perform(handle) : CURLE_FAILED_INIT;
}
KUBEARCH_HIDDEN const char *curl_easy_strerror(CURLcode code) {
    return available() ? api.easy_strerror(code) : "libcurl could not be loaded";
}
KUBEARCH_HIDDEN struct curl_slist *curl_slist_append(struct curl_slist *list, const char *text) {
    return available() ? api.slist_append(list, text) : NULL;
}
KUBEARCH_HIDDEN void curl_slist_free_all(struct curl_slist *list) {
    if (available()) api.slist_free_all(list);
}

// Every handle comes from curl_easy_init, so libcurl is loaded whenever these are reached.
CURLcode kubearch_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return api.easy_setopt(handle, option, value);
}
CURLcode kubearch_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return api.easy_setopt(handle, option, value);
}
CURLcode kubearch_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return api.easy_setopt(handle, option, value);
}
CURLcode kubearch_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return api.easy_setopt(handle, option, value);
}
CURLcode kubearch_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return api.easy_setopt(handle, option, value);
}
CURLcode kubearch_curl_setopt_write_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *)) {
    return api.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
CURLcode kubearch_curl_setopt_header_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *)) {
    return api.easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
CURLcode kubearch_curl_setopt_xferinfo_function(
    CURL *handle, int (*callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    return api.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}
CURLcode kubearch_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return api.easy_getinfo(handle, info, value);
}
CURLcode kubearch_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return api.easy_getinfo(handle, info, value);
}

static pthread_once_t global_init_once = PTHREAD_ONCE_INIT;
static CURLcode global_init_result = CURLE_FAILED_INIT;

static void global_init(void) {
    if (available()) global_init_result = api.global_init(CURL_GLOBAL_DEFAULT);
}

CURLcode kubearch_curl_global_init_once(void) {
    pthread_once(&global_init_once, global_init);
    return global_init_result;
}

const char *kubearch_curl_default_capath(void) {
    if (!available()) {
        return NULL;
    }
    const curl_version_info_data *info = api.version_info(CURLVERSION_NOW);
    if (info == NULL || info->age < CURLVERSION_SEVENTH) {
        return NULL;
    }
    return info->capath;
}
