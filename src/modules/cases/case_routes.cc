#include "modules/cases/case_routes.h"

#include <set>

#include "access/access_pages.h"
#include "core/text.h"
#include "directory/directory_fields.h"
#include "http/download.h"
#include "http/error_response.h"
#include "http/multipart.h"
#include "modules/cases/case_fields.h"
#include "modules/cases/case_json.h"

namespace portico::cases {
namespace {

using core::Error;
using core::fail;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kMaxLimit = 200;
constexpr int kPageSize = 50;
constexpr std::size_t kMaxSubject = 200;
constexpr std::size_t kMaxText = 20000;

// ?company_id=&status=&priority=&site_id=&device_id=&requester_id=&mine=&q=&sort=&limit=&cursor=
// and, for staff, &assignee_id=&breached=
core::Result<CaseFilter> parseFilter(const Request& r) {
  if (!r.query()) return fail(Error::invalid("errors.access.bad_query"));
  CaseFilter f;
  f.limit = kPageSize;
  auto company = access::queryNumber(r, "company_id");
  auto site = access::queryNumber(r, "site_id");
  auto device = access::queryNumber(r, "device_id");
  auto requester = access::queryNumber(r, "requester_id");
  auto assignee = access::queryNumber(r, "assignee_id");
  auto limit = access::queryNumber(r, "limit", kMaxLimit);
  for (const auto* v : {&company, &site, &device, &requester, &assignee, &limit}) {
    if (!*v) return fail(v->error());
  }
  if (*company) f.company = core::CompanyId{**company};
  f.site_id = *site;
  f.device_id = *device;
  if (*requester) f.requester = core::UserId{**requester};
  if (*assignee) f.assignee = core::UserId{**assignee};
  if (*limit) f.limit = static_cast<int>(**limit);
  if (auto v = access::queryField(r, "status"); !v.empty()) {
    f.status = parseStatus(v);
    if (!f.status) return fail(Error::invalid("errors.cases.bad_status", "status"));
  }
  f.priority = access::queryField(r, "priority");
  if (!f.priority.empty() && !isPriority(f.priority)) {
    return fail(Error::invalid("errors.cases.bad_priority", "priority"));
  }
  auto mine = access::queryField(r, "mine");
  if (!mine.empty() && mine != "true" && mine != "false") {
    return fail(Error::invalid("errors.cases.bad_mine", "mine"));
  }
  f.mine = mine == "true";
  auto breached = access::queryField(r, "breached");
  if (!breached.empty() && breached != "true" && breached != "false") {
    return fail(Error::invalid("errors.cases.bad_breached", "breached"));
  }
  f.breached = breached == "true";
  auto q = access::queryField(r, "q");
  f.query = std::string(core::trim(q));
  if (auto v = access::queryField(r, "sort"); !v.empty()) {
    auto sort = parseSort(v);
    if (!sort) return fail(Error::invalid("errors.cases.bad_sort", "sort"));
    f.sort = *sort;
  }
  if (auto v = access::queryField(r, "cursor"); !v.empty()) {
    f.after = parseCursor(f.sort, v);
    if (!f.after) return fail(Error::invalid("errors.cases.bad_cursor", "cursor"));
  }
  return f;
}

core::Result<NewCase> parseNewCase(const Request& r) {
  auto body = objectBody(r, {"company_id", "subject", "description", "priority", "category_id",
                             "site_id", "device_id"});
  if (!body) return fail(body.error());
  NewCase c;
  auto company = idField(*body, "company_id");
  if (!company) return fail(company.error());
  if (!*company) return fail(Error::invalid("errors.cases.company_required", "company_id"));
  c.company_id = core::CompanyId{**company};
  auto subject = directory::textField(*body, "subject", true, kMaxSubject);
  if (!subject) return fail(subject.error());
  c.subject = *subject;
  auto description = directory::textField(*body, "description", true, kMaxText, "", true);
  if (!description) return fail(description.error());
  c.description = *description;
  auto priority = enumField(*body, "priority", "errors.cases.bad_priority");
  if (!priority) return fail(priority.error());
  if (!priority->empty()) c.priority = *priority;
  for (auto [key, out] : {std::pair{"category_id", &c.category_id},
                          std::pair{"site_id", &c.site_id}, std::pair{"device_id", &c.device_id}}) {
    auto v = idField(*body, key);
    if (!v) return fail(v.error());
    *out = *v;
  }
  return c;
}

core::Result<CaseUpdate> parseUpdate(const Request& r) {
  auto body = objectBody(r, {"status", "priority", "assignee_id"});
  if (!body) return fail(body.error());
  CaseUpdate u;
  auto status = enumField(*body, "status", "errors.cases.bad_status");
  if (!status) return fail(status.error());
  if (!status->empty()) {
    u.status = parseStatus(*status);
    if (!u.status) return fail(Error::invalid("errors.cases.bad_status", "status"));
  }
  auto priority = enumField(*body, "priority", "errors.cases.bad_priority");
  if (!priority) return fail(priority.error());
  if (!priority->empty()) u.priority = *priority;
  if (body->contains("assignee_id")) {
    auto a = idField(*body, "assignee_id");
    if (!a) return fail(a.error());
    u.assignee = *a ? std::optional<core::UserId>(core::UserId{**a}) : std::nullopt;
  }
  if (!u.status && !u.priority && !u.assignee) {
    return fail(Error::invalid("errors.cases.nothing_to_change"));
  }
  return u;
}

core::CaseId caseParam(const Request& r) { return core::CaseId{r.idParam("id")}; }

// A multipart/form-data upload: one file part "file" and, for staff, "internal" (true or false).
struct AttachmentUpload {
  Upload file;
  bool internal = false;
};

core::Result<AttachmentUpload> parseAttachment(const Request& r) {
  auto boundary = http::multipartBoundary(r.header("content-type"));
  if (!boundary) return fail(Error::unsupportedMediaType("errors.cases.multipart_expected"));
  auto parts = http::parseMultipart(r.body, *boundary, http::MultipartLimits{});
  if (!parts) return fail(parts.error());
  AttachmentUpload out;
  bool have_file = false;
  for (auto& part : *parts) {
    if (part.name == "file" && part.filename && !have_file) {
      have_file = !part.filename->empty() || !part.data.empty();
      out.file = Upload{std::move(*part.filename), std::move(part.data)};
    } else if (part.name == "internal" && !part.filename) {
      if (part.data != "true" && part.data != "false") {
        return fail(Error::invalid("errors.cases.bad_internal", "internal"));
      }
      out.internal = part.data == "true";
    } else if (part.name == "file") {
      return fail(Error::invalid("errors.cases.one_file", "file"));
    } else {
      return fail(Error::invalid("errors.cases.unknown_field", part.name).with("field", part.name));
    }
  }
  if (!have_file) return fail(Error::invalid("errors.cases.file_required", "file"));
  return out;
}

Response answer(int status, const core::Result<Seen>& seen) {
  if (!seen) return http::jsonError(seen.error());
  return Response::json(status, seenToJson(*seen).dump());
}

}  // namespace

Response attachmentDownload(const Request& r, Download& d) {
  const auto& a = d.attachment;
  if (auto tag = r.header("if-none-match"); !tag.empty() && tag == "\"" + a.sha256 + "\"") {
    Response res{304, {}, {}, {}, {}};
    res.setHeader("ETag", "\"" + a.sha256 + "\"");
    return res;
  }
  return http::download(std::move(d.data), a.content_type, a.name, a.sha256);
}

void registerCaseRoutes(identity::GuardedRoutes& routes, CaseService& cases,
                        TemplateService& templates) {
  routes.api("GET", "/api/v1/cases", Access::SignedIn, [&cases](Request& r, Context& c) {
    auto f = parseFilter(r);
    if (!f) return http::jsonError(f.error());
    auto page = cases.list(*c.principal, *f);
    if (!page) return http::jsonError(page.error());
    return Response::json(200, pageToJson(*page).dump());
  });
  routes.api("POST", "/api/v1/cases", Access::SignedIn, [&cases](Request& r, Context& c) {
    auto nc = parseNewCase(r);
    if (!nc) return http::jsonError(nc.error());
    return answer(201, cases.open(*c.principal, *nc));
  });
  routes.api("GET", "/api/v1/cases/{id}", Access::SignedIn, [&cases](Request& r, Context& c) {
    return answer(200, cases.find(*c.principal, caseParam(r)));
  });
  routes.api(
      "POST", "/api/v1/cases/{id}/rating", Access::SignedIn, [&cases](Request& r, Context& c) {
        auto body = objectBody(r, {"stars", "comment"});
        if (!body) return http::jsonError(body.error());
        auto stars = body->find("stars");
        if (stars == body->end() || !stars->is_number_integer()) {
          return http::jsonError(Error::invalid("errors.cases.bad_rating", "stars"));
        }
        auto comment = directory::textField(*body, "comment", false, kMaxRatingComment, "", true);
        if (!comment) return http::jsonError(comment.error());
        auto n = stars->get<std::int64_t>();
        int value = n < 1 || n > 5 ? 0 : static_cast<int>(n);
        return answer(201, cases.rate(*c.principal, caseParam(r), value, *comment));
      });
  routes.api("PATCH", "/api/v1/cases/{id}", Access::SignedIn, [&cases](Request& r, Context& c) {
    auto u = parseUpdate(r);
    if (!u) return http::jsonError(u.error());
    return answer(200, cases.update(*c.principal, caseParam(r), *u));
  });
  routes.api("POST", "/api/v1/cases/{id}/comments", Access::SignedIn,
             [&cases, &templates](Request& r, Context& c) {
               auto body = objectBody(r, {"body", "internal", "template_id"});
               if (!body) return http::jsonError(body.error());
               auto internal = boolField(*body, "internal", false, "errors.cases.bad_internal");
               if (!internal) return http::jsonError(internal.error());
               auto template_id = idField(*body, "template_id");
               if (!template_id) return http::jsonError(template_id.error());
               std::string text;
               if (*template_id) {
                 if (body->contains("body")) {
                   return http::jsonError(
                       Error::invalid("errors.templates.body_or_template", "template_id"));
                 }
                 auto filled = templates.reply(*c.principal, **template_id, caseParam(r));
                 if (!filled) return http::jsonError(filled.error());
                 text = std::move(*filled);
               } else {
                 auto given = directory::textField(*body, "body", true, kMaxText, "", true);
                 if (!given) return http::jsonError(given.error());
                 text = std::move(*given);
               }
               auto done = cases.comment(*c.principal, caseParam(r), text, *internal);
               if (!done) return http::jsonError(done.error());
               return Response::json(201, commentedToJson(*done).dump());
             });
  routes.api(
      "POST", "/api/v1/cases/{id}/attachments", Access::SignedIn,
      [&cases](Request& r, Context& c) {
        auto upload = parseAttachment(r);
        if (!upload) return http::jsonError(upload.error());
        auto done = cases.attach(*c.principal, caseParam(r), upload->file, upload->internal);
        if (!done) return http::jsonError(done.error());
        return Response::json(201, attachmentToJson(*done).dump());
      },
      http::Execution::Worker, kUploadBodyLimit);
  routes.api(
      "GET", "/api/v1/cases/{id}/attachments/{attachment_id}", Access::SignedIn,
      [&cases](Request& r, Context& c) {
        auto done = cases.download(*c.principal, caseParam(r), r.idParam("attachment_id"));
        if (!done) return http::jsonError(done.error());
        return attachmentDownload(r, *done);
      },
      http::Execution::Worker);
}

}  // namespace portico::cases
