#pragma once

#include "modules/cases/service_level.h"
#include "storage/db.h"

namespace portico::cases {

// The support_settings, support_holidays and support_targets tables. Named SQL only.
// Thread-safe: each thread uses its own connection.
class SupportSettingsRepository {
 public:
  explicit SupportSettingsRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  // The organization's settings; the defaults (SupportSettings{}) where it has none.
  SupportSettings load(core::OrgId org);
  // Replaces all of them. REQUIRES: a transaction.
  void save(core::OrgId org, const SupportSettings& s, std::int64_t now);

 private:
  storage::Db& db_;
};

}  // namespace portico::cases
