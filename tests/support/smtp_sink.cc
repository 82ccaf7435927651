#include "support/smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace portico::testing {
int listenOnLoopback(unsigned short port, unsigned short* bound) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot listen on port " + std::to_string(port));
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *bound = ntohs(a.sin_port);
  return fd;
}

unsigned short reservePort() {
  unsigned short port = 0;
  ::close(listenOnLoopback(0, &port));
  return port;
}

SmtpSink::SmtpSink(unsigned short port, bool hold_greeting) : held_(hold_greeting) {
  listen_fd_ = listenOnLoopback(port, &port_);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

SmtpSink::~SmtpSink() {
  stopping_ = true;
  release();
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : threads_) t.join();
  ::close(listen_fd_);
}

void SmtpSink::release() {
  {
    std::lock_guard lock(mutex_);
    held_ = false;
  }
  changed_.notify_all();
}

int SmtpSink::connections() const { return connections_.load(); }

std::vector<SmtpSink::Message> SmtpSink::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

bool SmtpSink::waitForMessages(std::size_t n, int timeout_ms) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [&] { return messages_.size() >= n; });
}

void SmtpSink::acceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard lock(mutex_);
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void SmtpSink::serve(int fd) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !held_ || stopping_; });
  }
  auto say = [fd](const std::string& s) { ::send(fd, s.data(), s.size(), MSG_NOSIGNAL); };
  say("220 sink ESMTP\r\n");
  std::string buf;
  Message current;
  bool data = false;
  char tmp[4096];
  for (;;) {
    auto n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) break;
    buf.append(tmp, static_cast<std::size_t>(n));
    for (;;) {
      if (data) {
        auto end = buf.find("\r\n.\r\n");
        if (end == std::string::npos) break;
        current.data = buf.substr(0, end);
        buf.erase(0, end + 5);
        data = false;
        {
          std::lock_guard lock(mutex_);
          messages_.push_back(std::move(current));
        }
        changed_.notify_all();
        current = {};
        say("250 queued\r\n");
        continue;
      }
      auto eol = buf.find("\r\n");
      if (eol == std::string::npos) break;
      std::string line = buf.substr(0, eol);
      buf.erase(0, eol + 2);
      if (line.starts_with("EHLO") || line.starts_with("HELO")) {
        say("250 sink\r\n");
      } else if (line.starts_with("RCPT TO:")) {
        auto from = line.find('<'), to = line.find('>');
        current.to.push_back(line.substr(from + 1, to - from - 1));
        say("250 ok\r\n");
      } else if (line.starts_with("DATA")) {
        say("354 go on\r\n");
        data = true;
      } else if (line.starts_with("QUIT")) {
        say("221 bye\r\n");
        break;
      } else {
        say("250 ok\r\n");
      }
    }
  }
  ::close(fd);
  std::lock_guard lock(mutex_);
  std::erase(open_fds_, fd);
}

}  // namespace portico::testing
