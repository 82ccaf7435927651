#include "modules/documents/document_service.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/business_hours.h"
#include "core/text.h"

namespace portico::documents {
namespace {

using access::Basis;
using access::Permission;
using core::Error;
using core::fail;

Error conflictAt(std::string key, std::string field) {
  auto e = Error::conflict(std::move(key));
  e.field = std::move(field);
  return e;
}

Error noSuch(Kind k) {
  switch (k) {
    case Kind::Agreement:
      return Error::notFound("errors.documents.no_such_agreement");
    case Kind::Order:
      return Error::notFound("errors.documents.no_such_order");
    case Kind::Quote:
      return Error::notFound("errors.documents.no_such_quote");
    case Kind::Invoice:
      break;
  }
  return Error::notFound("errors.documents.no_such_invoice");
}

}  // namespace

access::Permission DocumentService::viewPermission(Kind k) {
  switch (k) {
    case Kind::Agreement:
    case Kind::Order:
      return Permission::OrdersView;
    case Kind::Quote:
      return Permission::QuotesView;
    case Kind::Invoice:
      return Permission::InvoicesView;
  }
  return Permission::InvoicesView;
}

std::string DocumentService::today() const { return core::utcDateText(clock_.now()); }

core::Result<DocumentScope> DocumentService::scope(const identity::Principal& p,
                                                   const DocumentFilter& filter) {
  auto scope =
      policy_.recordScope(p, viewPermission(filter.kind), filter.company, access::OwnRecords::Own);
  if (!scope) return fail(Error::notFound("errors.documents.no_such_company"));
  return DocumentScope{std::move(*scope), p.user.id};
}

core::Result<DocumentPage> DocumentService::list(const identity::Principal& p,
                                                 const DocumentFilter& filter) {
  if (!filter.status.empty() && !isStatus(filter.kind, filter.status)) {
    return fail(Error::invalid("errors.documents.bad_status", "status"));
  }
  if (filter.overdue && filter.kind != Kind::Invoice) {
    return fail(Error::invalid("errors.documents.overdue_for_invoices", "overdue"));
  }
  if (filter.query.size() > kMaxQuery) {
    return fail(Error::invalid("errors.documents.query_too_long", "q")
                    .with("max", std::to_string(kMaxQuery)));
  }
  if (filter.from && filter.to && *filter.from > *filter.to) {
    return fail(Error::invalid("errors.documents.from_after_to", "from"));
  }
  auto s = scope(p, filter);
  if (!s) return fail(s.error());
  DocumentPage page;
  page.today = today();
  page.items = repo_.list(*s, filter, page.today);
  if (static_cast<int>(page.items.size()) > filter.limit) {
    page.items.pop_back();
    page.next = Cursor{page.items.back().date, page.items.back().id.value};
  }
  page.totals = repo_.totals(*s, filter, page.today);
  return page;
}

std::optional<access::CompanyAccess> DocumentService::seeing(const identity::Principal& p,
                                                             const Document& d) {
  auto a = policy_.recordAccess(p, viewPermission(d.kind), d.company_id, d.site_id, d.owner,
                                access::OwnRecords::Own);
  // Draft quotes are the vendor's alone.
  if (a && a->basis != Basis::Staff && d.kind == Kind::Quote && d.status == "draft") {
    return std::nullopt;
  }
  return a;
}

core::Result<Seen> DocumentService::find(const identity::Principal& p, Kind kind,
                                         core::DocumentId id) {
  auto d = repo_.find(id);
  if (!d || d->kind != kind) return fail(noSuch(kind));
  auto a = seeing(p, *d);
  if (!a) return fail(noSuch(kind));
  Seen seen{
      std::move(*d), repo_.changes(id), a->basis == Basis::Staff, today(), {}, false, false, {}};
  if (kind == Kind::Invoice) {
    const auto& doc = seen.document;
    seen.may_pay = a->can(Permission::InvoicesPay) && a->basis == Basis::Membership &&
                   (doc.status == "issued" || doc.status == "partially_paid") &&
                   doc.outstanding() > 0;
    seen.open_checkout = repo_.openCheckout(id);
  }
  if (kind == Kind::Quote) {
    seen.decision = repo_.decision(id);
    seen.may_decide = !seen.decision && a->can(Permission::QuotesAccept) &&
                      a->basis == Basis::Membership &&
                      effectiveStatus(seen.document, seen.today) == "sent";
  }
  return seen;
}

core::Result<Seen> DocumentService::decidable(const identity::Principal& p, core::DocumentId id) {
  auto seen = find(p, Kind::Quote, id);
  if (!seen) return seen;
  auto a = policy_.company(p, seen->document.company_id);
  // The customer's own people decide: never an agent, nor the vendor's staff for them.
  if (!a || !a->can(Permission::QuotesAccept) || a->basis != Basis::Membership) {
    return fail(Error::forbidden("errors.documents.may_not_decide"));
  }
  if (seen->decision) return fail(Error::conflict("errors.documents.quote_decided"));
  auto status = effectiveStatus(seen->document, seen->today);
  if (status == "expired") return fail(Error::conflict("errors.documents.quote_expired"));
  if (status != "sent") return fail(Error::conflict("errors.documents.quote_not_open"));
  return seen;
}

core::Result<Seen> DocumentService::decide(const identity::Principal& p, core::DocumentId id,
                                           Decision x, const identity::Origin& origin) {
  auto seen = decidable(p, id);
  if (!seen) return seen;
  if (!step_up_) {
    return fail(
        Error{core::ErrorCode::StepUpRequired, "errors.identity.step_up_required", {}, 0, {}});
  }
  if (auto ok = step_up_->requireStepUp(p, seen->document.org_id); !ok) return fail(ok.error());
  if (x.decision == "accepted") {
    auto frozen = pdf(p, Kind::Quote, id);  // the document that is accepted
    if (!frozen) return fail(frozen.error());
    x.pdf_sha256 = frozen->sha256;
  }
  x.user = p.user.id;
  x.at = clock_.now();
  auto& d = seen->document;
  storage::Transaction tx(repo_.conn());
  if (!repo_.insertDecision(d, x)) return fail(Error::conflict("errors.documents.quote_decided"));
  auto old = d.status;
  d.status = x.decision;
  d.updated_at = x.at;
  if (!repo_.decideStatus(d)) return fail(Error::conflict("errors.documents.quote_not_open"));
  repo_.insertChange(d, p.user.id, "status", old, d.status, x.at);
  nlohmann::json data = {{"id", d.id.value},
                         {"number", d.number},
                         {"external_id", d.external_id ? nlohmann::json(*d.external_id) : nullptr},
                         {"status", d.status},
                         {"by", {{"id", p.user.id.value}, {"email", p.user.email}}},
                         {"at", core::rfc3339(x.at)}};
  if (x.decision == "accepted") {
    data["signer_name"] = x.signer_name;
    data["pdf_sha256"] = x.pdf_sha256;
  } else {
    data["reason"] = x.reason;
  }
  auto event = x.decision == "accepted" ? "quote.accepted" : "quote.declined";
  events_.record({d.org_id, event, d.company_id, "quote", d.id.value, data.dump()});
  audit_.record({p.user.id, origin.ip, origin.request_id},
                {event, std::nullopt, d.org_id, d.company_id,
                 nlohmann::json{{"number", d.number}, {"name", x.signer_name}}.dump()});
  tx.commit();
  return find(p, Kind::Quote, id);
}

core::Result<Seen> DocumentService::accept(const identity::Principal& p, core::DocumentId id,
                                           const std::string& name, bool terms_accepted,
                                           const identity::Origin& origin) {
  auto signer = std::string(core::trim(name));
  if (signer.empty() || core::codePointCount(signer) > 200 || !core::isCleanUtf8(signer)) {
    return fail(Error::invalid("errors.documents.signer_name", "name"));
  }
  if (!terms_accepted) {
    return fail(Error::invalid("errors.documents.terms_not_accepted", "terms_accepted"));
  }
  return decide(p, id, {"accepted", signer, "", {}, "", origin.ip, origin.user_agent, "", 0},
                origin);
}

core::Result<Seen> DocumentService::decline(const identity::Principal& p, core::DocumentId id,
                                            const std::string& reason,
                                            const identity::Origin& origin) {
  auto why = std::string(core::trim(reason));
  if (why.empty() || why.size() > kMaxDecisionText || !core::isCleanUtf8(why, true)) {
    return fail(Error::invalid("errors.documents.decline_reason", "reason")
                    .with("max", std::to_string(kMaxDecisionText)));
  }
  return decide(p, id, {"declined", "", why, {}, "", origin.ip, origin.user_agent, "", 0}, origin);
}

std::vector<std::pair<std::int64_t, std::string>> DocumentService::requestable(
    const identity::Principal& p) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& a : policy_.memberships(p)) {
    if (a.basis == Basis::Membership && a.can(Permission::QuotesAccept)) {
      out.emplace_back(a.company.id.value, a.company.name);
    }
  }
  return out;
}

