#pragma once

#include "modules/cases/support_settings/service_level.h"
#include "storage/db.h"

namespace portico::cases {

// A category of support cases, which the organization defines; `cases`: how many cases have it.
struct Category {
  std::int64_t id = 0;
  std::string name;
  std::int64_t cases = 0;
};
inline constexpr std::size_t kMaxCategoryName = 100;
inline constexpr std::size_t kMaxCategories = 200;

// The support_settings, support_holidays, support_targets and case_categories tables. Named SQL
// only.
// Thread-safe: each thread uses its own connection.
class SupportSettingsRepository {
 public:
  explicit SupportSettingsRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // The organization's settings; the defaults (SupportSettings{}) where it has none.
  SupportSettings load(core::OrgId org);
  // Replaces all of them. REQUIRES: a transaction.
  void save(core::OrgId org, const SupportSettings& s, std::int64_t now);

  // The organization's categories by name, with their counts of cases.
  std::vector<Category> categories(core::OrgId org);
  std::optional<Category> category(core::OrgId org, std::int64_t id);
  // The organization's category of this name, if any (names are unique per organization).
  std::optional<std::int64_t> categoryNamed(core::OrgId org, const std::string& name);
  std::int64_t insertCategory(core::OrgId org, const std::string& name, std::int64_t now);
  void renameCategory(core::OrgId org, std::int64_t id, const std::string& name);
  // Deletes it; its cases keep no category.
  void removeCategory(core::OrgId org, std::int64_t id);

 private:
  storage::Db& db_;
};

}  // namespace portico::cases
