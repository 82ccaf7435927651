#include "modules/documents/document_routes.h"

#include "access/access_pages.h"
#include "core/business_hours.h"
#include "core/text.h"
#include "http/download.h"
#include "http/error_response.h"
#include "modules/documents/document_json.h"

namespace portico::documents {
namespace {

using core::Error;
using core::fail;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;

constexpr int kMaxLimit = 200;
constexpr int kPageSize = 50;

}  // namespace

core::Result<DocumentFilter> parseFilter(const Request& r, Kind kind) {
  if (!r.query()) return fail(Error::invalid("errors.access.bad_query"));
  DocumentFilter f;
  f.kind = kind;
  f.limit = kPageSize;
  auto company = access::queryNumber(r, "company_id");
  auto site = access::queryNumber(r, "site_id");
  auto limit = access::queryNumber(r, "limit", kMaxLimit);
  for (const auto* v : {&company, &site, &limit}) {
    if (!*v) return fail(v->error());
  }
  if (*company) f.company = core::CompanyId{**company};
  f.site_id = *site;
  if (*limit) f.limit = static_cast<int>(**limit);
  f.status = access::queryField(r, "status");
  auto overdue = access::queryField(r, "overdue");
  if (!overdue.empty() && overdue != "true" && overdue != "false" && overdue != "1") {
    return fail(Error::invalid("errors.documents.bad_overdue", "overdue"));
  }
  f.overdue = overdue == "true" || overdue == "1";
  for (auto [name, out] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
    auto v = access::queryField(r, name);
    if (v.empty()) continue;
    if (!core::parseDate(v)) {
      return fail(Error::invalid("errors.documents.bad_date", name).with("field", name));
    }
    *out = v;
  }
  f.query = std::string(core::trim(access::queryField(r, "q")));
  if (auto v = access::queryField(r, "cursor"); !v.empty()) {
    f.after = parseCursor(v);
    if (!f.after) return fail(Error::invalid("errors.documents.bad_cursor", "cursor"));
  }
  return f;
}

Response pdfDownload(const Request& r, Pdf& pdf) {
  auto tag = "\"" + pdf.sha256 + "\"";
  if (!pdf.sha256.empty() && r.header("if-none-match") == tag) {
    Response res{304, {}, {}, {}, {}};
    res.setHeader("ETag", tag);
    return res;
  }
  return http::download(std::move(pdf.bytes), "application/pdf", pdf.filename, pdf.sha256);
}

core::Result<Response> csvExport(const Context& c, DocumentService& service,
                                 identity::Throttle& throttle, const DocumentFilter& filter) {
  if (auto ok = throttle.takeNow(throttle.heavyExport(c.principal->user.id)); !ok) {
    return fail(ok.error());
  }
  bool truncated = false;
  auto all = service.exportList(*c.principal, filter, identity::auditActor(c), &truncated);
  if (!all) return fail(all.error());
  auto res = Response::text(200, pageToCsv(*all, filter.kind));
  res.setHeader("Content-Type", "text/csv; charset=utf-8");
  res.setHeader("Content-Disposition",
                "attachment; filename=\"" + std::string(kindPlural(filter.kind)) + ".csv\"");
  res.setHeader("Cache-Control", "no-store");
  // Where a longer list was cut, the next record's cursor: ?cursor= of the list call goes on.
  if (truncated) res.setHeader("X-Truncated", "true");
  return res;
}

core::Result<RequestedQuote> parseQuoteRequest(const Request& r) {
  auto body = identity::parseJsonObject(r.body);
  if (!body) return fail(body.error());
  RequestedQuote q;
  auto company = body->find("company_id");
  if (company == body->end() || !company->is_number_integer() || company->get<std::int64_t>() < 1) {
    return fail(Error::invalid("errors.documents.company_required", "company_id"));
  }
  q.company = core::CompanyId{company->get<std::int64_t>()};
  auto text = body->find("text");
  if (text != body->end() && !text->is_null()) {
    if (!text->is_string()) return fail(Error::invalid("errors.documents.request_text", "text"));
    q.text = text->get<std::string>();
  }
  auto lines = parseProductLines(*body);
  if (!lines) return fail(lines.error());
  q.lines = std::move(*lines);
  return q;
}

core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> parseProductLines(
    const nlohmann::json& body) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  auto lines = body.find("lines");
  if (lines != body.end() && !lines->is_null()) {
    if (!lines->is_array()) {
      return fail(Error::invalid("errors.integration.not_array", "lines").with("field", "lines"));
    }
    for (std::size_t i = 0; i < lines->size(); ++i) {
      const auto& l = (*lines)[i];
      auto at = "lines[" + std::to_string(i) + "]";
      if (!l.is_object() || !l.contains("product_id") || !l["product_id"].is_number_integer()) {
        return fail(Error::invalid("errors.documents.unknown_product", at + ".product_id"));
      }
      std::string given = "1";
      if (l.contains("quantity")) {
        given = l["quantity"].is_string() ? l["quantity"].get<std::string>()
                : l["quantity"].is_number_integer()
                    ? std::to_string(l["quantity"].get<std::int64_t>())
                    : std::string();
      }
      auto quantity = core::parseQuantity(given);
      if (!quantity) {
        return fail(Error::invalid("errors.documents.bad_quantity", at + ".quantity")
                        .with("field", at + ".quantity"));
      }
      out.emplace_back(l["product_id"].get<std::int64_t>(), *quantity);
    }
  }
  return out;
}

