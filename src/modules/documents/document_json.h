#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/json_writer.h"
#include "modules/documents/document_service.h"

namespace portico::documents {

// {amount: "1234.50", currency: "SEK"}
nlohmann::json moneyToJson(const core::Money& m);
// A record as the API answers it: {id, company_id, company_name, site_id, site_name,
// external_id, number, status, title, date, <until>, currency, subtotal, vat, total, reference,
// delivery_address} and for invoices {paid, outstanding, overdue}; with `detail` also its lines
// (and the caller's history of it, from `seen`).
nlohmann::json documentToJson(const Document& d, const std::string& today, bool detail);
// …with, for a quote, its decision ({decision, signer_name, reason, by, at, pdf_sha256}, and for
// staff ip and user_agent; null before one) and may_decide.
nlohmann::json seenToJson(const Seen& s);
// {id, company_id, company_name, text, lines: [{product_id, quantity}], status, created_at}
nlohmann::json quoteRequestToJson(const QuoteRequest& r);
// Money as the API writes it: {amount: "1234.50", currency}.
void writeMoney(core::JsonWriter& w, std::int64_t minor, const std::string& currency);
// {items, next_cursor, totals: [{currency, count, total, outstanding}]}, written directly (a list
// is answered at every request).
std::string pageToJson(const DocumentPage& page);
// A list as a CSV file (RFC 4180, a header line first), in English column names, amounts as the
// API writes them.
std::string pageToCsv(const DocumentPage& page, Kind kind);

}  // namespace portico::documents
