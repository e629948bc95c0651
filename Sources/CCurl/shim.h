// libcurl's declarations only: CCurlShim loads the library itself when the first request is
// made, so that commands that never touch the network do not pay for loading libcurl and
// the thirty libraries it brings.
#include <curl/curl.h>
