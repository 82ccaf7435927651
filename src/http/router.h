#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace portico::http {

using Handler = std::function<Response(Request&)>;

// How a route runs: on the I/O thread (fast work), or on the worker pool (password hashing,
// exports, anything slower than a millisecond or two).
enum class Execution { Inline, Worker };

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/companies/{id}/users"
  Handler handler;
  Execution execution = Execution::Inline;
  // The largest body this route reads; 0: the server's (ServerConfig::body_limit). A larger
  // limit is applied once the request head names this route; the body beyond it answers 413.
  std::size_t body_limit = 0;
};

// Maps method + path to a handler. Patterns are literal segments and "{name}" segments, which
// match one non-empty segment. Literal segments win over parameters; where a literal leads to no
// route, the parameter beside it is tried. Not thread-safe to modify;
// matching is thread-safe once serving starts.
class Router {
 public:
  enum class Outcome { Found, NotFound, MethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::NotFound;
    const Route* route = nullptr;
    std::string allow;  // for MethodNotAllowed: the methods that exist, "GET, POST"
  };

  // REQUIRES: no route with the same method and pattern exists (throws std::logic_error).
  void add(Route route);
  // Finds the route; fills `params` from "{name}" segments.
  Match match(std::string_view method, std::string_view path,
              std::unordered_map<std::string, std::string>& params) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  // The largest body_limit of any route (0: none sets one).
  std::size_t largestBodyLimit() const { return largest_body_limit_; }

 private:
  struct Node;
  struct Matcher;
  std::size_t largest_body_limit_ = 0;
  std::vector<std::unique_ptr<Route>> routes_;
  std::shared_ptr<Node> root_;
};

}  // namespace portico::http
