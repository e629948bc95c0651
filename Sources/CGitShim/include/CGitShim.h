#ifndef PIPESPEC_CGITSHIM_H
#define PIPESPEC_CGITSHIM_H

#include <stddef.h>

/// Reads the blob `spec` names (`REV:PATH`, as `git show` takes it) from the repository
/// that holds `directory`, with libgit2, loaded on first use. On success, `*data` is a
/// malloc'ed copy the caller frees and 0 is returned; otherwise `error` says why and -1 is
/// returned.
int pipespec_git_read_blob(const char *directory, const char *spec, unsigned char **data, size_t *size,
                           char *error, size_t error_size);

/// The working directory of the repository that holds `directory`, malloc'ed, or NULL.
char *pipespec_git_workdir(const char *directory, char *error, size_t error_size);

#endif
