#include "notify/webhook_client.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <memory>

#include "notify/curl_easy.h"
#include "notify/webhook_url.h"

namespace portico::notify {
namespace {

struct Call {
  bool allow_private = false;
  bool refused = false;
  std::string refused_address;
  std::string retry_after;
};

// Every socket curl opens goes through here, with the address it is about to connect to.
curl_socket_t openSocket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* call = static_cast<Call*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN || !address) return CURL_SOCKET_BAD;
  if (!call->allow_private && !isPublicAddress(&address->addr)) {
    call->refused = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

std::size_t header(char* data, std::size_t size, std::size_t n, void* userdata) {
  auto* call = static_cast<Call*>(userdata);
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "retry-after") {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
        value.pop_back();
      auto start = value.find_first_not_of(" \t");
      call->retry_after = start == std::string::npos ? "" : value.substr(start);
    }
  }
  return size * n;
}

}  // namespace

std::optional<std::int64_t> parseRetryAfter(const std::string& value, std::int64_t now_s) {
  if (value.empty() || value.size() > 64) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return std::nullopt;
    return std::stoll(value);
  }
  std::time_t when = curl_getdate(value.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(when) - now_s);
}

WebhookResponse WebhookClient::post(const WebhookRequest& request) const {
  WebhookResponse out;
  auto headers = curlHeaders("application/json", request.headers);
  auto curl = curlEasy(request.url, headers.get(), 15L, &request.body);
  if (!curl) {
    out.error = "the HTTP client could not start";
    return out;
  }
  Call call;
  call.allow_private = allow_private_;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Portico-Webhooks/1");
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, openSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &call);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &call);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  CURLcode rc = curl_easy_perform(c);
  if (call.refused) {
    out.refused = true;
    out.error =
        "refused: the receiver's address is not public (loopback, private, link-local or "
        "reserved); the operator may allow it with --allow-private-webhooks";
    return out;
  }
  if (rc != CURLE_OK) {
    out.error = std::string("no answer: ") + curl_easy_strerror(rc);
    return out;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  if (!call.retry_after.empty()) {
    out.retry_after_s =
        parseRetryAfter(call.retry_after, static_cast<std::int64_t>(std::time(nullptr)));
  }
  return out;
}

}  // namespace portico::notify
