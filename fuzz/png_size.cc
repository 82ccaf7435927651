// Fuzzes the logo check's reading of a PNG's size (document_settings.h pngSize): any bytes are
// read without a crash, and a size read is never zero and is the IHDR's big-endian numbers.
// A violation abort()s.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "modules/documents/document_settings/document_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto s = portico::documents::pngSize(in)) {
    if (s->first == 0 || s->second == 0 || size < 24) std::abort();
    std::uint32_t w = (std::uint32_t{data[16]} << 24) | (std::uint32_t{data[17]} << 16) |
                      (std::uint32_t{data[18]} << 8) | data[19];
    if (w != s->first) std::abort();
  }
  return 0;
}
