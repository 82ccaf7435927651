#pragma once

// What notify/'s HTTP calls share (a header of notify/ only; curl stays out of the others).
#include <curl/curl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace portico::notify {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlHeaders = std::unique_ptr<curl_slist, CurlDeleter>;

// Content-Type (when not empty), then `headers`, and no Expect: 100-continue round trip.
CurlHeaders curlHeaders(const std::string& content_type,
                        const std::vector<std::pair<std::string, std::string>>& headers);

// An easy handle for `url` with `headers` (which must outlive it): http and https only, redirects
// not followed (a 3xx is an answer like any other), never a proxy from the environment, no
// signals, connect timeout 5 s and `timeout_s` in all; POSTs `post_body` when it is given (which
// must outlive it too). Null if curl cannot start.
CurlHandle curlEasy(const std::string& url, curl_slist* headers, long timeout_s,
                    const std::string* post_body);

}  // namespace portico::notify
