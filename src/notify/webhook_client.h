#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace portico::notify {

struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // beside Content-Type
  std::string body;                                          // JSON
};

struct WebhookResponse {
  long status = 0;       // the receiver's answer; 0 if there was none
  std::string error;     // English, for operators, when there was no answer (or it was refused)
  bool refused = false;  // the address connected to is not public: nothing was sent
  std::optional<std::int64_t> retry_after_s;  // the answer's Retry-After, in seconds from now
};

// POSTs webhooks with libcurl: application/json, connect timeout 5 s, total 15 s, redirects not
// followed (a 3xx is an answer like any other), no proxy from the environment, http and https
// only. Unless `allow_private`, every address it connects to (after DNS resolution, so a name
// that resolves to a private address is caught however it was made to) must be public
// (isPublicAddress); otherwise it refuses before connecting. Blocking: call it on a job worker.
// Thread-safe.
class WebhookClient {
 public:
  explicit WebhookClient(bool allow_private) : allow_private_(allow_private) {}
  virtual ~WebhookClient() = default;
  virtual WebhookResponse post(const WebhookRequest& request) const;

 private:
  bool allow_private_;
};

// A Retry-After value (delta-seconds or an HTTP date) as seconds from `now_s`; nullopt if it is
// neither. A date in the past is 0.
std::optional<std::int64_t> parseRetryAfter(const std::string& value, std::int64_t now_s);

}  // namespace portico::notify