void registerDocumentRoutes(identity::GuardedRoutes& routes, DocumentService& service,
                            identity::Throttle& throttle) {
  routes.api("POST", "/api/v1/quotes/{id}/accept", Access::SignedIn,
             [&service](Request& r, Context& c) {
               auto body = identity::parseJsonObject(r.body);
               if (!body) return http::jsonError(body.error());
               auto name = body->find("name");
               auto terms = body->find("terms_accepted");
               auto seen = service.accept(
                   *c.principal, core::DocumentId{r.idParam("id")},
                   name != body->end() && name->is_string() ? name->get<std::string>() : "",
                   terms != body->end() && terms->is_boolean() && terms->get<bool>(), c.origin);
               if (!seen) return http::jsonError(seen.error());
               return Response::json(200, seenToJson(*seen).dump());
             });
  routes.api("POST", "/api/v1/quotes/{id}/decline", Access::SignedIn,
             [&service](Request& r, Context& c) {
               auto body = identity::parseJsonObject(r.body);
               if (!body) return http::jsonError(body.error());
               auto reason = body->find("reason");
               auto seen = service.decline(
                   *c.principal, core::DocumentId{r.idParam("id")},
                   reason != body->end() && reason->is_string() ? reason->get<std::string>() : "",
                   c.origin);
               if (!seen) return http::jsonError(seen.error());
               return Response::json(200, seenToJson(*seen).dump());
             });
  routes.api(
      "POST", "/api/v1/quote-requests", Access::SignedIn, [&service](Request& r, Context& c) {
        auto q = parseQuoteRequest(r);
        if (!q) return http::jsonError(q.error());
        auto done = service.requestQuote(*c.principal, q->company, q->text, q->lines, c.origin);
        if (!done) return http::jsonError(done.error());
        return Response::json(201, quoteRequestToJson(*done).dump());
      });
  for (auto kind : kKinds) {
    auto base = "/api/v1/" + std::string(kindPlural(kind));
    routes.api("GET", base, Access::SignedIn, [&service, kind](Request& r, Context& c) {
      auto f = parseFilter(r, kind);
      if (!f) return http::jsonError(f.error());
      auto page = service.list(*c.principal, *f);
      if (!page) return http::jsonError(page.error());
      return Response::json(200, pageToJson(*page));
    });
    routes.api(
        "GET", base + ".csv", Access::SignedIn,
        [&service, &throttle, kind](Request& r, Context& c) {
          auto f = parseFilter(r, kind);
          if (!f) return http::jsonError(f.error());
          auto csv = csvExport(c, service, throttle, *f);
          if (!csv) return http::jsonError(csv.error());
          return std::move(*csv);
        },
        http::Execution::Worker);
    routes.api(
        "GET", base + "/{id}/pdf", Access::SignedIn,
        [&service, kind](Request& r, Context& c) {
          auto pdf = service.pdf(*c.principal, kind, core::DocumentId{r.idParam("id")});
          if (!pdf) return http::jsonError(pdf.error());
          return pdfDownload(r, *pdf);
        },
        http::Execution::Worker);
    routes.api(
        "PUT", "/api/v1/integration/" + std::string(kindPlural(kind)) + "/{external_id}/pdf",
        Access::ApiKey,
        [&service, kind](Request& r, Context& c) {
          if (auto type = r.header("content-type"); !type.starts_with("application/pdf")) {
            return http::jsonError(Error::unsupportedMediaType("errors.documents.pdf_expected"));
          }
          auto done = service.putErpPdf(*c.integration_org, kind, r.param("external_id"), r.body,
                                        identity::auditActor(c));
          if (!done) return http::jsonError(done.error());
          return Response::json(200, nlohmann::json{{"id", done->id.value},
                                                    {"number", done->number},
                                                    {"pdf_sha256", done->pdf_sha256},
                                                    {"pdf_source", done->pdf_source}}
                                         .dump());
        },
        http::Execution::Worker, kMaxPdfBytes + 4096);
    routes.api("GET", base + "/{id}", Access::SignedIn, [&service, kind](Request& r, Context& c) {
      auto seen = service.find(*c.principal, kind, core::DocumentId{r.idParam("id")});
      if (!seen) return http::jsonError(seen.error());
      return Response::json(200, seenToJson(*seen).dump());
    });
  }
}

}  // namespace portico::documents
