#pragma once

#include <memory>
#include <string>

#include "access/policy.h"
#include "identity/guard.h"
#include "modules/devices/device_service.h"
#include "web/views.h"

namespace portico::devices {

// The devices' pages (signed-in; the service decides what each caller sees, as for the API):
//   GET  /devices (company_id, status, q, cursor)  the list across the caller's companies
//   GET  /devices/{id}                             the device: its facts, properties, QR code,
//        its cases and a link to open one about it; for devices.manage a form to rename it and
//        move it; for the vendor's staff a button that gives it a new code
//   POST /devices/{id} (name, site_id)             rename and move (devices.manage)
//   POST /devices/{id}/code                        a new code, after a confirmation (staff)
//   GET  /d/{code}                                 what a scanned label opens: the device's page
//        for those who may see it (the sign-in page first, signed out); the not-found page for
//        anyone else, as for a code that names nothing
// A label's QR code holds `public_url` + "/d/" + the code. Returns the pages' state, which must
// live as long as the routes.
std::shared_ptr<void> registerDevicePages(identity::GuardedRoutes& routes, access::Policy& policy,
                                          DeviceService& service, const web::Views& views,
                                          const std::string& public_url);

}  // namespace portico::devices
