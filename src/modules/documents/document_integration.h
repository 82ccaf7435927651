#pragma once

#include "access/access_repository.h"
#include "audit/audit_log.h"
#include "integration/kind.h"
#include "modules/documents/document_service.h"

namespace portico::documents {

// The integration kinds "agreements", "orders", "quotes" and "invoices" (integration::Kind): the
// ERP upserts a record by its external_id in the API key's organization, in the company named by
// company_external_id, sending the whole record each time:
//   {external_id, company_external_id, number, currency, status?, title?, date?, <until>?,
//    site_external_id?, delivery_address?, reference?, owner_email?, language?,
//    lines?: [{description, quantity?, unit?, unit_price, vat_rate?, amount?, sku?}],
//    subtotal?, vat?, total?, paid? (invoices)}
// where <until> is end_date, delivery_date, valid_until or due_date (document.h untilName), dates
// are "YYYY-MM-DD" (date: today when left out), amounts decimal strings in the currency
// ("1234.50"; never a JSON number, which could be a float), quantities and VAT rates decimal
// strings or integers ("1.5", 25). A line's amount left out is quantity × unit price, rounded
// half away from zero; subtotal left out is the sum of the lines, vat the sum per rate of each
// rate's share, total the two together; what the ERP sends is kept as it sends it. A status left
// out keeps the record's (a new one: the kind's first). Each upsert is audited
// (<kind>.created / <kind>.updated); the answer is the record as written.
void registerDocumentKinds(integration::Kinds& kinds, DocumentService& service,
                           access::AccessRepository& companies, audit::AuditLog& audit);

// Reads one record of `kind` as the integration kind does, without I/O (also the fuzz target's
// entry). InvalidInput naming the field at fault ("lines[2].unit_price").
core::Result<DocumentUpsert> readDocument(Kind kind, const nlohmann::json& record);

}  // namespace portico::documents
