#ifndef KUBEARCH_CCURL_H
#define KUBEARCH_CCURL_H
#include <curl/curl.h>

// libcurl is not linked: shim.c opens it on first use and defines the curl_* functions the Swift side
// calls (curl_easy_init, curl_easy_perform, curl_slist_append, …) as forwarders to it.

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
// These typed wrappers are the only way the Swift side talks to them.
CURLcode kubearch_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode kubearch_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode kubearch_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode kubearch_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode kubearch_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode kubearch_curl_setopt_write_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode kubearch_curl_setopt_header_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode kubearch_curl_setopt_xferinfo_function(
    CURL *handle, int (*callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t));
CURLcode kubearch_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode kubearch_curl_getinfo_string(CURL *handle, CURLINFO info, char **value);

/// curl_global_init(CURL_GLOBAL_DEFAULT) exactly once per process (guarded by pthread_once);
/// returns its result on every call.
CURLcode kubearch_curl_global_init_once(void);

/// The CA directory libcurl was built with (e.g. /etc/ssl/certs), or NULL.
const char *kubearch_curl_default_capath(void);

#endif
