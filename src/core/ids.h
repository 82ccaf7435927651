#pragma once

#include <compare>
#include <cstdint>

namespace portico::core {

// Strong ids: a raw int64_t never crosses a module boundary.
template <typename Tag>
struct Id {
  std::int64_t value = 0;
  auto operator<=>(const Id&) const = default;
  explicit operator bool() const { return value != 0; }
};

using UserId = Id<struct UserTag>;
using OrgId = Id<struct OrgTag>;
using SessionId = Id<struct SessionTag>;
using CompanyId = Id<struct CompanyTag>;
using CaseId = Id<struct CaseTag>;
using DocumentId = Id<struct DocumentTag>;
using DeviceId = Id<struct DeviceTag>;
using ServiceJobId = Id<struct ServiceJobTag>;

}  // namespace portico::core
