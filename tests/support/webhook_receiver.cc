#include "support/webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "support/smtp_sink.h"

namespace portico::testing {

WebhookReceiver::WebhookReceiver() {
  listen_fd_ = listenOnLoopback(0, &port_);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

WebhookReceiver::~WebhookReceiver() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::script(std::vector<Answer> answers) {
  std::lock_guard lock(mutex_);
  for (auto& a : answers) script_.push_back(std::move(a));
}

void WebhookReceiver::respondWith(std::function<Answer(const Request&)> responder) {
  std::lock_guard lock(mutex_);
  responder_ = std::move(responder);
}

std::vector<WebhookReceiver::Request> WebhookReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void WebhookReceiver::acceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    serve(fd);
    ::close(fd);
  }
}

void WebhookReceiver::serve(int fd) {
  std::string data;
  char buf[4096];
  std::size_t head_end = std::string::npos;
  std::size_t length = 0;
  Request r;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    data.append(buf, static_cast<std::size_t>(n));
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end == std::string::npos) continue;
      std::string head = data.substr(0, head_end);
      auto line_end = head.find("\r\n");
      std::string start = head.substr(0, line_end);
      auto sp1 = start.find(' ');
      auto sp2 = start.find(' ', sp1 + 1);
      r.method = start.substr(0, sp1);
      r.path = start.substr(sp1 + 1, sp2 - sp1 - 1);
      std::size_t pos = line_end + 2;
      while (line_end != std::string::npos && pos < head.size()) {
        auto next = head.find("\r\n", pos);
        std::string line =
            head.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        auto colon = line.find(':');
        if (colon != std::string::npos) {
          std::string name = line.substr(0, colon);
          std::transform(name.begin(), name.end(), name.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
          std::string value = line.substr(colon + 1);
          value.erase(0, value.find_first_not_of(' '));
          r.headers[name] = value;
        }
        if (next == std::string::npos) break;
        pos = next + 2;
      }
      length = std::stoul(r.header("content-length").empty() ? "0" : r.header("content-length"));
    }
    if (data.size() >= head_end + 4 + length) break;
  }
  r.body = data.substr(head_end + 4, length);
  Answer answer;
  std::function<Answer(const Request&)> responder;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(r);
    if (!script_.empty()) {
      answer = script_.front();
      script_.pop_front();
    } else {
      responder = responder_;
    }
  }
  if (responder) answer = responder(r);  // outside the lock: it may ask for requests()
  std::string out = "HTTP/1.1 " + std::to_string(answer.status) + " Scripted\r\n";
  for (const auto& h : answer.headers) out += h + "\r\n";
  out += "Content-Length: " + std::to_string(answer.body.size()) + "\r\nConnection: close\r\n\r\n" +
         answer.body;
  ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
}

}  // namespace portico::testing
