#include "CGitShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The few libgit2 declarations used, so building needs no libgit2 headers; their ABI is the
// same across libgit2 1.x.
typedef struct git_repository git_repository;
typedef struct git_object git_object;
typedef struct { char *message; int klass; } git_error;
enum { GIT_OBJECT_BLOB = 3 };

static struct {
    int (*init)(void);
    int (*repository_open_ext)(git_repository **, const char *, unsigned int, const char *);
    const char *(*repository_workdir)(const git_repository *);
    void (*repository_free)(git_repository *);
    int (*revparse_single)(git_object **, git_repository *, const char *);
    int (*object_type)(const git_object *);
    void (*object_free)(git_object *);
    const void *(*blob_rawcontent)(const git_object *);
    long long (*blob_rawsize)(const git_object *);
    const git_error *(*error_last)(void);
} git;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];

#define RESOLVE(field, symbol)                                                          \
    if (!(*(void **)&git.field = dlsym(library, symbol))) {                             \
        snprintf(load_error, sizeof load_error, "libgit2 lacks %s", symbol);             \
        return;                                                                          \
    }

static void load(void) {
    static const char *names[] = {"libgit2.so.1.9", "libgit2.so.1.8", "libgit2.so.1.7", "libgit2.so.1.6", "libgit2.so.1.5"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !library; i++) library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(load_error, sizeof load_error, "reading REV:PATH needs libgit2 1.5 or later (apt install libgit2-1.5): %s", dlerror());
        return;
    }
    RESOLVE(init, "git_libgit2_init")
    RESOLVE(repository_open_ext, "git_repository_open_ext")
    RESOLVE(repository_workdir, "git_repository_workdir")
    RESOLVE(repository_free, "git_repository_free")
    RESOLVE(revparse_single, "git_revparse_single")
    RESOLVE(object_type, "git_object_type")
    RESOLVE(object_free, "git_object_free")
    RESOLVE(blob_rawcontent, "git_blob_rawcontent")
    RESOLVE(blob_rawsize, "git_blob_rawsize")
    RESOLVE(error_last, "git_error_last")
    if (git.init() < 0) snprintf(load_error, sizeof load_error, "git_libgit2_init failed");
}

static int loaded(char *error, size_t error_size) {
    pthread_once(&load_once, load);
    if (load_error[0] == 0) return 1;
    snprintf(error, error_size, "%s", load_error);
    return 0;
}

static void last_error(const char *what, char *error, size_t error_size) {
    const git_error *last = git.error_last();
    snprintf(error, error_size, "%s: %s", what, last && last->message ? last->message : "unknown error");
}

static git_repository *open_repository(const char *directory, char *error, size_t error_size) {
    git_repository *repository = NULL;
    if (git.repository_open_ext(&repository, directory, 0, NULL) < 0) {
        last_error("not in a git repository", error, error_size);
        return NULL;
    }
    return repository;
}

int pipespec_git_read_blob(const char *directory, const char *spec, unsigned char **data, size_t *size,
                           char *error, size_t error_size) {
    if (!loaded(error, error_size)) return -1;
    git_repository *repository = open_repository(directory, error, error_size);
    if (!repository) return -1;
    git_object *object = NULL;
    int status = -1;
    if (git.revparse_single(&object, repository, spec) < 0) {
        last_error(spec, error, error_size);
    } else if (git.object_type(object) != GIT_OBJECT_BLOB) {
        snprintf(error, error_size, "%s: not a file", spec);
    } else {
        long long length = git.blob_rawsize(object);
        *data = malloc(length > 0 ? (size_t)length : 1);
        if (*data) {
            if (length > 0) memcpy(*data, git.blob_rawcontent(object), (size_t)length);
            *size = (size_t)length;
            status = 0;
        } else {
            snprintf(error, error_size, "%s: out of memory", spec);
        }
    }
    if (object) git.object_free(object);
    git.repository_free(repository);
    return status;
}

char *pipespec_git_workdir(const char *directory, char *error, size_t error_size) {
    if (!loaded(error, error_size)) return NULL;
    git_repository *repository = open_repository(directory, error, error_size);
    if (!repository) return NULL;
    const char *workdir = git.repository_workdir(repository);
    char *copy = workdir ? strdup(workdir) : NULL;
    if (!workdir) snprintf(error, error_size, "the repository has no working directory");
    else if (!copy) snprintf(error, error_size, "out of memory");
    git.repository_free(repository);
    return copy;
}
