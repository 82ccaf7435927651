#include "notify/curl_easy.h"

namespace portico::notify {

CurlHeaders curlHeaders(const std::string& content_type,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  curl_slist* raw = nullptr;
  if (!content_type.empty())
    raw = curl_slist_append(raw, ("Content-Type: " + content_type).c_str());
  for (const auto& [name, value] : headers) {
    raw = curl_slist_append(raw, (name + ": " + value).c_str());
  }
  raw = curl_slist_append(raw, "Expect:");
  return CurlHeaders(raw);
}

CurlHandle curlEasy(const std::string& url, curl_slist* headers, long timeout_s,
                    const std::string* post_body) {
  CurlHandle curl(curl_easy_init());
  if (!curl) return curl;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (post_body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body->size()));
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  return curl;
}

}  // namespace portico::notify
