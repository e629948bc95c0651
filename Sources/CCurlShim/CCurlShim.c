#include "CCurlShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLcode (*easy_perform)(CURL *);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];

#define RESOLVE(field, symbol)                                                          \
    if (!(*(void **)&curl.field = dlsym(library, symbol))) {                            \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 lacks %s", symbol);        \
        return;                                                                          \
    }

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl (install libcurl4): %s", dlerror());
        return;
    }
    RESOLVE(global_init, "curl_global_init")
    RESOLVE(easy_init, "curl_easy_init")
    RESOLVE(easy_setopt, "curl_easy_setopt")
    RESOLVE(easy_getinfo, "curl_easy_getinfo")
    RESOLVE(easy_perform, "curl_easy_perform")
    RESOLVE(easy_cleanup, "curl_easy_cleanup")
    RESOLVE(easy_strerror, "curl_easy_strerror")
    RESOLVE(slist_append, "curl_slist_append")
    RESOLVE(slist_free_all, "curl_slist_free_all")
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed");
        curl.easy_init = NULL;
    }
}

int pipespec_curl_load(char *error, size_t error_size) {
    pthread_once(&load_once, load);
    if (curl.easy_init && load_error[0] == 0) return 0;
    snprintf(error, error_size, "%s", load_error[0] ? load_error : "cannot load libcurl");
    return -1;
}

CURL *pipespec_curl_easy_init(void) { return curl.easy_init(); }
CURLcode pipespec_curl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }
void pipespec_curl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }
const char *pipespec_curl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }

struct curl_slist *pipespec_curl_slist_append(struct curl_slist *list, const char *text) {
    return curl.slist_append(list, text);
}

void pipespec_curl_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }

CURLcode pipespec_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode pipespec_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode pipespec_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode pipespec_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode pipespec_curl_setopt_write_function(CURL *handle, CURLoption option,
                                             size_t (*callback)(char *, size_t, size_t, void *)) {
    return curl.easy_setopt(handle, option, callback);
}

CURLcode pipespec_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}
