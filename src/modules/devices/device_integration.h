#pragma once

#include "access/access_repository.h"
#include "audit/audit_log.h"
#include "integration/kind.h"
#include "modules/devices/device_service.h"

namespace portico::devices {

// The integration kind "devices" (integration::Kind): the ERP upserts a device by its
// external_id in the API key's organization, in the company named by company_external_id:
//   {external_id, company_external_id, name, serial, model?, status? (ok, attention, fault,
//    offline), site_external_id?, properties?: {key: value}, last_service?, next_service?}
// Property values are strings (a number or a boolean is kept as its text), at most
// kMaxProperties of them; dates are "YYYY-MM-DD". A field left out keeps an existing device's
// value; null (or "") puts it at no site, and null clears a service date. What the service does
// with it is DeviceService::upsert; each upsert is audited (device.created / device.updated).
// The answer is the device as written, with its code.
void registerDeviceKind(integration::Kinds& kinds, DeviceService& service,
                        access::AccessRepository& companies, audit::AuditLog& audit);

// The record's fields as the kind reads them (no I/O): InvalidInput naming the field at fault.
core::Result<Upsert> readDevice(const nlohmann::json& record);

}  // namespace portico::devices
