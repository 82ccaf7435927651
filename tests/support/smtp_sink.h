#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace portico::testing {

// A free TCP port on 127.0.0.1 (bound, then let go): where a peer is absent until a test starts
// one there.
unsigned short reservePort();
// A listening TCP socket on 127.0.0.1:`port` (0: any free port, written to `bound`). Throws
// std::runtime_error if it cannot listen.
int listenOnLoopback(unsigned short port, unsigned short* bound);

// An SMTP server on 127.0.0.1 that accepts every message, for tests of mail delivery: each
// connection is served on its own thread. With `hold_greeting`, it accepts connections but says
// nothing until release() — a mail server that hangs.
class SmtpSink {
 public:
  explicit SmtpSink(unsigned short port = 0, bool hold_greeting = false);
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  unsigned short port() const { return port_; }
  void release();           // lets a held greeting go
  int connections() const;  // accepted so far
  // Each accepted message: its envelope recipients and its data.
  struct Message {
    std::vector<std::string> to;
    std::string data;
  };
  std::vector<Message> messages() const;
  // Waits up to `timeout_ms` until `n` messages have arrived; true if they have.
  bool waitForMessages(std::size_t n, int timeout_ms = 10'000) const;

 private:
  void acceptLoop();
  void serve(int fd);

  int listen_fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool held_;
  std::vector<Message> messages_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace portico::testing
