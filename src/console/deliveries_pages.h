#pragma once

#include <memory>

#include "access/staff_routes.h"
#include "audit/audit_log.h"
#include "identity/mail_history_repository.h"
#include "jobs/queue.h"
#include "jobs/runner.h"
#include "web/views.h"

namespace portico::console {

// The console's "Deliveries" page (StaffCapability::Deliveries): the organization's mail with
// its delivery status — waiting, sent, or failed with the last error and the number of attempts
// — filtered by status, newest first, and a Retry button for a mail not yet sent (it is due at
// once, with a new give-up time; audited as "delivery.retried"). `portico jobs` shows the same
// queue to operators, for every organization. The returned object holds the handlers' state.
std::shared_ptr<void> registerDeliveryPages(access::StaffRoutes& routes,
                                            identity::MailHistoryRepository& history,
                                            jobs::Queue& queue, const jobs::Runner& runner,
                                            audit::AuditLog& audit, const web::Views& views);

}  // namespace portico::console
