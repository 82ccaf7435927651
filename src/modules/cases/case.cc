#include "modules/cases/case.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace portico::cases {
namespace {

// The number that the whole text writes in decimal digits without a sign or a leading zero (as
// cursorText writes it), or nullopt.
std::optional<std::int64_t> wholeNumber(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

// True if the UTF-8 sequence at `s` (of `len` bytes) is punctuation or a space of Latin-1's upper
// half (U+00A0..U+00BF, U+00D7, U+00F7) or of General Punctuation (U+2000..U+206F): it
// separates words like ASCII punctuation does. Other non-ASCII characters are taken as letters.
bool separates(std::string_view s) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.size() == 2 && b(0) == 0xC2) return b(1) >= 0xA0 && b(1) <= 0xBF;
  if (s.size() == 2 && b(0) == 0xC3) return b(1) == 0x97 || b(1) == 0xB7;
  if (s.size() == 3 && b(0) == 0xE2) return b(1) == 0x80 || b(1) == 0x81;
  if (s.size() == 3 && b(0) == 0xE3 && b(1) == 0x80)
    return b(2) <= 0x82;  // ideographic space, 、。
  return false;
}

// The length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t sequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

}  // namespace

std::string_view statusName(Status s) {
  switch (s) {
    case Status::New:
      return "new";
    case Status::Open:
      return "open";
    case Status::WaitingCustomer:
      return "waiting_customer";
    case Status::WaitingThirdParty:
      return "waiting_third_party";
    case Status::Resolved:
      return "resolved";
    case Status::Closed:
      return "closed";
  }
  return "open";
}

std::optional<Status> parseStatus(std::string_view name) {
  for (auto s : kStatuses) {
    if (statusName(s) == name) return s;
  }
  return std::nullopt;
}

bool isWaiting(Status s) { return s == Status::WaitingCustomer || s == Status::WaitingThirdParty; }

bool isPriority(std::string_view name) {
  return std::find(std::begin(kPriorities), std::end(kPriorities), name) != std::end(kPriorities);
}

std::string caseNumberText(std::int64_t number) { return "T-" + std::to_string(number); }

std::string displayName(const Person& p) {
  auto name = p.first_name + " " + p.last_name;
  return name.find_first_not_of(' ') == std::string::npos ? p.email : name;
}

std::string_view sortName(Sort s) {
  switch (s) {
    case Sort::Newest:
      return "newest";
    case Sort::Oldest:
      return "oldest";
    case Sort::Updated:
      return "updated";
    case Sort::Priority:
      return "priority";
    case Sort::Due:
      return "due";
  }
  return "newest";
}

std::optional<Sort> parseSort(std::string_view name) {
  for (auto s : kSorts) {
    if (sortName(s) == name) return s;
  }
  return std::nullopt;
}

int priorityRank(std::string_view priority) {
  for (std::size_t i = 0; i < std::size(kPriorities); ++i) {
    if (kPriorities[i] == priority) return static_cast<int>(i);
  }
  return 0;
}

std::string cursorText(Sort sort, const CaseCursor& c) {
  if (sort == Sort::Newest || sort == Sort::Oldest) return std::to_string(c.id);
  return std::to_string(c.key) + "." + std::to_string(c.id);
}

std::optional<CaseCursor> parseCursor(Sort sort, std::string_view text) {
  CaseCursor c;
  if (sort == Sort::Newest || sort == Sort::Oldest) {
    auto id = wholeNumber(text);
    if (!id || *id < 1) return std::nullopt;
    c.key = c.id = *id;
    return c;
  }
  auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto key = wholeNumber(text.substr(0, dot));
  auto id = wholeNumber(text.substr(dot + 1));
  if (!key || !id || *key < 0 || *id < 1) return std::nullopt;
  c.key = *key;
  c.id = *id;
  return c;
}

CaseCursor cursorAfter(Sort sort, const Case& c) {
  switch (sort) {
    case Sort::Updated:
      return {c.updated_at, c.id.value};
    case Sort::Priority:
      return {priorityRank(c.priority), c.id.value};
    case Sort::Due:
      return {c.clock.next_due.value_or(kNoDue), c.id.value};
    case Sort::Newest:
    case Sort::Oldest:
      break;
  }
  return {c.id.value, c.id.value};
}

std::vector<std::string> searchWords(std::string_view query) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && words.size() < kMaxSearchWords &&
        std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(word);
    }
    word.clear();
  };
  for (std::size_t i = 0; i < query.size();) {
    auto lead = static_cast<unsigned char>(query[i]);
    std::size_t len = std::min(sequenceLength(lead), query.size() - i);
    // A lead byte whose continuation bytes are missing is a stray byte: it separates words.
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(query[i + k]) & 0xC0) != 0x80) len = 1;
    }
    auto seq = query.substr(i, len);
    bool letter = lead < 0x80 ? (std::isalnum(lead) != 0) : (len > 1 && !separates(seq));
    if (letter) {
      word.append(seq);
    } else {
      flush();
    }
    i += len;
  }
  flush();
  return words;
}

}  // namespace portico::cases