core::Result<QuoteRequest> DocumentService::requestQuote(
    const identity::Principal& p, core::CompanyId company, const std::string& text,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& lines,
    const identity::Origin& origin) {
  auto a = policy_.company(p, company);
  if (!a) return fail(Error::notFound("errors.documents.no_such_company"));
  if (!a->can(Permission::QuotesAccept) || a->basis != Basis::Membership) {
    return fail(Error::forbidden("errors.documents.may_not_request"));
  }
  auto what = std::string(core::trim(text));
  if ((what.empty() && lines.empty()) || what.size() > kMaxRequestText ||
      !core::isCleanUtf8(what, true)) {
    return fail(Error::invalid("errors.documents.request_text", "text")
                    .with("max", std::to_string(kMaxRequestText)));
  }
  nlohmann::json products = nlohmann::json::array();
  if (!lines.empty()) {
    if (!products_) {
      return fail(Error::invalid("errors.documents.unknown_product", "lines[0].product_id"));
    }
    auto described = products_->describe(*a, lines);
    if (!described) return fail(described.error());
    products = std::move(*described);
  }
  QuoteRequest r{0,     a->company.org_id, company, a->company.name, p.user.id, what,
                 lines, clock_.now()};
  storage::Transaction tx(repo_.conn());
  r.id = repo_.insertQuoteRequest(r);
  nlohmann::json data = {{"id", r.id},
                         {"text", r.text},
                         {"lines", products},
                         {"by", {{"id", p.user.id.value}, {"email", p.user.email}}},
                         {"at", core::rfc3339(r.created_at)}};
  events_.record({r.org_id, "quote.requested", company, "quote_request", r.id, data.dump()});
  audit_.record(
      {p.user.id, origin.ip, origin.request_id},
      {"quote.requested", std::nullopt, r.org_id, company, nlohmann::json{{"id", r.id}}.dump()});
  tx.commit();
  return r;
}

