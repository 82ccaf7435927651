#pragma once

#include <string_view>

namespace portico::web {

// What a User-Agent header says about the device, as a person names it: browser "Chrome",
// "Safari", "Firefox", … and system "Linux", "iPhone", "Windows", …; either is empty when the
// header does not tell. Pages show these ("Chrome on Linux"), never the raw header.
struct Device {
  std::string_view browser;
  std::string_view system;
};
Device deviceOf(std::string_view user_agent);

}  // namespace portico::web
