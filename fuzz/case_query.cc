// Fuzzes the query parameters of the cases list that src/modules/cases/case.h parses: the words
// of a text search (searchWords), which become the database's search expression, and the cursor
// of each order (parseCursor). Each result is checked against the contract in case.h; a
// violation abort()s.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "modules/cases/case.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  using namespace portico::cases;

  // Words: at most kMaxSearchWords, none empty, none repeated, each a piece of the query, and
  // none holding an ASCII character other than a letter or a digit (so no quote, operator or
  // column filter of FTS5 or tsquery can reach the search expression).
  auto words = searchWords(in);
  check(words.size() <= kMaxSearchWords);
  for (std::size_t i = 0; i < words.size(); ++i) {
    check(!words[i].empty());
    check(in.find(words[i]) != std::string_view::npos);
    for (unsigned char c : words[i]) {
      check(c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z'));
    }
    for (std::size_t j = 0; j < i; ++j) check(words[i] != words[j]);
  }

  // Cursors: a parsed one prints back as the same text, with a positive id.
  for (auto sort : kSorts) {
    auto cursor = parseCursor(sort, in);
    if (!cursor) continue;
    check(cursor->id > 0 && cursor->key >= 0);
    check(cursorText(sort, *cursor) == in);
  }
  return 0;
}
