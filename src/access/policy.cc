#include "access/policy.h"

namespace portico::access {

std::vector<CompanyAccess> Policy::companies(const identity::Principal& p) {
  if (!p.mfaDone()) return {};
  return repo_.membershipsOf(p.user.id);
}

std::optional<CompanyAccess> Policy::company(const identity::Principal& p, core::CompanyId id) {
  if (!p.mfaDone()) return std::nullopt;
  return repo_.membership(p.user.id, id);
}

}  // namespace portico::access
