// Implementation of the typed libcurl wrappers declared in pioneer_curl.h.
#include "pioneer_curl.h"
#include <pthread.h>

static pthread_once_t pc_init_once = PTHREAD_ONCE_INIT;
static CURLcode pc_init_result = CURLE_OK;

static void pc_init_now(void) {
    pc_init_result = curl_global_init(CURL_GLOBAL_ALL);
}

CURLcode pc_global_init(void) {
    pthread_once(&pc_init_once, pc_init_now);
    return pc_init_result;
}

CURLcode pc_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode pc_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode pc_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode pc_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode pc_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

CURLcode pc_easy_setopt_post(CURL *handle, const void *data, curl_off_t size) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_POST, 1L);
    if (code != CURLE_OK) return code;
    code = curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, size);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_COPYPOSTFIELDS, (data != NULL && size > 0) ? data : "");
}

CURLcode pc_easy_allow_http_only(CURL *handle) {
#if LIBCURL_VERSION_NUM >= 0x075500
    CURLcode code = curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    CURLcode code = curl_easy_setopt(handle, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

CURLcode pc_easy_setopt_write_callback(CURL *handle, curl_write_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_WRITEDATA, userdata);
}

CURLcode pc_easy_setopt_header_callback(CURL *handle, curl_write_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_HEADERDATA, userdata);
}

CURLcode pc_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode pc_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode pc_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    char *text = NULL;
    CURLcode code = curl_easy_getinfo(handle, info, &text);
    *value = text;
    return code;
}

CURLMcode pc_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

int pc_multi_next_done(CURLM *handle, CURL **easy, CURLcode *result) {
    int queued = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(handle, &queued)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *easy = message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}

unsigned long pc_auth_basic(void) { return CURLAUTH_BASIC; }
unsigned long pc_auth_ntlm(void) { return CURLAUTH_NTLM; }
unsigned long pc_auth_negotiate(void) { return CURLAUTH_NEGOTIATE; }

int pc_supports_ntlm(void) {
    return (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_NTLM) != 0;
}

int pc_supports_negotiate(void) {
    return (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_SPNEGO) != 0;
}

const char *pc_version(void) {
    return curl_version_info(CURLVERSION_NOW)->version;
}
