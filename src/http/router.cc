#include "http/router.h"

#include <algorithm>
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
  largest_body_limit_ = std::max(largest_body_limit_, route.body_limit);
  routes_.push_back(std::make_unique<Route>(std::move(route)));
  node->methods[routes_.back()->method] = routes_.back().get();
}

// The match below `node` for segments [i, end): a literal segment first, then the parameter, so
// that a literal that leads nowhere ("/integration/companies" when only
// ".../companies/{external_id}/admin-signup" is literal) falls back to "/integration/{kind}".
// A path that exists under neither is NotFound; one that exists without the method is
// MethodNotAllowed (unless another branch has the method).
struct Router::Matcher {
  std::string_view method;
  const std::vector<std::string_view>& segments;
  std::vector<std::pair<const std::string*, std::string_view>> bound;  // param name, value

  Match at(const Node* node, std::size_t i) {
    if (i == segments.size()) return here(node);
    Match best;
    auto it = node->literal.find(segments[i]);
    if (it != node->literal.end()) {
      best = at(it->second.get(), i + 1);
      if (best.outcome == Outcome::Found) return best;
    }
    if (node->param) {
      bound.emplace_back(&node->param_name, segments[i]);
      Match m = at(node->param.get(), i + 1);
      if (m.outcome == Outcome::Found) return m;
      bound.pop_back();
      if (best.outcome == Outcome::NotFound) best = std::move(m);
    }
    return best;
  }

  Match here(const Node* node) const {
    Match m;
    if (node->methods.empty()) return m;
    auto it = node->methods.find(method);
    if (it == node->methods.end() && method == "HEAD") it = node->methods.find("GET");
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
};

Router::Match Router::match(std::string_view method, std::string_view path,
                            std::unordered_map<std::string, std::string>& params) const {
  if (!root_) return {};
  auto segments = splitPath(path);
  Matcher matcher{method, segments, {}};
  Match m = matcher.at(root_.get(), 0);
  if (m.outcome == Outcome::Found) {
    for (const auto& [name, value] : matcher.bound) params[*name] = std::string(value);
  }
  return m;
}

}  // namespace portico::http
