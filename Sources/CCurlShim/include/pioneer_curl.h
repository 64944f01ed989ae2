// Typed, non-variadic wrappers around libcurl for Swift.
//
// Swift cannot call C variadic functions (curl_easy_setopt, curl_multi_setopt,
// curl_easy_getinfo) nor import macros built from casts and shifts (CURLAUTH_NTLM).
// Each wrapper here fixes the argument type, so the Swift side stays type-checked.
#ifndef PIONEER_CURL_H
#define PIONEER_CURL_H

#include <curl/curl.h>

/// Initialises libcurl once per process; safe to call from any thread, any number of times.
/// Returns CURLE_OK, or the code of the first (and only) initialisation.
CURLcode pc_global_init(void);

// MARK: Easy handle options

CURLcode pc_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode pc_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
/// libcurl copies strings (since 7.17), so `value` need only live for the call.
CURLcode pc_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode pc_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode pc_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list);

/// Makes the request a POST of `size` bytes at `data`, which libcurl copies (COPYPOSTFIELDS),
/// so `data` need only live for the call. `data` may be NULL when `size` is 0: an empty body,
/// never libcurl's default of reading the body from stdin.
CURLcode pc_easy_setopt_post(CURL *handle, const void *data, curl_off_t size);

/// Allows only http and https, for the request and for redirects. Uses the string form
/// on libcurl 7.85 and later and the deprecated bitmask before it.
CURLcode pc_easy_allow_http_only(CURL *handle);

/// Sets CURLOPT_WRITEFUNCTION and CURLOPT_WRITEDATA together.
CURLcode pc_easy_setopt_write_callback(CURL *handle, curl_write_callback callback, void *userdata);
/// Sets CURLOPT_HEADERFUNCTION and CURLOPT_HEADERDATA together.
CURLcode pc_easy_setopt_header_callback(CURL *handle, curl_write_callback callback, void *userdata);

// MARK: Easy handle information

CURLcode pc_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode pc_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
/// The string stays owned by the handle; copy it before the handle is cleaned up.
CURLcode pc_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);

// MARK: Multi handle

CURLMcode pc_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

/// Reads the next "transfer done" message: returns 1 and fills `easy` and `result`,
/// or 0 when no finished transfer is waiting. Other message kinds are skipped.
int pc_multi_next_done(CURLM *handle, CURL **easy, CURLcode *result);

// MARK: Constants that Swift cannot import

unsigned long pc_auth_basic(void);
unsigned long pc_auth_ntlm(void);
unsigned long pc_auth_negotiate(void);

/// 1 when this libcurl supports NTLM / SPNEGO (Negotiate) authentication.
int pc_supports_ntlm(void);
int pc_supports_negotiate(void);

/// The libcurl version, such as "7.88.1".
const char *pc_version(void);

#endif
