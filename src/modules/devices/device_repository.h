#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "modules/devices/device.h"
#include "storage/db.h"

namespace portico::devices {

// Which devices a list may show: the policy's decision (no own records: a device is nobody's).
using Scope = access::RecordScope;

// The devices table. Named SQL only; no permission logic (the service decides the scope).
// Thread-safe: each thread uses its own connection.
class DeviceRepository {
 public:
  explicit DeviceRepository(storage::Db& db) : db_(db) {}
  storage::Connection& conn() { return db_.connection(); }

  std::optional<Device> find(core::DeviceId id);
  // The devices whose code is `code`, in any organization (a scan names none): one, or none, all
  // but surely, since codes are drawn at random from 2^48.
  std::vector<Device> findByCode(const std::string& code);
  // The organization's device that the ERP knows as `external_id`.
  std::optional<Device> findByExternalId(core::OrgId org, const std::string& external_id);
  // The organization's device of serial `serial`.
  std::optional<Device> findBySerial(core::OrgId org, const std::string& serial);
  // Throws storage::ConstraintError when the serial, external id or code is taken in the
  // organization.
  core::DeviceId insert(const Device& d);
  // Writes everything but the id, organization, company, code and creation time.
  void update(const Device& d);
  // Writes d.name (`name`) and/or d.site_id (`site`), and d.updated_at: what a person changed,
  // and nothing else, so that what the ERP wrote meanwhile stays.
  void rename(const Device& d, bool name, bool site);
  // Gives device `id` a new code. Throws storage::ConstraintError when another device of the
  // organization has it.
  void setCode(core::DeviceId id, const std::string& code, std::int64_t at);
  // The scope's devices under `filter`, by name from its cursor, at most filter.limit + 1 (to
  // tell whether another page follows). Without their properties (a list shows none).
  std::vector<Device> list(const Scope& scope, const Filter& filter);

  bool siteOfCompany(std::int64_t site, core::CompanyId company);
  // The site of `company` that the ERP knows as `external_id`.
  std::optional<std::int64_t> siteByExternalId(core::CompanyId company,
                                               const std::string& external_id);
  // The organization's name ("" if there is none of that id).
  std::string organizationName(core::OrgId org);
  // The sites of `company`, by name: {id, name}.
  std::vector<std::pair<std::int64_t, std::string>> sitesOf(core::CompanyId company);

 private:
  storage::Db& db_;
};

}  // namespace portico::devices
