#include "http/router.h"

#include <map>
#include <stdexcept>

namespace portico::http {

struct Router::Node {
  std::map<std::string, std::shared_ptr<Node>, std::less<>> literal;
  std::shared_ptr<Node> param;
  std::string param_name;
  std::map<std::string, const Route*, std::less<>> methods;
};

namespace {

std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) {
      j = path.size();
    }
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

void Router::add(Route route) {
  if (!root_) {
    root_ = std::make_shared<Node>();
  }
  auto node = root_;
  for (auto seg : splitPath(route.pattern)) {
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      std::string name(seg.substr(1, seg.size() - 2));
      if (!node->param) {
        node->param = std::make_shared<Node>();
        node->param_name = name;
      } else if (node->param_name != name) {
        throw std::logic_error("conflicting parameter names at " + route.pattern);
      }
      node = node->param;
    } else {
      auto& child = node->literal[std::string(seg)];
      if (!child) {
        child = std::make_shared<Node>();
      }
      node = child;
    }
  }
  if (node->methods.count(route.method)) {
    throw std::logic_error("duplicate route " + route.method + " " + route.pattern);
  }
  routes_.push_back(std::make_unique<Route>(std::move(route)));
  node->methods[routes_.back()->method] = routes_.back().get();
}

Router::Match Router::match(std::string_view method, std::string_view path,
                            std::unordered_map<std::string, std::string>& params) const {
  Match m;
  if (!root_) {
    return m;
  }
  const Node* node = root_.get();
  for (auto seg : splitPath(path)) {
    auto it = node->literal.find(seg);
    if (it != node->literal.end()) {
      node = it->second.get();
    } else if (node->param) {
      params[node->param_name] = std::string(seg);
      node = node->param.get();
    } else {
      return m;
    }
  }
  if (node->methods.empty()) {
    return m;
  }
  auto it = node->methods.find(method);
  if (it == node->methods.end() && method == "HEAD") {
    it = node->methods.find("GET");
  }
  if (it == node->methods.end()) {
    m.outcome = Outcome::MethodNotAllowed;
    for (const auto& [name, route] : node->methods) {
      m.allow += m.allow.empty() ? name : ", " + name;
    }
    return m;
  }
  m.outcome = Outcome::Found;
  m.route = it->second;
  return m;
}

}  // namespace portico::http
