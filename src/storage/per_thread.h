#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace portico::storage {

// The connections of one database, one per thread: a thread's first use opens its own, and all
// of them close with the database (a thread that outlives it finds none).
template <typename Conn>
class PerThreadConnections {
 public:
  PerThreadConnections() : instance_(nextInstance()) {}
  // This thread's connection; `open()` makes it (std::shared_ptr<Conn>) on first use.
  template <typename Open>
  Conn& get(Open&& open) {
    thread_local std::unordered_map<std::uint64_t, std::weak_ptr<Conn>> mine;
    if (auto it = mine.find(instance_); it != mine.end()) {
      if (auto c = it->second.lock()) return *c;
    }
    std::shared_ptr<Conn> conn = open();
    {
      std::lock_guard lock(mutex_);
      all_.push_back(conn);
    }
    mine[instance_] = conn;
    return *conn;
  }
  // Closes every connection (they stay allocated, so a reference a thread still holds does not
  // dangle; using one fails).
  void closeAll() {
    std::lock_guard lock(mutex_);
    for (auto& c : all_) c->close();
  }

 private:
  static std::uint64_t nextInstance() {
    static std::atomic<std::uint64_t> next{1};
    return next++;
  }
  std::uint64_t instance_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<Conn>> all_;
};

}  // namespace portico::storage
