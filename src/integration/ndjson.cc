#include "integration/ndjson.h"

#include <algorithm>
#include <cstring>

#include "core/text.h"

namespace portico::integration {

std::optional<std::vector<NdjsonLine>> splitNdjson(std::string_view body, std::size_t max_lines) {
  std::vector<NdjsonLine> lines;
  lines.reserve(std::min<std::size_t>(max_lines, body.size() / 32 + 1));
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < body.size()) {
    ++number;
    const void* nl = std::memchr(body.data() + start, '\n', body.size() - start);
    std::size_t end =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - body.data()) : body.size();
    std::string_view text = body.substr(start, end - start);
    start = end + 1;
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (lines.size() == max_lines) return std::nullopt;
    lines.push_back({number, text});
  }
  return lines;
}

bool isNdjsonContentType(std::string_view content_type) {
  auto media = core::trim(content_type.substr(0, content_type.find(';')));
  return core::asciiLower(media) == "application/x-ndjson";
}

}  // namespace portico::integration
