#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.h"

namespace portico::devices {

// A device's condition as the ERP (or its monitoring) reports it.
enum class Status { Ok, Attention, Fault, Offline };
inline constexpr Status kStatuses[] = {Status::Ok, Status::Attention, Status::Fault,
                                       Status::Offline};
std::string_view statusName(Status s);  // "ok", "attention", "fault", "offline"
std::optional<Status> parseStatus(std::string_view name);

// A device's code: kCodeLength characters of kCodeAlphabet, which leaves out what reads alike
// (0 and O, 1, I and L, U and V): 29^10, about 2^48, codes, so that nobody finds one by trying.
inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ";
inline constexpr std::size_t kCodeLength = 10;
std::string newCode();
// The code as a person may type it from a label: upper case, spaces and hyphens left out; nullopt
// when it cannot be a code.
std::optional<std::string> normalizeCode(std::string_view typed);
// The code as printed for people to read out and type: two groups of five ("ABCDE 23456").
std::string groupedCode(const std::string& code);

// An item a company has, usually at one of its sites. Dates are "YYYY-MM-DD".
struct Device {
  core::DeviceId id;
  core::OrgId org_id;
  core::CompanyId company_id;
  std::string company_name;
  std::optional<std::int64_t> site_id;
  std::string site_name;
  std::optional<std::string> external_id;
  std::string name;
  std::string serial;
  std::string model;
  Status status = Status::Ok;
  // The ERP's properties, by key: {key, value}.
  std::vector<std::pair<std::string, std::string>> properties;
  std::optional<std::string> last_service;
  std::optional<std::string> next_service;
  std::string code;
  std::optional<std::int64_t> code_rotated_at;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Where a page of a list starts: after the device of this name and id (the list's order).
struct Cursor {
  std::string name;
  std::int64_t id = 0;
};
// The cursor as the API hands it out (opaque: URL-safe base64 of the name, a dot, the id), and
// back; nullopt for a text that cursorText did not write.
std::string cursorText(const Cursor& c);
std::optional<Cursor> parseCursor(std::string_view text);

inline constexpr std::size_t kMaxQuery = 200;  // characters of ?q=
inline constexpr int kMaxLimit = 200;
inline constexpr int kPageSize = 50;

// What a list shows: the caller's devices by name, narrowed by these.
struct Filter {
  std::optional<core::CompanyId> company;
  std::optional<std::int64_t> site_id;
  std::optional<Status> status;
  std::string query;  // in the name, serial, model or code
  int limit = kPageSize;
  std::optional<Cursor> after;
};

struct Page {
  std::vector<Device> items;
  std::optional<Cursor> next;
};

// What a person with devices.manage may change: its name and its site (of the same company).
struct Change {
  std::optional<std::string> name;
  std::optional<std::int64_t> site_id;
};

// A device from the ERP (device_integration.h reads it). A field left out keeps an existing
// device's value (a new device: the default).
struct Upsert {
  std::string external_id;
  std::string company_external_id;
  std::string name;
  std::string serial;
  std::optional<std::string> model;
  std::optional<Status> status;
  // Left out: kept; "" (or null): the device is at none of the company's sites.
  std::optional<std::string> site_external_id;
  std::optional<std::vector<std::pair<std::string, std::string>>> properties;
  std::optional<std::optional<std::string>> last_service;  // null clears it
  std::optional<std::optional<std::string>> next_service;
};

inline constexpr std::size_t kMaxName = 200;
inline constexpr std::size_t kMaxSerial = 100;
inline constexpr std::size_t kMaxModel = 200;
inline constexpr std::size_t kMaxProperties = 100;
inline constexpr std::size_t kMaxPropertyKey = 100;
inline constexpr std::size_t kMaxPropertyValue = 1000;

}  // namespace portico::devices
