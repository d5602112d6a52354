// envoy: owning handles for libcurl's C objects (easy and multi handles, share objects, header
// lists), so each is cleaned up exactly once by its owner. Header-only; the tests and the
// benchmark use the same handles for their own requests.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <new>

namespace envoy::curl {

struct EasyCleanup {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct MultiCleanup {
    void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct ShareCleanup {
    void operator()(CURLSH* share) const { curl_share_cleanup(share); }
};
struct ListCleanup {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

using Easy = std::unique_ptr<CURL, EasyCleanup>;
using Multi = std::unique_ptr<CURLM, MultiCleanup>;
using Share = std::unique_ptr<CURLSH, ShareCleanup>;
using List = std::unique_ptr<curl_slist, ListCleanup>;

// Adds a line to a header list; the list is unchanged if libcurl cannot allocate.
inline void append(List& list, const char* line) {
    curl_slist* grown = curl_slist_append(list.get(), line);
    if (grown == nullptr) throw std::bad_alloc();
    (void)list.release();
    list.reset(grown);
}

}  // namespace envoy::curl
