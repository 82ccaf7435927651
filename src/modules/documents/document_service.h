#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "events/event_log.h"
#include "files/file_store.h"
#include "identity/identity_service.h"
#include "identity/step_up.h"
#include "modules/documents/document.h"
#include "modules/documents/document_pdf.h"
#include "modules/documents/document_repository.h"
#include "modules/documents/document_settings/document_settings.h"

namespace portico::documents {

// A record as the caller may see it, with its history.
struct Seen {
  Document document;
  std::vector<Change> changes;
  bool staff = false;                // seen as the vendor's staff (draft quotes too)
  std::string today;                 // the date its status was seen on
  std::optional<Decision> decision;  // a quote's, once decided
  bool may_decide = false;           // the caller may accept or decline this quote now
  bool may_pay = false;              // the caller may pay this invoice (invoices.pay, unpaid)
  std::optional<std::string> open_checkout;  // an invoice's open payment: where its payer goes
};

// A record from the ERP (document_integration.h reads it): the whole record each time.
struct DocumentUpsert {
  Document document;  // kind, number, external_id, currency, lines, totals, dates, …
  std::string company_external_id;
  std::optional<std::string> status;  // left out: kept (a new record: the kind's first)
  std::optional<std::string> site_external_id;
  std::optional<std::string> owner_email;  // the portal user who placed or requested it
  std::optional<std::int64_t> paid;        // invoices: left out, kept
};

struct DocumentUpserted {
  Document document;
  bool created = false;
};

// A record's PDF to download.
struct Pdf {
  std::string bytes;
  std::string filename;  // "invoice-F-1001.pdf"
  std::string sha256;
};

// The largest PDF the ERP may send for a record.
inline constexpr std::size_t kMaxPdfBytes = 10 * 1024 * 1024;

// The most records one export writes.
inline constexpr int kMaxExportRows = 10000;

// What the store tells of the products a quote request names.
class QuoteProducts {
 public:
  virtual ~QuoteProducts() = default;
  // The lines ({product id, quantity in thousandths}) as the ERP hears them (the products'
  // external ids, SKUs, names and quantities), or InvalidInput naming lines[i].product_id for a
  // product the company may not see, lines[i].quantity for a quantity of none.
  virtual core::Result<nlohmann::json> describe(
      const access::CompanyAccess& company,
      const std::vector<std::pair<std::int64_t, std::int64_t>>& lines) = 0;
};

// What becomes of an invoice's open checkout when the ERP settles the invoice another way (paid
// by bank, voided, credited): before the upsert cancels the open payment, the payments concern
// has its provider close the checkout (a job, in the caller's transaction), so that nobody pays
// it afterwards.
class OpenCheckouts {
 public:
  virtual ~OpenCheckouts() = default;
  virtual void endOpenCheckout(core::DocumentId invoice) = 0;
};

// Agreements, orders, quotes and invoices of companies, as their people and the vendor's staff
// read them, and as the ERP writes them.
//
// Who sees a record (anything else is NotFound, never Forbidden, so ids leak nothing): those who
// hold the kind's view permission (agreements and orders: orders.view; quotes: quotes.view;
// invoices: invoices.view) in its company and see its site (a record without a site: those who
// see every site); a member whose membership sees only their own records sees those they placed
// or requested. Agents read. Staff who read their customers' records see the organization's (a
// department administrator: their departments'), draft quotes too; customers never see drafts.
// Thread-safe.
class DocumentService {
 public:
  DocumentService(DocumentRepository& repo, access::Policy& policy, audit::AuditLog& audit,
                  files::FileStore& files, DocumentSettingsService& settings,
                  const DocumentPdf& renderer, events::EventLog& events, const core::Clock& clock)
      : repo_(repo),
        policy_(policy),
        audit_(audit),
        files_(files),
        settings_(settings),
        renderer_(renderer),
        events_(events),
        clock_(clock) {}
  // The step-up check of accepting and declining quotes (and paying). Until it is set, those
  // actions are refused as needing a step-up.
  void setStepUp(identity::StepUp* step_up) { step_up_ = step_up; }
  // The store, which knows the products a quote request may name. Until it is set, a request
  // naming products is refused.
  void setQuoteProducts(QuoteProducts* products) { products_ = products; }
  void setOpenCheckouts(OpenCheckouts* checkouts) { checkouts_ = checkouts; }

  static access::Permission viewPermission(Kind k);

