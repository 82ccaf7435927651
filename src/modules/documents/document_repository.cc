#include "modules/documents/document_repository.h"

#include <functional>
#include <nlohmann/json.hpp>

#include "storage/list_sql.h"

namespace portico::documents {
namespace {

using nlohmann::json;
using storage::Dialect;
using storage::ListSql;
using storage::Query;

// A record's columns, with its lines (LINES: "d.lines") or without them ("'[]'": a list, which
// never shows them, need not read and parse ten lines a row).
#define DOCUMENT_COLUMNS_WITH(LINES)                                                           \
  "d.id, d.org_id, d.company_id, co.name, d.kind, d.number, d.external_id, d.status, d.title," \
  " d.currency, d.subtotal, d.vat, d.total, d.paid, d.doc_date, d.until_date, d.site_id,"      \
  " COALESCE(s.name, ''), d.delivery_address, d.reference, d.owner_id, d.language, " LINES     \
  ", d.created_at, d.updated_at, d.billing_address, d.payment_reference, d.pdf_file_id,"       \
  " d.pdf_sha256, d.pdf_source, co.org_number"
#define DOCUMENT_COLUMNS DOCUMENT_COLUMNS_WITH("d.lines")
#define LISTED_COLUMNS DOCUMENT_COLUMNS_WITH("'[]'")
#define DOCUMENT_FROM                                           \
  " FROM documents d JOIN companies co ON co.id = d.company_id" \
  " LEFT JOIN sites s ON s.id = d.site_id"

constexpr std::string_view kFind = "SELECT " DOCUMENT_COLUMNS DOCUMENT_FROM " WHERE d.id = ?";
constexpr std::string_view kFindExternal =
    "SELECT " DOCUMENT_COLUMNS DOCUMENT_FROM
    " WHERE d.org_id = ? AND d.kind = ? AND d.external_id = ?";
constexpr std::string_view kFindNumber =
    "SELECT " DOCUMENT_COLUMNS DOCUMENT_FROM " WHERE d.org_id = ? AND d.kind = ? AND d.number = ?";
constexpr std::string_view kInsert =
    "INSERT INTO documents (org_id, company_id, kind, number, external_id, status, title,"
    " currency, subtotal, vat, total, paid, doc_date, until_date, site_id, delivery_address,"
    " reference, owner_id, language, lines, created_at, updated_at, billing_address,"
    " payment_reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?)";
constexpr std::string_view kUpdate =
    "UPDATE documents SET number = ?, external_id = ?, status = ?, title = ?, currency = ?,"
    " subtotal = ?, vat = ?, total = ?, paid = ?, doc_date = ?, until_date = ?, site_id = ?,"
    " delivery_address = ?, reference = ?, owner_id = ?, language = ?, lines = ?, updated_at = ?,"
    " billing_address = ?, payment_reference = ? WHERE id = ?";
// Keeps a PDF for the record unless it has one already (a frozen print is never replaced), or
// (the ERP's) in any case.
constexpr std::string_view kFreezePdf =
    "UPDATE documents SET pdf_file_id = ?, pdf_sha256 = ?, pdf_source = 'portal'"
    " WHERE id = ? AND pdf_file_id IS NULL";
constexpr std::string_view kErpPdf =
    "UPDATE documents SET pdf_file_id = ?, pdf_sha256 = ?, pdf_source = 'erp', updated_at = ?"
    " WHERE id = ?";
constexpr std::string_view kSetStatus =
    "UPDATE documents SET status = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kInsertDecision =
    "INSERT INTO quote_decisions (document_id, company_id, decision, signer_name, reason, user_id,"
    " ip, user_agent, pdf_sha256, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING";
constexpr std::string_view kDecision =
    "SELECT q.decision, q.signer_name, q.reason, q.user_id, u.first_name, u.last_name, q.ip,"
    " q.user_agent, q.pdf_sha256, q.decided_at FROM quote_decisions q"
    " LEFT JOIN users u ON u.id = q.user_id WHERE q.document_id = ?";
constexpr std::string_view kInsertQuoteRequest =
    "INSERT INTO quote_requests (org_id, company_id, user_id, text, lines, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kCloseOpenPayments =
    "UPDATE payments SET status = 'paid', paid_at = ?, updated_at = ?"
    " WHERE document_id = ? AND status = 'open' AND provider = 'manual'";
constexpr std::string_view kCancelOpenPayments =
    "UPDATE payments SET status = 'cancelled', updated_at = ?"
    " WHERE document_id = ? AND status = 'open'";
constexpr std::string_view kPaidThroughPortal =
    "SELECT COALESCE(SUM(amount), 0) FROM payments WHERE document_id = ? AND status = 'paid'"
    " AND provider <> 'manual'";
constexpr std::string_view kDecideStatus =
    "UPDATE documents SET status = ?, updated_at = ? WHERE id = ? AND status = 'sent'";
constexpr std::string_view kUnfreezePortalPdf =
    "UPDATE documents SET pdf_file_id = NULL, pdf_sha256 = NULL, pdf_source = NULL"
    " WHERE id = ? AND pdf_source = 'portal'";
constexpr std::string_view kOpenCheckout =
    "SELECT checkout_url FROM payments WHERE document_id = ? AND status = 'open'";
constexpr std::string_view kChanges =
    "SELECT h.field, h.old_value, h.new_value, u.first_name, u.last_name, h.created_at"
    " FROM document_changes h LEFT JOIN users u ON u.id = h.actor_id WHERE h.document_id = ?"
    " ORDER BY h.id";
constexpr std::string_view kInsertChange =
    "INSERT INTO document_changes (company_id, document_id, actor_id, field, old_value, new_value,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kSiteExternal =
    "SELECT id FROM sites WHERE company_id = ? AND external_id = ?";
constexpr std::string_view kMemberByEmail =
    "SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id"
    " WHERE m.company_id = ? AND u.email = ?";

std::string linesText(const std::vector<Line>& lines) {
  json out = json::array();
  for (const auto& l : lines) {
    json j = {{"description", l.description},
              {"quantity", l.quantity},
              {"unit_price", l.unit_price},
              {"vat_rate", l.vat_rate},
              {"amount", l.amount}};
    if (!l.sku.empty()) j["sku"] = l.sku;
    if (!l.unit.empty()) j["unit"] = l.unit;
    if (l.product_id) j["product_id"] = *l.product_id;
    if (!l.price_rule.empty()) j["price_rule"] = l.price_rule;
    out.push_back(std::move(j));
  }
  return out.dump();
}

std::vector<Line> linesFrom(const std::string& text) {
  std::vector<Line> out;
  auto all = json::parse(text, nullptr, false);
  if (!all.is_array()) return out;
  for (const auto& j : all) {
    Line l;
    l.description = j.value("description", "");
    l.quantity = j.value("quantity", std::int64_t{0});
    l.unit_price = j.value("unit_price", std::int64_t{0});
    l.vat_rate = j.value("vat_rate", std::int64_t{0});
    l.amount = j.value("amount", std::int64_t{0});
    l.sku = j.value("sku", "");
    l.unit = j.value("unit", "");
    if (j.contains("product_id")) l.product_id = j["product_id"].get<std::int64_t>();
    l.price_rule = j.value("price_rule", "");
    out.push_back(std::move(l));
  }
  return out;
}

Document readDocument(Query& q) {
  Document d;
  d.id = core::DocumentId{q.getInt(0)};
  d.org_id = core::OrgId{q.getInt(1)};
  d.company_id = core::CompanyId{q.getInt(2)};
  d.company_name = q.getText(3);
  d.kind = kindFromPlural(q.getText(4) + "s").value_or(Kind::Invoice);
  d.number = q.getText(5);
  d.external_id = q.getOptText(6);
  d.status = q.getText(7);
  d.title = q.getText(8);
  d.currency = q.getText(9);
  d.subtotal = q.getInt(10);
  d.vat = q.getInt(11);
  d.total = q.getInt(12);
  d.paid = q.getInt(13);
  d.date = q.getText(14);
  d.until = q.getOptText(15);
  d.site_id = q.getOptInt(16);
  d.site_name = q.getText(17);
  d.delivery_address = q.getText(18);
  d.reference = q.getText(19);
  if (auto owner = q.getOptInt(20)) d.owner = core::UserId{*owner};
  d.language = q.getText(21);
  if (auto lines = q.getText(22); lines != "[]") d.lines = linesFrom(lines);
  d.created_at = q.getInt(23);
  d.updated_at = q.getInt(24);
  d.billing_address = q.getText(25);
  d.payment_reference = q.getText(26);
  d.pdf_file_id = q.getOptInt(27);
  d.pdf_sha256 = q.getOptText(28).value_or("");
  d.pdf_source = q.getOptText(29).value_or("");
  d.company_org_number = q.getText(30);
  return d;
}

std::optional<std::int64_t> ownerId(const Document& d) {
  if (!d.owner) return std::nullopt;
  return d.owner->value;
}

// The WHERE of a list and of its totals: the scope, the kind and the filters in use.
ListSql where(Dialect dialect, const DocumentScope& scope, const DocumentFilter& f,
              const std::string& today) {
  ListSql s(dialect);
  bool staff = scope.org.has_value();
  if (staff) {
    s.sql(" WHERE d.org_id = ?").arg(scope.org->value);
    if (scope.departments) {
      s.sql(" AND d.company_id IN (SELECT id FROM companies WHERE");
      s.in(" department_id", *scope.departments).sql(")");
    }
  } else {
    // Every record of some companies and sites, and the user's own (placed, requested) of others.
    s.customerScope("d.company_id", "d.site_id", scope.companies, scope.sites, scope.own_companies,
                    scope.own_sites,
                    [&scope](ListSql& own) { own.sql("d.owner_id = ?").arg(scope.user.value); });
  }
  s.sql(" AND d.kind = ?").arg(std::string(kindName(f.kind)));
  if (!staff && f.kind == Kind::Quote) s.sql(" AND d.status <> 'draft'");
  if (f.company) s.sql(" AND d.company_id = ?").arg(f.company->value);
  if (f.site_id) s.sql(" AND d.site_id = ?").arg(*f.site_id);
  if (f.kind == Kind::Quote && f.status == "sent") {
    s.sql(" AND d.status = 'sent' AND (d.until_date IS NULL OR d.until_date >= ?)").arg(today);
  } else if (f.kind == Kind::Quote && f.status == "expired") {
    s.sql(" AND (d.status = 'expired' OR (d.status = 'sent' AND d.until_date < ?))").arg(today);
  } else if (!f.status.empty()) {
    s.sql(" AND d.status = ?").arg(f.status);
  }
  if (f.overdue) {
    s.sql(" AND d.status IN ('issued', 'partially_paid') AND d.until_date < ?").arg(today);
  }
  if (f.from) s.sql(" AND d.doc_date >= ?").arg(*f.from);
  if (f.to) s.sql(" AND d.doc_date <= ?").arg(*f.to);
  if (!f.query.empty()) {
    auto pattern = storage::likeContaining(f.query);
    s.sql(
         " AND (lower(d.number) LIKE lower(?) ESCAPE '\\' OR lower(d.title) LIKE lower(?)"
         " ESCAPE '\\' OR lower(d.reference) LIKE lower(?) ESCAPE '\\')")
        .arg(pattern)
        .arg(pattern)
        .arg(pattern);
  }
  return s;
}

}  // namespace

std::optional<Document> DocumentRepository::find(core::DocumentId id) {
  Query q(conn(), kFind);
  q.bind(id.value);
  if (!q.next()) return std::nullopt;
  return readDocument(q);
}

std::optional<Document> DocumentRepository::findByExternalId(core::OrgId org, Kind kind,
                                                             const std::string& external_id) {
  Query q(conn(), kFindExternal);
  q.bind(org.value, kindName(kind), external_id);
  if (!q.next()) return std::nullopt;
  return readDocument(q);
}

std::optional<Document> DocumentRepository::findByNumber(core::OrgId org, Kind kind,
                                                         const std::string& number) {
  Query q(conn(), kFindNumber);
  q.bind(org.value, kindName(kind), number);
  if (!q.next()) return std::nullopt;
  return readDocument(q);
}

core::DocumentId DocumentRepository::insert(const Document& d) {
  Query(conn(), kInsert)
      .bind(d.org_id.value, d.company_id.value, kindName(d.kind), d.number, d.external_id, d.status,
            d.title, d.currency, d.subtotal, d.vat, d.total, d.paid, d.date, d.until, d.site_id,
            d.delivery_address, d.reference, ownerId(d), d.language, linesText(d.lines),
            d.created_at, d.updated_at, d.billing_address, d.payment_reference)
      .run();
  return core::DocumentId{conn().lastInsertId()};
}

void DocumentRepository::update(const Document& d) {
  Query(conn(), kUpdate)
      .bind(d.number, d.external_id, d.status, d.title, d.currency, d.subtotal, d.vat, d.total,
            d.paid, d.date, d.until, d.site_id, d.delivery_address, d.reference, ownerId(d),
            d.language, linesText(d.lines), d.updated_at, d.billing_address, d.payment_reference,
            d.id.value)
      .run();
}

bool DocumentRepository::freezePdf(core::DocumentId id, std::int64_t file_id,
                                   const std::string& sha256) {
  Query(conn(), kFreezePdf).bind(file_id, sha256, id.value).run();
  return conn().changes() > 0;
}

void DocumentRepository::setErpPdf(core::DocumentId id, std::int64_t file_id,
                                   const std::string& sha256, std::int64_t now) {
  Query(conn(), kErpPdf).bind(file_id, sha256, now, id.value).run();
}

std::vector<Document> DocumentRepository::list(const DocumentScope& scope,
                                               const DocumentFilter& filter,
                                               const std::string& today) {
  auto s = where(conn().dialect(), scope, filter, today);
  if (filter.after) {
    s.sql(" AND (d.doc_date < ? OR (d.doc_date = ? AND d.id < ?))")
        .arg(filter.after->date)
        .arg(filter.after->date)
        .arg(filter.after->id);
  }
  s.sql(" ORDER BY d.doc_date DESC, d.id DESC LIMIT ?")
      .arg(static_cast<std::int64_t>(filter.limit) + 1);
  // The page's ids first, from the indexes alone; then their rows.
  Query q(conn(), "SELECT " LISTED_COLUMNS DOCUMENT_FROM
                  " WHERE d.id IN (SELECT d.id FROM documents d" +
                      s.text() + ") ORDER BY d.doc_date DESC, d.id DESC");
  s.bindTo(q);
  std::vector<Document> out;
  while (q.next()) out.push_back(readDocument(q));
  return out;
}

std::vector<Total> DocumentRepository::totals(const DocumentScope& scope,
                                              const DocumentFilter& filter,
                                              const std::string& today) {
  auto s = where(conn().dialect(), scope, filter, today);
  Query q(
      conn(),
      "SELECT d.currency, SUM(d.total),"
      " SUM(CASE WHEN d.status IN ('issued', 'partially_paid') THEN d.total - d.paid ELSE 0 END),"
      " count(*) FROM documents d" +
          s.text() + " GROUP BY d.currency ORDER BY d.currency");
  s.bindTo(q);
  std::vector<Total> out;
  while (q.next()) out.push_back({q.getText(0), q.getInt(1), q.getInt(2), q.getInt(3)});
  return out;
}

void DocumentRepository::setStatus(const Document& d) {
  Query(conn(), kSetStatus).bind(d.status, d.updated_at, d.id.value).run();
}

bool DocumentRepository::insertDecision(const Document& d, const Decision& x) {
  std::optional<std::int64_t> user;
  if (x.user) user = x.user->value;
  Query(conn(), kInsertDecision)
      .bind(d.id.value, d.company_id.value, x.decision, x.signer_name, x.reason, user, x.ip,
            x.user_agent, x.pdf_sha256, x.at)
      .run();
  return conn().changes() > 0;
}

std::optional<Decision> DocumentRepository::decision(core::DocumentId id) {
  Query q(conn(), kDecision);
  q.bind(id.value);
  if (!q.next()) return std::nullopt;
  Decision x;
  x.decision = q.getText(0);
  x.signer_name = q.getText(1);
  x.reason = q.getText(2);
  if (auto u = q.getOptInt(3)) {
    x.user = core::UserId{*u};
    x.user_name = q.getText(4) + " " + q.getText(5);
  }
  x.ip = q.getText(6);
  x.user_agent = q.getText(7);
  x.pdf_sha256 = q.getText(8);
  x.at = q.getInt(9);
  return x;
}

void DocumentRepository::cancelOpenPayments(core::DocumentId id, std::int64_t now) {
  Query(conn(), kCancelOpenPayments).bind(now, id.value).run();
}

std::int64_t DocumentRepository::paidThroughPortal(core::DocumentId id) {
  Query q(conn(), kPaidThroughPortal);
  q.bind(id.value);
  q.next();
  return q.getInt(0);
}

bool DocumentRepository::decideStatus(const Document& d) {
  Query(conn(), kDecideStatus).bind(d.status, d.updated_at, d.id.value).run();
  return conn().changes() > 0;
}

void DocumentRepository::unfreezePortalPdf(core::DocumentId id) {
  Query(conn(), kUnfreezePortalPdf).bind(id.value).run();
}

std::optional<std::string> DocumentRepository::openCheckout(core::DocumentId id) {
  Query q(conn(), kOpenCheckout);
  q.bind(id.value);
  if (!q.next()) return std::nullopt;
  return q.getText(0);
}

void DocumentRepository::closeOpenPayments(core::DocumentId id, std::int64_t now) {
  Query(conn(), kCloseOpenPayments).bind(now, now, id.value).run();
}

std::int64_t DocumentRepository::insertQuoteRequest(const QuoteRequest& r) {
  json lines = json::array();
  for (const auto& [product, quantity] : r.lines) {
    lines.push_back({{"product_id", product}, {"quantity", quantity}});
  }
  std::optional<std::int64_t> user;
  if (r.user) user = r.user->value;
  Query(conn(), kInsertQuoteRequest)
      .bind(r.org_id.value, r.company_id.value, user, r.text, lines.dump(), r.created_at)
      .run();
  return conn().lastInsertId();
}

std::vector<Change> DocumentRepository::changes(core::DocumentId id) {
  Query q(conn(), kChanges);
  q.bind(id.value);
  std::vector<Change> out;
  while (q.next()) {
    Change c{q.getText(0), q.getOptText(1), q.getOptText(2), std::nullopt, q.getInt(5)};
    if (!q.isNull(3)) c.actor_name = q.getText(3) + " " + q.getText(4);
    out.push_back(std::move(c));
  }
  return out;
}

void DocumentRepository::insertChange(const Document& d, std::optional<core::UserId> actor,
                                      const std::string& field,
                                      const std::optional<std::string>& old_value,
                                      const std::optional<std::string>& new_value,
                                      std::int64_t at) {
  std::optional<std::int64_t> actor_id;
  if (actor) actor_id = actor->value;
  Query(conn(), kInsertChange)
      .bind(d.company_id.value, d.id.value, actor_id, field, old_value, new_value, at)
      .run();
}

std::optional<std::int64_t> DocumentRepository::siteByExternalId(core::CompanyId company,
                                                                 const std::string& external_id) {
  Query q(conn(), kSiteExternal);
  q.bind(company.value, external_id);
  if (!q.next()) return std::nullopt;
  return q.getInt(0);
}

std::optional<core::UserId> DocumentRepository::memberByEmail(core::CompanyId company,
                                                              const std::string& email) {
  Query q(conn(), kMemberByEmail);
  q.bind(company.value, email);
  if (!q.next()) return std::nullopt;
  return core::UserId{q.getInt(0)};
}

}  // namespace portico::documents