core::Result<Pdf> DocumentService::pdf(const identity::Principal& p, Kind kind,
                                       core::DocumentId id) {
  auto seen = find(p, kind, id);
  if (!seen) return fail(seen.error());
  auto& d = seen->document;
  Pdf out{"", std::string(kindName(kind)) + "-" + d.number + ".pdf", ""};
  if (d.pdf_file_id) {
    if (auto bytes = files_.read(d.org_id, *d.pdf_file_id)) {
      out.bytes = std::move(*bytes);
      out.sha256 = d.pdf_sha256;
      return out;
    }
  }
  out.bytes = renderer_.render(d, settings_.letterhead(d.org_id));
  bool freezes = kind == Kind::Invoice || (kind == Kind::Quote && d.status != "draft");
  if (!freezes) {
    out.sha256 = core::sha256Hex(out.bytes);
    return out;
  }
  storage::Transaction tx(repo_.conn());
  auto stored = files_.put(d.org_id, out.bytes, clock_.now());
  bool frozen = repo_.freezePdf(d.id, stored.id, stored.sha256);
  tx.commit();
  if (!frozen) {  // another request froze its print first: that one is the document
    auto again = repo_.find(d.id);
    if (again && again->pdf_file_id) {
      if (auto bytes = files_.read(d.org_id, *again->pdf_file_id)) {
        out.bytes = std::move(*bytes);
        out.sha256 = again->pdf_sha256;
        return out;
      }
    }
  }
  out.sha256 = stored.sha256;
  return out;
}

