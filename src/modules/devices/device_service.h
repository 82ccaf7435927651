#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "events/event_log.h"
#include "identity/user.h"
#include "modules/devices/device.h"
#include "modules/devices/device_labels.h"
#include "modules/devices/device_repository.h"

namespace portico::devices {

// A device as the caller may see it.
struct Seen {
  Device device;
  bool staff = false;          // seen as the vendor's staff
  bool may_manage = false;     // may rename it and move it (devices.manage)
  bool may_rotate = false;     // may give it a new code (staff who administer the customer)
  bool may_open_case = false;  // may open a case on it (support.open)
  bool may_unplace = false;    // may_manage, and may say it is at none of the sites
  // The company's sites the caller may move it to ({id, name}, by name), when may_manage.
  std::vector<std::pair<std::int64_t, std::string>> sites;
};

// Which devices to print labels for: a company's, or those at one of its sites.
struct LabelRequest {
  core::CompanyId company;
  std::optional<std::int64_t> site_id;
};
struct LabelSet {
  std::vector<Device> devices;  // by name
  std::string vendor;           // the organization's name, printed on every label
};

struct Upserted {
  Device device;
  bool created = false;
};

// The devices of companies, as their people and the vendor's staff see them, and as the ERP
// writes them.
//
// Who sees a device (anything else is NotFound, never Forbidden, so ids and codes leak nothing):
// those who hold services.view in its company and see its site (a device at no site: those who
// see every site). A member whose membership sees only their own records sees no device (a
// device is the company's, never one person's). Agents read. Staff who read their customers'
// records see the organization's (a department administrator: their departments').
// Thread-safe.
class DeviceService {
 public:
  DeviceService(DeviceRepository& repo, access::Policy& policy, audit::AuditLog& audit,
                events::EventLog& events, const core::Clock& clock)
      : repo_(repo), policy_(policy), audit_(audit), events_(events), clock_(clock) {}

  // The devices the caller may see under `filter`, by name. NotFound if filter.company is not
  // one where the caller sees devices; InvalidInput naming q when it is longer than kMaxQuery.
  core::Result<Page> list(const identity::Principal& p, const Filter& filter);
  core::Result<Seen> find(const identity::Principal& p, core::DeviceId id);
  // The device that `code` names (as typed: normalizeCode), if the caller may see it; NotFound
  // alike for a code that names nothing and for one the caller may not see.
  core::Result<Seen> findByCode(const identity::Principal& p, std::string_view code);
  // Renames the device and/or moves it to another site of its company that the caller sees:
  // devices.manage in its company (Forbidden without, NotFound if the caller does not see it);
  // InvalidInput naming name (empty, too long, not clean text) or site_id (not one of the
  // company's sites that the caller sees; a caller who sees only some sites cannot take it off
  // every site). Audited ("device.changed") and reported to the ERP (device.updated, with what
  // changed). Nothing changed: the device as it was, no audit, no event.
  core::Result<Seen> update(const identity::Principal& p, core::DeviceId id, const Change& change,
                            const audit::Actor& actor);
  // Gives the device a new code, so that its old label opens nothing: staff who administer the
  // customer (StaffCapability::Customers) only, Forbidden for anyone else who sees it. Audited
  // ("device.code_rotated").
  core::Result<Seen> rotateCode(const identity::Principal& p, core::DeviceId id,
                                const audit::Actor& actor);
  // The devices of r.company (at r.site_id) whose labels the caller may print: devices.manage in
  // the company (NotFound if the caller does not see it, Forbidden without the permission; an
  // agent never), those at the sites the caller sees. InvalidInput naming site_id for a site
  // that is not the company's or that the caller does not see, or for more than kMaxLabels.
  core::Result<LabelSet> labels(const identity::Principal& p, const LabelRequest& r);
  // The company's name if the caller may print its labels (as labels() decides).
  std::optional<std::string> mayPrintLabels(const identity::Principal& p, core::CompanyId company);
  // The companies whose labels the caller may print through a membership ({id, name}, by name);
  // staff name the company in the list's filter.
  std::vector<std::pair<std::int64_t, std::string>> labelCompanies(const identity::Principal& p);
  // True if the caller holds services.view somewhere (or reads customers' records as staff):
  // whether the menu names devices.
  bool maySee(const identity::Principal& p);
  // The companies whose devices the caller sees through a membership or an agent ({id, name}, by
  // name), for a list's company filter; none for staff.
  std::vector<std::pair<std::int64_t, std::string>> companies(const identity::Principal& p);

  // Inserts or updates the device the organization's ERP knows as u.external_id, in `company`
  // (the record's company_external_id, found by the caller). Unknown site: InvalidInput naming
  // site_external_id; a serial another device of the organization has: Conflict naming serial; a
  // device stays with the company it was created in (Conflict naming company_external_id). A new
  // device gets a new code. REQUIRES: a transaction is open on this thread's connection (the
  // integration framework's).
  core::Result<Upserted> upsert(const access::Company& company, const Upsert& u);

 private:
  // The caller's access to `company` if it may print its labels (see labels()).
  core::Result<access::CompanyAccess> labelling(const identity::Principal& p,
                                                core::CompanyId company);
  // The caller's access to `d`'s company if it may see `d`.
  std::optional<access::CompanyAccess> seeing(const identity::Principal& p, const Device& d);
  core::Result<Scope> scope(const identity::Principal& p, const Filter& filter);
  Seen seen(const identity::Principal& p, const access::CompanyAccess& a, Device d);

  DeviceRepository& repo_;
  access::Policy& policy_;
  audit::AuditLog& audit_;
  events::EventLog& events_;
  const core::Clock& clock_;
};

}  // namespace portico::devices
