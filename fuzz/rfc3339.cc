// Fuzzes core::parseRfc3339 (src/core/text.h), the reader of the times the ERP sends. Each call is
// checked against its contract; a violation abort()s: a time it accepts is at or after 1970, no
// later than 9999 (with an offset, a day either side), and reads back the same once formatted
// with rfc3339().

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/text.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto t = portico::core::parseRfc3339(in);
  if (!t) return 0;
  constexpr std::int64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z
  check(*t >= 0 && *t < kYear10000 + 86400);
  if (*t < kYear10000) {
    auto again = portico::core::parseRfc3339(portico::core::rfc3339(*t));
    check(again && *again == *t);
  }
  return 0;
}
