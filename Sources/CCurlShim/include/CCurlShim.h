#ifndef PIPESPEC_CCURLSHIM_H
#define PIPESPEC_CCURLSHIM_H

#include <stddef.h>
#include <curl/curl.h>

// libcurl, loaded on first use (dlopen of libcurl.so.4), and typed wrappers for its variadic
// curl_easy_setopt and curl_easy_getinfo, which Swift cannot call.

/// Loads libcurl and runs curl_global_init once. Returns 0, or -1 with a reason in `error`.
int pipespec_curl_load(char *error, size_t error_size);

CURL *pipespec_curl_easy_init(void);
CURLcode pipespec_curl_easy_perform(CURL *handle);
void pipespec_curl_easy_cleanup(CURL *handle);
const char *pipespec_curl_easy_strerror(CURLcode code);
struct curl_slist *pipespec_curl_slist_append(struct curl_slist *list, const char *text);
void pipespec_curl_slist_free_all(struct curl_slist *list);

CURLcode pipespec_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode pipespec_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode pipespec_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode pipespec_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode pipespec_curl_setopt_write_function(CURL *handle, CURLoption option,
                                             size_t (*callback)(char *, size_t, size_t, void *));
CURLcode pipespec_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
