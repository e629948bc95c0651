#ifndef PIPESPEC_CCURLSHIM_H
#define PIPESPEC_CCURLSHIM_H

#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed
// wrapper per argument type.

CURLcode pipespec_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode pipespec_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode pipespec_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode pipespec_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode pipespec_curl_setopt_write_function(CURL *handle, CURLoption option,
                                             size_t (*callback)(char *, size_t, size_t, void *));
CURLcode pipespec_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