core::Result<Document> DocumentService::putErpPdf(core::OrgId org, Kind kind,
                                                  const std::string& external_id,
                                                  const std::string& bytes,
                                                  const audit::Actor& actor) {
  if (!bytes.starts_with("%PDF-")) {
    return fail(Error::unsupportedMediaType("errors.documents.pdf_expected"));
  }
  if (bytes.size() > kMaxPdfBytes) {
    return fail(Error::invalid("errors.documents.pdf_too_large")
                    .with("max", std::to_string(kMaxPdfBytes / (1024 * 1024))));
  }
  storage::Transaction tx(repo_.conn());
  auto d = repo_.findByExternalId(org, kind, external_id);
  if (!d) return fail(noSuch(kind));
  // The document a customer accepted stays the one they accepted.
  if (kind == Kind::Quote && repo_.decision(d->id)) {
    return fail(Error::conflict("errors.documents.quote_decided"));
  }
  auto now = clock_.now();
  auto stored = files_.put(org, bytes, now);
  repo_.setErpPdf(d->id, stored.id, stored.sha256, now);
  audit_.record(actor,
                {std::string(kindName(kind)) + ".pdf_received", std::nullopt, org, d->company_id,
                 nlohmann::json{{"number", d->number}, {"sha256", stored.sha256}}.dump()});
  tx.commit();
  d->pdf_file_id = stored.id;
  d->pdf_sha256 = stored.sha256;
  d->pdf_source = "erp";
  return *d;
}

core::Result<DocumentPage> DocumentService::exportList(const identity::Principal& p,
                                                       DocumentFilter filter,
                                                       const audit::Actor& actor, bool* truncated) {
  filter.after.reset();
  filter.limit = 500;
  DocumentPage all;
  *truncated = false;
  while (true) {
    auto page = list(p, filter);
    if (!page) return page;
    if (all.items.empty()) {
      all.totals = page->totals;
      all.today = page->today;
    }
    for (auto& d : page->items) {
      if (static_cast<int>(all.items.size()) == kMaxExportRows) {
        *truncated = true;
        break;
      }
      all.items.push_back(std::move(d));
    }
    if (*truncated || !page->next) break;
    filter.after = page->next;
  }
  if (*truncated) all.next = Cursor{all.items.back().date, all.items.back().id.value};
  // One entry in each company's audit log: how many of its records left in the file.
  std::map<std::int64_t, std::pair<core::OrgId, std::int64_t>> per_company;
  for (const auto& d : all.items) {
    auto& [org, n] = per_company[d.company_id.value];
    org = d.org_id;
    ++n;
  }
  for (const auto& [company, what] : per_company) {
    audit_.record(
        actor, {"documents.exported", std::nullopt, what.first, core::CompanyId{company},
                nlohmann::json{{"kind", kindPlural(filter.kind)}, {"count", what.second}}.dump()});
  }
  return all;
}

bool DocumentService::maySee(const identity::Principal& p, Kind kind) {
  auto staff = policy_.staff(p);
  if (staff && access::Policy::staffSeesRecords(*staff)) return true;
  auto permission = viewPermission(kind);
  auto all = policy_.memberships(p);
  return std::any_of(all.begin(), all.end(), [&](const auto& a) { return a.can(permission); });
}

