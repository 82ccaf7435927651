#include "web/user_agent.h"

#include <array>
#include <utility>

namespace portico::web {

namespace {

bool has(std::string_view ua, std::string_view token) { return ua.find(token) != ua.npos; }

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", and Android also
// says "Linux".
std::string_view browserOf(std::string_view ua) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kBrowsers = {{
      {"Edg/", "Edge"},
      {"OPR/", "Opera"},
      {"Firefox/", "Firefox"},
      {"FxiOS/", "Firefox"},
      {"CriOS/", "Chrome"},
      {"Chromium/", "Chromium"},
      {"Chrome/", "Chrome"},
      {"Safari/", "Safari"},
  }};
  for (const auto& [token, name] : kBrowsers) {
    if (has(ua, token)) return name;
  }
  if (has(ua, "curl/")) return "curl";
  return {};
}

std::string_view systemOf(std::string_view ua) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kSystems = {{
      {"iPhone", "iPhone"},
      {"iPad", "iPad"},
      {"Android", "Android"},
      {"Windows", "Windows"},
      {"Mac OS X", "macOS"},
      {"Macintosh", "macOS"},
      {"CrOS", "ChromeOS"},
      {"Linux", "Linux"},
  }};
  for (const auto& [token, name] : kSystems) {
    if (has(ua, token)) return name;
  }
  return {};
}

}  // namespace

Device deviceOf(std::string_view ua) { return {browserOf(ua), systemOf(ua)}; }

}  // namespace portico::web