  // The records of filter.kind the caller may see under `filter`, newest first, with the totals
  // per currency of all of them. NotFound if filter.company is not one where the caller sees
  // them; InvalidInput naming the filter at fault (a status not of the kind, overdue for anything
  // but invoices, a query longer than kMaxQuery, from after to).
  core::Result<DocumentPage> list(const identity::Principal& p, const DocumentFilter& filter);
  // One record of `kind`, with its history.
  core::Result<Seen> find(const identity::Principal& p, Kind kind, core::DocumentId id);
  // Every record under `filter` (its cursor and limit aside), at most kMaxExportRows, for a CSV
  // file; audited ("documents.exported") in each company whose records it holds. `truncated`
  // tells whether more would have followed.
  core::Result<DocumentPage> exportList(const identity::Principal& p, DocumentFilter filter,
                                        const audit::Actor& actor, bool* truncated);
  // True if the caller holds `kind`'s view permission somewhere (or reads customers' records as
  // staff): whether the menu names the kind.
  bool maySee(const identity::Principal& p, Kind kind);
  // The companies whose records of `kind` the caller sees through a membership or an agent
  // ({id, name}, by name), for a list's company filter; none for staff (they name one by id).
  std::vector<std::pair<std::int64_t, std::string>> companies(const identity::Principal& p,
                                                              Kind kind);

  // Inserts or updates the record the organization's ERP knows as u.document.external_id, in
  // `company` (the record's company_external_id, found by the caller). Unknown site or owner:
  // InvalidInput naming the field; a number another record of the kind has: Conflict naming
  // number (except an order placed in the store, which has no external id until the ERP writes
  // it by its number: the upsert adopts it); a record stays with the company it was created in
  // (Conflict naming company_external_id). A status change is in the record's history (by nobody).
  // Audited by the caller. REQUIRES: a transaction is open on this thread's connection (the
  // integration framework's).
  core::Result<DocumentUpserted> upsert(const access::Company& company, const DocumentUpsert& u);

  // The record's PDF, for whoever may see the record: the ERP's own when it sent one; else the
  // one Portico renders (DocumentPdf). An invoice's, and a quote's once it is no draft, is frozen
  // at its first print: kept with its SHA-256, so that every reprint is the same document, even
  // after the ERP changed the record.
  core::Result<Pdf> pdf(const identity::Principal& p, Kind kind, core::DocumentId id);
  // The ERP's own PDF of its record `external_id` of `kind`, in place of any: NotFound for a
  // record the organization does not have, UnsupportedMediaType for bytes that are not a PDF,
  // InvalidInput past kMaxPdfBytes. Audited (<kind>.pdf_received).
  core::Result<Document> putErpPdf(core::OrgId org, Kind kind, const std::string& external_id,
                                   const std::string& bytes, const audit::Actor& actor);

  // Accepts a quote in the name of `name`, who accepts the terms; or declines it for `reason`.
  // Only a sent quote that has not expired, once; by someone who holds quotes.accept in its
  // company (Forbidden otherwise; NotFound for a quote the caller does not see). InvalidInput
  // naming name, terms_accepted or reason; Conflict for a quote not open (any more). Needs a
  // step-up (StepUpRequired). An acceptance freezes the quote's PDF first and keeps its SHA-256
  // with the signer's name, the time, the address and the browser. The status changes (history
  // by the caller), audited (quote.accepted / quote.declined) and the ERP hears of it (the event
  // of the same name).
  core::Result<Seen> accept(const identity::Principal& p, core::DocumentId id,
                            const std::string& name, bool terms_accepted,
                            const identity::Origin& origin);
  core::Result<Seen> decline(const identity::Principal& p, core::DocumentId id,
                             const std::string& reason, const identity::Origin& origin);
  // A request for a new quote in one of the caller's companies (quotes.accept there): free text
  // (at most kMaxRequestText) and/or products of the store with quantities (QuoteProducts: the
  // company must see them), one of the two at least. Audited and sent to the ERP
  // (quote.requested, with the products). InvalidInput naming the field (an unknown product).
  core::Result<QuoteRequest> requestQuote(
      const identity::Principal& p, core::CompanyId company, const std::string& text,
      const std::vector<std::pair<std::int64_t, std::int64_t>>& lines,
      const identity::Origin& origin);
  // The companies where the caller may request quotes ({id, name}).
  std::vector<std::pair<std::int64_t, std::string>> requestable(const identity::Principal& p);

  // Today's date in UTC ("YYYY-MM-DD"): what decides overdue invoices and expired quotes.
  std::string today() const;

 private:
  // The caller's access that lets them see `d`, or nullopt.
  std::optional<access::CompanyAccess> seeing(const identity::Principal& p, const Document& d);
  // The quote `id` as the caller may decide on it now (see accept()).
  core::Result<Seen> decidable(const identity::Principal& p, core::DocumentId id);
  core::Result<Seen> decide(const identity::Principal& p, core::DocumentId id, Decision x,
                            const identity::Origin& origin);
  core::Result<DocumentScope> scope(const identity::Principal& p, const DocumentFilter& filter);

  DocumentRepository& repo_;
  access::Policy& policy_;
  audit::AuditLog& audit_;
  files::FileStore& files_;
  DocumentSettingsService& settings_;
  const DocumentPdf& renderer_;
  events::EventLog& events_;
  identity::StepUp* step_up_ = nullptr;
  QuoteProducts* products_ = nullptr;
  OpenCheckouts* checkouts_ = nullptr;
  const core::Clock& clock_;
};

}  // namespace portico::documents
