// Fuzzes the NDJSON body of the integration API's bulk call (src/integration/ndjson.h): the
// splitter with a small line limit, then each record line as the bulk call reads it
// (identity::parseJsonObject). Checks their contracts; a violation abort()s.

#include "integration/ndjson.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "identity/guard.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::size_t kMaxLines = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  std::string_view view(body);
  auto lines = portico::integration::splitNdjson(view, kMaxLines);

  // What the splitter must see: the body's line breaks, its blank and record lines.
  std::size_t records = 0;
  std::size_t number = 0;
  for (std::size_t start = 0; start < body.size();) {
    auto end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    ++number;
    auto text = view.substr(start, end - start);
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.find_first_not_of(" \t") != std::string_view::npos) ++records;
    start = end + 1;
  }
  if (!lines) {
    check(records > kMaxLines);
    return 0;
  }
  check(lines->size() == records);

  std::size_t previous = 0;
  for (const auto& line : *lines) {
    // In order, within the body, one line each, not blank, without its line break.
    check(line.number > previous && line.number <= number);
    previous = line.number;
    check(line.text.data() >= body.data() &&
          line.text.data() + line.text.size() <= body.data() + body.size());
    check(line.text.find('\n') == std::string_view::npos);
    check(line.text.find_first_not_of(" \t") != std::string_view::npos);

    auto record = portico::identity::parseJsonObject(line.text);
    if (!record) {
      check(record.error().code == portico::core::ErrorCode::InvalidInput);
      continue;
    }
    check(record->is_object());
    // A record that was read is read again after a round trip, unchanged.
    auto again = portico::identity::parseJsonObject(record->dump());
    check(again && *again == *record);
  }
  return 0;
}
