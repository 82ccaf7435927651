#include "notify/http_client.h"

#include "notify/curl_easy.h"

namespace portico::notify {
namespace {

constexpr std::size_t kMaxBody = 1 << 20;

std::size_t keep(char* data, std::size_t size, std::size_t n, void* userdata) {
  auto* body = static_cast<std::string*>(userdata);
  if (body->size() + size * n > kMaxBody) return 0;  // too long: curl stops with an error
  body->append(data, size * n);
  return size * n;
}

}  // namespace

HttpAnswer HttpClient::send(const HttpCall& call) const {
  HttpAnswer out;
  auto headers = curlHeaders(call.content_type, call.headers);
  auto curl = curlEasy(call.url, headers.get(), 20L, call.method == "POST" ? &call.body : nullptr);
  if (!curl) {
    out.error = "the HTTP client could not start";
    return out;
  }
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Portico/1");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    out.error = std::string("no answer: ") + curl_easy_strerror(rc);
    out.body.clear();
    return out;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

}  // namespace portico::notify
