#pragma once

#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "modules/cases/support_settings/support_settings_repository.h"

namespace portico::cases {

// The organization's support settings: its working calendar (time zone, working days and hours,
// holidays), its service-level targets per priority and its support address. Only the
// organization's administrators read and change them (StaffCapability::SupportSettings, which
// the routes check). A change applies to each case at its next step (a reply, a status or
// priority change); the due times of cases are not rewritten at once. Thread-safe.
class SupportSettingsService {
 public:
  SupportSettingsService(SupportSettingsRepository& repo, audit::AuditLog& audit,
                         const core::Clock& clock)
      : repo_(repo), audit_(audit), clock_(clock) {}

  SupportSettings get(const access::StaffRole& staff);
  // Replaces the settings. InvalidInput naming the field: time_zone not of the system's
  // database, no working day, hours that do not make a day (day_start before day_end), more than
  // kMaxHolidays holidays or one twice, a target outside 1 … kMaxTargetMinutes, a support address
  // that is not one. Audited (support_settings.updated).
  core::Result<SupportSettings> save(const access::StaffRole& staff, SupportSettings in,
                                     const audit::Actor& actor);

  // The categories customers and the ERP file cases under. A name is 1 to kMaxCategoryName
  // characters of clean text, unique in the organization (InvalidInput naming `name`; Conflict
  // for a name taken); at most kMaxCategories (Conflict). Audited as case_category.created,
  // .renamed and .removed; a removed category's cases keep no category. NotFound for a category
  // of another organization.
  std::vector<Category> categories(const access::StaffRole& staff);
  core::Result<Category> category(const access::StaffRole& staff, std::int64_t id);
  core::Result<Category> addCategory(const access::StaffRole& staff, const std::string& name,
                                     const audit::Actor& actor);
  core::Result<Category> renameCategory(const access::StaffRole& staff, std::int64_t id,
                                        const std::string& name, const audit::Actor& actor);
  core::Status removeCategory(const access::StaffRole& staff, std::int64_t id,
                              const audit::Actor& actor);

 private:
  SupportSettingsRepository& repo_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace portico::cases