std::vector<std::pair<std::int64_t, std::string>> DocumentService::companies(
    const identity::Principal& p, Kind kind) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  auto staff = policy_.staff(p);
  if (staff && access::Policy::staffSeesRecords(*staff)) return out;
  for (const auto& a : policy_.memberships(p)) {
    if (a.can(viewPermission(kind))) out.emplace_back(a.company.id.value, a.company.name);
  }
  return out;
}

core::Result<DocumentUpserted> DocumentService::upsert(const access::Company& company,
                                                       const DocumentUpsert& u) {
  auto now = clock_.now();
  Document d = u.document;
  d.org_id = company.org_id;
  d.company_id = company.id;
  d.company_name = company.name;
  if (u.site_external_id) {
    auto site = repo_.siteByExternalId(company.id, *u.site_external_id);
    if (!site) {
      return fail(Error::invalid("errors.integration.unknown_site", "site_external_id")
                      .with("external_id", *u.site_external_id));
    }
    d.site_id = site;
  }
  if (u.owner_email) {
    auto owner = repo_.memberByEmail(company.id, *u.owner_email);
    if (!owner) return fail(Error::invalid("errors.documents.unknown_owner", "owner_email"));
    d.owner = owner;
  }
  auto existing = repo_.findByExternalId(company.org_id, d.kind, *d.external_id);
  // An order placed in the store has no external id until the ERP first writes it by its number
  // (the order.placed event's): that record is the ERP's from then on.
  if (!existing && d.kind == Kind::Order) {
    if (auto placed = repo_.findByNumber(company.org_id, d.kind, d.number);
        placed && !placed->external_id) {
      existing = std::move(placed);
    }
  }
  if (d.date.empty()) d.date = existing ? existing->date : today();
  try {
    if (!existing) {
      d.status = u.status.value_or(std::string(defaultStatus(d.kind)));
      d.paid = u.paid.value_or(0);
      d.created_at = d.updated_at = now;
      d.id = repo_.insert(d);
      return DocumentUpserted{std::move(d), true};
    }
    if (existing->company_id != company.id) {
      return fail(conflictAt("errors.integration.company_fixed", "company_external_id"));
    }
    d.id = existing->id;
    d.status = u.status.value_or(existing->status);
    d.paid = u.paid.value_or(existing->paid);
    d.created_at = existing->created_at;
    d.updated_at = now;
    if (!u.owner_email) d.owner = existing->owner;
    if (d.kind == Kind::Invoice) {
      // What was paid through the portal stays paid until the ERP's own figure covers it (it
      // may sync before it has read invoice.paid): never a second payment of the same amount.
      auto portal = repo_.paidThroughPortal(d.id);
      if (portal > d.paid) d.paid = portal;
      if (portal > 0 && (d.status == "issued" || d.status == "partially_paid")) {
        d.status = d.paid >= d.total ? "paid" : "partially_paid";
      }
    }
    repo_.update(d);
    if (d.status != existing->status) {
      repo_.insertChange(d, std::nullopt, "status", existing->status, d.status, now);
    }
    if (d.kind == Kind::Invoice && d.status == "paid") repo_.closeOpenPayments(d.id, now);
    bool settled = d.status == "paid" || d.status == "void" || d.status == "credited";
    if (d.kind == Kind::Invoice && settled) {
      if (checkouts_) checkouts_->endOpenCheckout(d.id);
      repo_.cancelOpenPayments(d.id, now);
    }
    // An undecided quote the ERP rewrote: its next print is of what it says now.
    if (d.kind == Kind::Quote && !repo_.decision(d.id)) repo_.unfreezePortalPdf(d.id);
    return DocumentUpserted{std::move(d), false};
  } catch (const storage::ConstraintError&) {
    return fail(conflictAt("errors.documents.number_taken", "number"));
  }
}

}  // namespace portico::documents
