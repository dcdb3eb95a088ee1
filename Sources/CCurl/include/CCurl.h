#ifndef KUBEARCH_CCURL_H
#define KUBEARCH_CCURL_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
// These typed wrappers are the only way the Swift side talks to them.
CURLcode kubearch_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode kubearch_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode kubearch_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode kubearch_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode kubearch_curl_setopt_write_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode kubearch_curl_setopt_header_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode kubearch_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode kubearch_curl_getinfo_string(CURL *handle, CURLINFO info, char **value);

#endif
