#pragma once

#include <cstdint>

#include "core/ids.h"
#include "modules/documents/document_repository.h"
#include "modules/documents/document_settings/document_settings.h"

namespace portico::app {

// A year of the demo's agreements, orders, quotes and invoices for Acme Sverige AB (SEK) and a
// few for Acme Deutschland GmbH (EUR): monthly service invoices (some overdue, one paid in part),
// quotes open, accepted and lapsed, orders on their way, a running service agreement and an
// ended one; and the organization's letterhead and payment details. `now` decides the dates.
// Writes in one transaction.
void seedDemoDocuments(documents::DocumentRepository& repo,
                       documents::DocumentSettingsRepository& settings, core::OrgId org,
                       core::CompanyId acme_se, core::CompanyId acme_de, std::int64_t now);

}  // namespace portico::app
