// Fuzzes what the devices read from outside: the ERP's device records (the integration kind
// `devices`), the list's cursor and a scanned or typed code. Any input is read without a crash,
// and what is accepted keeps the contract of device_integration.h and device.h (required texts
// present, at most kMaxProperties properties with clean keys, service dates that parse; a cursor
// parses back what it prints; a normalized code is kCodeLength characters of kCodeAlphabet and
// normalizes to itself). A violation abort()s.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/business_hours.h"
#include "modules/devices/device_integration.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace portico;
  using namespace portico::devices;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto cursor = parseCursor(in)) {
    auto again = parseCursor(cursorText(*cursor));
    check(again && again->id == cursor->id && again->name == cursor->name);
  }
  if (auto code = normalizeCode(in)) {
    check(code->size() == kCodeLength);
    for (char c : *code) check(kCodeAlphabet.find(c) != std::string_view::npos);
    check(normalizeCode(*code) == code);
  }
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return 0;
  if (auto d = readDevice(j)) {
    check(!d->external_id.empty() && !d->company_external_id.empty());
    check(!d->name.empty() && !d->serial.empty());
    if (d->properties) {
      check(d->properties->size() <= kMaxProperties);
      for (const auto& [key, value] : *d->properties) check(!key.empty());
    }
    for (const auto* date : {&d->last_service, &d->next_service}) {
      if (*date && **date) check(core::parseDate(***date).has_value());
    }
  }
  return 0;
}
