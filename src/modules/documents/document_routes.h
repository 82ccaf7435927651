#pragma once

#include <nlohmann/json_fwd.hpp>

#include "identity/guard.h"
#include "identity/throttle.h"
#include "modules/documents/document_service.h"

namespace portico::documents {

// The records' filters of a list request, the same for the API and the pages:
// ?company_id=&site_id=&status=&overdue=true&from=&to=&q=&limit= (≤ 200)&cursor=
core::Result<DocumentFilter> parseFilter(const http::Request& r, Kind kind);

// A list as a CSV download ("invoices.csv"), for the API and the pages: `filter` without its
// cursor and limit, up to kMaxExportRows; audited in each company it reads; counted in the
// caller's heavy exports (RateLimited past them).
core::Result<http::Response> csvExport(const identity::Context& c, DocumentService& service,
                                       identity::Throttle& throttle, const DocumentFilter& filter);

// A request for a new quote as the API sends it: {company_id, text?, lines?: [{product_id,
// quantity?}]}. InvalidInput naming the field at fault.
struct RequestedQuote {
  core::CompanyId company;
  std::string text;
  std::vector<std::pair<std::int64_t, std::int64_t>> lines;  // {product id, quantity (milli)}
};
core::Result<RequestedQuote> parseQuoteRequest(const http::Request& r);
// The products of a request's `lines` ([{product_id, quantity?}], quantity a decimal string or
// an integer, 1 when left out; absent or null: none), for quote requests and orders.
core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> parseProductLines(
    const nlohmann::json& body);

// A record's PDF as a download (API and pages), with its SHA-256 as the ETag (If-None-Match
// with it answers 304).
http::Response pdfDownload(const http::Request& r, Pdf& pdf);

// The records' routes, for each kind (agreements, orders, quotes, invoices). Each is a signed-in
// route whose service asks the policy (a record the caller may not see is 404):
//   GET /api/v1/{kind} (company_id, site_id, status, overdue (invoices), from, to, q, limit,
//       cursor): {items, next_cursor, totals}
//   GET /api/v1/{kind}.csv (the same filters): the whole list as CSV
//   GET /api/v1/{kind}/{id}: the record with its lines and history
//   GET /api/v1/{kind}/{id}/pdf: its PDF (DocumentService::pdf)
//   PUT /api/v1/integration/{kind}/{external_id}/pdf (API key; application/pdf): the ERP's own
// and for quotes (DocumentService::accept, decline, requestQuote; step-up applies):
//   POST /api/v1/quotes/{id}/accept {name, terms_accepted: true}, …/decline {reason}: the quote
//   POST /api/v1/quote-requests {company_id, text, lines?}: 201 the request
void registerDocumentRoutes(identity::GuardedRoutes& routes, DocumentService& service,
                            identity::Throttle& throttle);

}  // namespace portico::documents
