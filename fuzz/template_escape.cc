// Fuzzes HTML escaping of {{x}} (SECURITY.md FUZ-01). Property: fuzzed text never reaches the
// page as markup. Checked twice, abort()ing on a violation:
//  1. the template "{{x}}" rendered by kainjow mustache (what web::Views uses) has no raw
//     < > " ' and every & starts an entity;
//  2. a real page template rendered through web::Views (error.mustache, whose {{heading}} and
//     {{message}} carry text) equals the same page with every slot replaced by escaped text that
//     decodes back to x: the template's own markup is unchanged and nothing else is interpreted.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "web/views.h"

namespace {

constexpr std::string_view kSlot = "PorticoFuzzSlot";

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::string_view kEntities[][2] = {{"&amp;", "&"},   {"&lt;", "<"},   {"&gt;", ">"},
                                             {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}};

// True if `s` has no raw < > " ' and each & starts one of kEntities.
bool isEscaped(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<' || c == '>' || c == '"' || c == '\'') return false;
    if (c == '&') {
      bool entity = false;
      for (const auto& e : kEntities) entity = entity || s.substr(i).starts_with(e[0]);
      if (!entity) return false;
    }
  }
  return true;
}

// REQUIRES: isEscaped(s).
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& e : kEntities) {
        if (s.substr(i).starts_with(e[0])) {
          out += e[1];
          i += e[0].size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

const portico::web::Views& views() {
  static const portico::web::Views v;
  return v;
}

std::string renderError(const std::string& text) {
  return views().render("error", "en", {{"heading", text}, {"message", text}});
}

// error.mustache rendered with kSlot for the text, cut at the slots: the template's own markup.
const std::vector<std::string>& staticParts() {
  static const std::vector<std::string> parts = [] {
    std::string page = renderError(std::string(kSlot));
    std::vector<std::string> out;
    std::size_t from = 0;
    for (auto at = page.find(kSlot); at != std::string::npos; at = page.find(kSlot, from)) {
      out.push_back(page.substr(from, at - from));
      from = at + kSlot.size();
    }
    out.push_back(page.substr(from));
    // Two slots, and markup between them that escaped text cannot contain, so the cut is unique.
    check(out.size() == 3 && out[1].find('<') != std::string::npos);
    return out;
  }();
  return parts;
}

void checkMustache(const std::string& x) {
  static kainjow::mustache::mustache tmpl{std::string("{{x}}")};
  kainjow::mustache::data d;
  d.set("x", x);
  std::string out = tmpl.render(d);
  check(isEscaped(out));
  check(unescape(out) == x);
}

void checkView(const std::string& x) {
  const auto& parts = staticParts();
  std::string page = renderError(x);
  std::string_view rest = page;
  check(rest.starts_with(parts[0]));
  rest.remove_prefix(parts[0].size());
  for (std::size_t i = 1; i < parts.size(); ++i) {
    check(rest.size() >= parts[i].size());
    std::size_t end = i + 1 == parts.size() ? rest.size() - parts[i].size() : rest.find(parts[i]);
    check(end != std::string_view::npos);
    std::string_view slot = rest.substr(0, end);
    check(isEscaped(slot) && unescape(slot) == x);
    rest.remove_prefix(end);
    check(rest.starts_with(parts[i]));
    rest.remove_prefix(parts[i].size());
  }
  check(rest.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string x(reinterpret_cast<const char*>(data), size);
  checkMustache(x);
  checkView(x);
  return 0;
}
