#include "access/policy.h"

#include <atomic>
#include <set>
#include <unordered_map>

namespace portico::access {
namespace {

PermissionSet views() { return *presetPermissions("read_only"); }

std::atomic<std::uint64_t> next_instance{1};

// Per thread: (policy instance, user) -> the user's memberships at an access version. Each I/O
// thread keeps its own, so there is no locking; an entry is used only while the version read
// with the session is unchanged.
struct CacheKey {
  std::uint64_t instance;
  std::int64_t user;
  bool operator==(const CacheKey&) const = default;
};
struct CacheKeyHash {
  std::size_t operator()(const CacheKey& k) const {
    return std::hash<std::uint64_t>{}(k.instance * 1000003u ^ static_cast<std::uint64_t>(k.user));
  }
};
struct CacheEntry {
  std::int64_t version;
  std::vector<CompanyAccess> memberships;
};
constexpr std::size_t kMaxCachedUsers = 10'000;

}  // namespace

Policy::Policy(AccessRepository& repo) : repo_(repo), instance_(next_instance++) {}

std::optional<CompanyAccess> Policy::staffAccess(const std::string& role, const Company& company) {
  PermissionSet granted;
  if (role == "admin") {
    granted = company.managed ? PermissionSet::all() : views();
  } else if (role == "content_creator") {
    granted = views();
    if (company.managed) {
      granted.add(Permission::CompanyProfile)
          .add(Permission::ContactsManage)
          .add(Permission::UsersManage);
    }
  } else if (role == "support") {
    granted = views();
    granted.add(Permission::SupportOpen);
  } else {
    return std::nullopt;
  }
  CompanyAccess a;
  a.company = company;
  a.role = "staff:" + role;
  a.permissions = granted;
  return a;
}

std::vector<CompanyAccess> Policy::memberships(const identity::Principal& p) {
  if (!p.mfaDone()) return {};
  thread_local std::unordered_map<CacheKey, CacheEntry, CacheKeyHash> cache;
  CacheKey key{instance_, p.user.id.value};
  auto it = cache.find(key);
  if (it != cache.end() && it->second.version == p.access_version) {
    return it->second.memberships;
  }
  auto fresh = repo_.membershipsOf(p.user.id);
  if (cache.size() >= kMaxCachedUsers) cache.clear();
  cache[key] = CacheEntry{p.access_version, fresh};
  return fresh;
}

std::vector<CompanyAccess> Policy::companies(const identity::Principal& p) {
  auto out = memberships(p);
  if (!p.mfaDone()) return out;
  std::set<std::int64_t> seen;
  for (const auto& a : out) seen.insert(a.company.id.value);
  for (const auto& [org, role] : repo_.staffRoles(p.user.id)) {
    for (const auto& company : repo_.companiesOf(org)) {
      if (seen.count(company.id.value)) continue;
      if (auto a = staffAccess(role, company)) {
        seen.insert(company.id.value);
        out.push_back(std::move(*a));
      }
    }
  }
  return out;
}

std::optional<CompanyAccess> Policy::company(const identity::Principal& p, core::CompanyId id) {
  if (!p.mfaDone()) return std::nullopt;
  if (auto m = repo_.membership(p.user.id, id)) return m;
  auto staff = repo_.staffRoles(p.user.id);
  if (staff.empty()) return std::nullopt;
  auto company = repo_.findCompany(id);
  if (!company) return std::nullopt;
  for (const auto& [org, role] : staff) {
    if (org == company->org_id) return staffAccess(role, *company);
  }
  return std::nullopt;  // another organization's company
}

}  // namespace portico::access
