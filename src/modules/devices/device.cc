#include "modules/devices/device.h"

#include "core/random.h"
#include "core/text.h"

namespace portico::devices {

std::string_view statusName(Status s) {
  switch (s) {
    case Status::Ok:
      return "ok";
    case Status::Attention:
      return "attention";
    case Status::Fault:
      return "fault";
    case Status::Offline:
      break;
  }
  return "offline";
}

std::optional<Status> parseStatus(std::string_view name) {
  for (auto s : kStatuses) {
    if (statusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string newCode() { return core::randomCode(kCodeLength, kCodeAlphabet); }

std::optional<std::string> normalizeCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (kCodeAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    out.push_back(c);
    if (out.size() > kCodeLength) return std::nullopt;
  }
  if (out.size() != kCodeLength) return std::nullopt;
  return out;
}

std::string groupedCode(const std::string& code) {
  return code.size() == kCodeLength ? code.substr(0, 5) + " " + code.substr(5) : code;
}

std::string cursorText(const Cursor& c) {
  return core::base64UrlEncode(c.name) + "." + std::to_string(c.id);
}

std::optional<Cursor> parseCursor(std::string_view text) {
  auto dot = text.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto name = core::base64UrlDecode(text.substr(0, dot));
  auto id = core::positiveNumber(text.substr(dot + 1), INT64_MAX);
  // The name goes to the database as text: PostgreSQL refuses bytes that are not UTF-8.
  if (!name || !id || name->size() > kMaxName * 4 || !core::isCleanUtf8(*name)) return std::nullopt;
  return Cursor{std::move(*name), *id};
}

}  // namespace portico::devices
