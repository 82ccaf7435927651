#pragma once

#include <string>
#include <utility>
#include <vector>

namespace portico::notify {

// A call to another program's HTTP API (a payment provider's): the answer's body is kept.
struct HttpCall {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;  // of the body (POST)
  std::string body;
};

struct HttpAnswer {
  long status = 0;    // 0: there was no answer
  std::string body;   // at most 1 MiB of it
  std::string error;  // English, for operators, when there was no answer
};

// Calls HTTP APIs with libcurl: connect timeout 5 s, total 20 s, redirects not followed, no proxy
// from the environment, http and https only, TLS peers verified. For the APIs the operator
// configured (a payment provider), not for addresses customers give (WebhookClient checks those).
// Blocking: call it off the I/O threads. Thread-safe.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual HttpAnswer send(const HttpCall& call) const;
};

}  // namespace portico::notify
