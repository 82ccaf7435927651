#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace portico::testing {

// An HTTP server on 127.0.0.1 that receives webhooks, for tests of their delivery: it records
// each request (method, path, headers with lower-cased names, body) and answers the next scripted
// answer (status, extra headers, body), or the responder's answer once the script is used up (200
// without one). One connection at a time; each answer closes its connection.
class WebhookReceiver {
 public:
  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;
    std::string body;
    std::string header(const std::string& name) const {
      auto it = headers.find(name);
      return it == headers.end() ? std::string() : it->second;
    }
  };
  struct Answer {
    int status = 200;
    std::vector<std::string> headers;  // "Name: value"
    std::string body = "ok";
  };

  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  unsigned short port() const { return port_; }
  std::string url(const std::string& path = "/hooks") const;
  // Answers these, in order, to the next requests.
  void script(std::vector<Answer> answers);
  // Answers every request the script does not (a peer that speaks an API: support/fake_stripe.h).
  // Before the first request.
  void respondWith(std::function<Answer(const Request&)> responder);
  std::vector<Request> requests() const;
  int connections() const { return connections_.load(); }

 private:
  void acceptLoop();
  void serve(int fd);

  int listen_fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::deque<Answer> script_;
  std::function<Answer(const Request&)> responder_;
  std::vector<Request> requests_;
  std::thread acceptor_;
};

}  // namespace portico::testing
