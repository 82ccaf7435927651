#include "modules/cases/case_pages.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "core/text.h"
#include "directory/directory_fields.h"
#include "http/multipart.h"
#include "modules/cases/case_routes.h"
#include "modules/cases/case_templates/template_pages.h"
#include "modules/cases/support_settings/service_level.h"

namespace portico::cases {
namespace {

using access::formField;
using access::queryField;
using core::Error;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kPageSize = 25;

// "834 B", "12.5 kB", "3.2 MB".
std::string sizeText(std::int64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " B";
  const char* unit = bytes < 1000 * 1000 ? "kB" : "MB";
  double n = static_cast<double>(bytes) / (bytes < 1000 * 1000 ? 1e3 : 1e6);
  char out[32];
  std::snprintf(out, sizeof out, "%.1f %s", n, unit);
  return out;
}

// The files a page's form sent under the name "file".
std::vector<Upload> uploads(const Context& c) {
  std::vector<Upload> out;
  for (const auto& part : c.files) {
    if (part.name == "file" && part.filename) out.push_back({*part.filename, part.data});
  }
  return out;
}

std::string personName(const std::optional<Person>& p) { return p ? displayName(*p) : ""; }

class Pages {
 public:
  Pages(access::Policy& policy, CaseService& cases, TemplateService& templates,
        const web::Views& views)
      : cases_(cases), templates_(templates), pages_(views, policy) {}

  void registerAll(identity::GuardedRoutes& routes) {
    routes.page("GET", "/cases", Access::SignedIn,
                [this](Request& r, Context& c) { return list(r, c); });
    routes.page("GET", "/cases/new", Access::SignedIn,
                [this](Request& r, Context& c) { return startForm(r, c); });
    routes.page(
        "POST", "/cases/new", Access::SignedIn, [this](Request&, Context& c) { return create(c); },
        http::Execution::Worker, kUploadBodyLimit);
    routes.page("GET", "/cases/{id}", Access::SignedIn,
                [this](Request& r, Context& c) { return show(r, c, "", 200); });
    routes.page(
        "POST", "/cases/{id}/comments", Access::SignedIn,
        [this](Request& r, Context& c) { return comment(r, c); }, http::Execution::Worker,
        kUploadBodyLimit);
    routes.page(
        "GET", "/cases/{id}/attachments/{attachment_id}", Access::SignedIn,
        [this](Request& r, Context& c) { return download(r, c); }, http::Execution::Worker);
    routes.page("POST", "/cases/{id}", Access::SignedIn,
                [this](Request& r, Context& c) { return update(r, c); });
    routes.page("POST", "/cases/{id}/rating", Access::SignedIn,
                [this](Request& r, Context& c) { return rate(r, c); });
  }

 private:
  std::string statusLabel(const Context& c, Status s) const {
    return pages_.translate(c, "cases.status." + std::string(statusName(s)));
  }
  std::string priorityLabel(const Context& c, const std::string& p) const {
    return pages_.translate(c, "cases.priority." + p);
  }
  // How a service-level target stands, in words: "Due 3 Dec 2026, 14:00", "Breached …", …
  std::string targetText(const Context& c, const TargetView& t) const {
    auto key = "cases.sla." + std::string(targetStateName(t.state));
    std::optional<std::int64_t> at;
    if (t.state == TargetState::Breached) at = t.breached_at;
    if (t.state == TargetState::Pending) at = t.due_at;
    if (t.state == TargetState::Met) at = t.done_at;
    if (!at) return pages_.translate(c, key);
    return pages_.text(c, core::Message{key + "_at", {{"time", access::timeText(*at)}}});
  }
  // The target a list shows: the first response until it is done, then the resolution.
  std::string nextTargetText(const Context& c, const ServiceLevel& s) const {
    const auto& f = s.first_response;
    bool first = f.state == TargetState::Breached || f.state == TargetState::Pending ||
                 f.state == TargetState::Paused;
    return targetText(c, first ? f : s.resolution);
  }

  Response list(const Request& r, const Context& c) const {
    CaseFilter f;
    f.limit = kPageSize;
    auto status = queryField(r, "status");
    if (!status.empty()) {
      f.status = parseStatus(status);
      if (!f.status) return pages_.error(c, Error::invalid("errors.cases.bad_status", "status"));
    }
    if (auto v = queryField(r, "company_id"); !v.empty()) {
      auto n = core::positiveNumber(v, INT64_MAX);
      if (!n) return pages_.error(c, Error::notFound("errors.cases.no_such_company"));
      f.company = core::CompanyId{*n};
    }
    f.mine = queryField(r, "mine") == "1";
    bool inbox = cases_.worksInbox(*c.principal);
    if (inbox) f.breached = queryField(r, "breached") == "1";
    auto q = queryField(r, "q");
    f.query = std::string(core::trim(q));
    if (auto v = queryField(r, "sort"); !v.empty()) {
      f.sort = parseSort(v).value_or(Sort::Newest);
      if (f.sort == Sort::Due && !inbox) f.sort = Sort::Newest;
    }
    if (auto v = queryField(r, "cursor"); !v.empty()) f.after = parseCursor(f.sort, v);
    auto page = cases_.list(*c.principal, f);
    if (!page) return pages_.error(c, page.error());
    std::string query;  // the filters, for the pager and the status links
    if (f.company) query += "&company_id=" + std::to_string(f.company->value);
    if (f.mine) query += "&mine=1";
    if (f.breached) query += "&breached=1";
    if (!f.query.empty()) query += "&q=" + http::percentEncode(f.query);
    if (f.sort != Sort::Newest) query += "&sort=" + std::string(sortName(f.sort));
    json counts = json::array();
    counts.push_back({{"label", pages_.translate(c, "cases.all_statuses")},
                      {"href", "/cases?" + query.substr(query.empty() ? 0 : 1)},
                      {"current", !f.status}});
    for (const auto& [s, n] : page->counts) {
      counts.push_back({{"label", statusLabel(c, s) + " (" + std::to_string(n) + ")"},
                        {"href", "/cases?status=" + std::string(statusName(s)) + query},
                        {"current", f.status == s}});
    }
    json rows = json::array();
    for (const auto& item : page->items) {
      rows.push_back(
          {{"href", "/cases/" + std::to_string(item.id.value)},
           {"number", caseNumberText(item.number)},
           {"subject", item.subject},
           {"company", item.company_name},
           {"status", statusLabel(c, item.status)},
           {"priority", priorityLabel(c, item.priority)},
           {"urgent", item.priority == "urgent" || item.priority == "high"},
           {"sla", item.service_level ? nextTargetText(c, *item.service_level) : ""},
           {"breached", item.service_level &&
                            (item.service_level->first_response.state == TargetState::Breached ||
                             item.service_level->resolution.state == TargetState::Breached)},
           {"updated", access::timeText(item.updated_at)}});
    }
    json sorts = json::array();
    for (auto s : kSorts) {
      if (s == Sort::Due && !inbox) continue;
      sorts.push_back({{"id", std::string(sortName(s))},
                       {"label", pages_.translate(c, "cases.sort." + std::string(sortName(s)))},
                       {"selected", s == f.sort}});
    }
    json data = {{"rows", rows},
                 {"has_rows", !rows.empty()},
                 {"counts", counts},
                 {"mine", f.mine},
                 {"inbox", inbox},
                 {"breached", f.breached},
                 {"q", f.query},
                 {"searched", !f.query.empty()},
                 {"sorts", sorts},
                 {"status", status},
                 {"may_open", cases_.mayOpen(*c.principal)},
                 {"templates_link", templates_.available(*c.principal)}};
    if (f.company) data["company_id"] = f.company->value;
    if (page->next_cursor) {
      std::string next = "/cases?cursor=" + http::percentEncode(*page->next_cursor) + query;
      if (f.status) next += "&status=" + status;
      data["older_link"] = next;
    }
    return pages_.render(c, "cases", std::move(data));
  }

  // The form to open a case, with what was posted (`posted`) and an error, if any.
  Response form(const Context& c, const json& posted, const std::string& error, int status) const {
    std::optional<core::CompanyId> for_company;
    if (auto id = core::positiveNumber(posted.value("company_id", std::string()), INT64_MAX)) {
      for_company = core::CompanyId{*id};
    }
    auto openable = cases_.openable(*c.principal, for_company);
    if (openable.empty()) return pages_.error(c, Error::forbidden("errors.cases.may_not_open"));
    auto chosen = [&](const char* key) { return posted.value(key, std::string()); };
    json companies = json::array();
    json sites = json::array();
    for (const auto& o : openable) {
      auto id = std::to_string(o.access.company.id.value);
      companies.push_back(
          {{"id", id}, {"name", o.access.company.name}, {"selected", chosen("company_id") == id}});
      for (const auto& [site, name] : o.sites) {
        auto sid = std::to_string(site);
        sites.push_back({{"id", sid},
                         {"name", o.access.company.name + " — " + name},
                         {"selected", chosen("site_id") == sid}});
      }
    }
    json priorities = json::array();
    auto priority = chosen("priority").empty() ? std::string("normal") : chosen("priority");
    for (auto p : kPriorities) {
      priorities.push_back({{"id", std::string(p)},
                            {"label", priorityLabel(c, std::string(p))},
                            {"selected", priority == p}});
    }
    json categories = json::array();
    for (const auto& [id, name] : cases_.categories(*c.principal)) {
      auto cid = std::to_string(id);
      categories.push_back(
          {{"id", cid}, {"name", name}, {"selected", chosen("category_id") == cid}});
    }
    json case_templates = json::array();
    if (auto list = templates_.list(*c.principal, TemplateKind::Case)) {
      for (const auto& t : *list) {
        case_templates.push_back({{"id", t.id},
                                  {"name", t.name},
                                  {"selected", chosen("template") == std::to_string(t.id)}});
      }
    }
    json data = {{"companies", companies},
                 {"one_company", companies.size() == 1},
                 {"categories", categories},
                 {"has_categories", !categories.empty()},
                 {"case_templates", case_templates},
                 {"has_case_templates", !case_templates.empty()},
                 {"sites", sites},
                 {"has_sites", !sites.empty()},
                 {"priorities", priorities},
                 {"subject", chosen("subject")},
                 {"description", chosen("description")},
                 {"title", pages_.translate(c, "cases.open_case")}};
    if (companies.size() == 1) data["company"] = companies[0];
    // A case about a device (from its page): the device's company, the device named.
    auto device = core::positiveNumber(chosen("device_id"), INT64_MAX);
    if (device && for_company) {
      if (auto name = cases_.deviceName(*c.principal, *for_company, *device)) {
        data["device"] = {{"id", std::to_string(*device)}, {"name", *name}};
        for (auto& company : data["companies"]) {
          if (company["selected"].get<bool>()) data["company"] = company;
        }
        data["one_company"] = data.contains("company");
      }
    }
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "case_new", std::move(data), status);
  }

  // The new-case form, for staff filled from case template `template` if one is asked for.
  Response startForm(const Request& r, const Context& c) const {
    json posted = {{"company_id", queryField(r, "company_id")},
                   {"device_id", queryField(r, "device_id")}};
    if (auto id = core::positiveNumber(queryField(r, "template"), INT64_MAX)) {
      auto t = templates_.find(*c.principal, *id);
      if (!t || t->kind != TemplateKind::Case) {
        return pages_.error(c, Error::notFound("errors.templates.no_such_template"));
      }
      posted = {{"template", std::to_string(t->id)},
                {"subject", t->subject},
                {"description", t->body},
                {"priority", t->priority.value_or("normal")},
                {"category_id", t->category_id ? std::to_string(*t->category_id) : ""},
                {"company_id", queryField(r, "company_id")},
                {"device_id", queryField(r, "device_id")}};
    }
    return form(c, posted, "", 200);
  }

  Response create(Context& c) const {
    json posted = {
        {"company_id", formField(c, "company_id")},   {"site_id", formField(c, "site_id")},
        {"category_id", formField(c, "category_id")}, {"priority", formField(c, "priority")},
        {"subject", formField(c, "subject")},         {"description", formField(c, "description")},
        {"device_id", formField(c, "device_id")}};
    auto failed = [&](const Error& e) {
      return form(c, posted, pages_.message(c, e), http::statusFor(e.code));
    };
    NewCase nc;
    auto company = core::positiveNumber(formField(c, "company_id"), INT64_MAX);
    if (!company) return failed(Error::invalid("errors.cases.company_required", "company_id"));
    nc.company_id = core::CompanyId{*company};
    if (auto site = formField(c, "site_id"); !site.empty()) {
      nc.site_id = core::positiveNumber(site, INT64_MAX);
      if (!nc.site_id) return failed(Error::invalid("errors.cases.bad_site", "site_id"));
    }
    if (auto device = formField(c, "device_id"); !device.empty()) {
      nc.device_id = core::positiveNumber(device, INT64_MAX);
      if (!nc.device_id) return failed(Error::invalid("errors.cases.bad_device", "device_id"));
    }
    if (auto p = formField(c, "priority"); !p.empty()) nc.priority = p;
    if (auto cat = formField(c, "category_id"); !cat.empty()) {
      nc.category_id = core::positiveNumber(cat, INT64_MAX);
      if (!nc.category_id)
        return failed(Error::invalid("errors.cases.bad_category", "category_id"));
    }
    auto subject = directory::textField(posted, "subject", true, 200);
    if (!subject) return failed(subject.error());
    nc.subject = *subject;
    auto description = directory::textField(posted, "description", true, 20000, "", true);
    if (!description) return failed(description.error());
    nc.description = *description;
    auto opened = cases_.open(*c.principal, nc, uploads(c));
    if (!opened) return failed(opened.error());
    c.next_notice = core::Message{"notices.cases.opened",
                                  {{"number", caseNumberText(opened->detail.item.number)}}};
    return Response::redirect("/cases/" + std::to_string(opened->detail.item.id.value));
  }

  // The case page; `reply_body` is a reply that was posted but refused, to be shown again.
  Response show(const Request& r, const Context& c, const std::string& error, int status,
                const std::string& reply_body = "") const {
    auto seen = cases_.find(*c.principal, core::CaseId{r.idParam("id")});
    if (!seen) return pages_.error(c, seen.error());
    const auto& item = seen->detail.item;
    bool staff = seen->side == Side::Staff;
    // The files of the case itself, and those of each comment.
    auto filesOf = [&](std::optional<std::int64_t> comment) {
      json files = json::array();
      for (const auto& a : seen->detail.attachments) {
        if (a.comment_id != comment || (a.internal && !staff)) continue;
        files.push_back({{"href", "/cases/" + std::to_string(item.id.value) + "/attachments/" +
                                      std::to_string(a.id)},
                         {"name", a.name},
                         {"size", sizeText(a.size)}});
      }
      return files;
    };
    json comments = json::array();
    for (const auto& m : seen->detail.comments) {
      if (m.internal && !staff) continue;
      auto files = filesOf(m.id);
      comments.push_back({{"author", m.author ? personName(m.author) : m.author_name},
                          {"by_staff", m.by_staff},
                          {"internal", m.internal},
                          {"time", access::timeText(m.created_at)},
                          {"body", m.body},
                          {"has_files", !files.empty()},
                          {"files", files}});
    }
    auto case_files = filesOf(std::nullopt);
    json changes = json::array();
    for (const auto& h : seen->detail.changes) {
      auto value = [&](const std::optional<std::string>& v) -> std::string {
        if (!v) return pages_.translate(c, "cases.nobody");
        if (h.field == "status") {
          auto s = parseStatus(*v);
          return s ? statusLabel(c, *s) : *v;
        }
        if (h.field == "priority") return priorityLabel(c, *v);
        return *v;
      };
      changes.push_back(
          {{"field", pages_.translate(c, "cases.field." + h.field)},
           {"from", value(h.old_value)},
           {"to", value(h.new_value)},
           {"by", h.actor ? personName(h.actor) : pages_.translate(c, "cases.system")},
           {"time", access::timeText(h.created_at)}});
    }
    json participants = json::array();
    for (const auto& p : seen->detail.participants) participants.push_back(personName(p));
    json data = {{"id", item.id.value},
                 {"title", caseNumberText(item.number) + " · " + item.subject},
                 {"number", caseNumberText(item.number)},
                 {"subject", item.subject},
                 {"description", item.description},
                 {"company", item.company_name},
                 {"status", statusLabel(c, item.status)},
                 {"priority", priorityLabel(c, item.priority)},
                 {"requester", personName(item.requester)},
                 {"assignee", item.assignee ? json(personName(item.assignee)) : json(false)},
                 {"created", access::timeText(item.created_at)},
                 {"updated", access::timeText(item.updated_at)},
                 {"comments", comments},
                 {"has_comments", !comments.empty()},
                 {"files", case_files},
                 {"has_files", !case_files.empty()},
                 {"changes", changes},
                 {"has_changes", !changes.empty()},
                 {"participants", participants},
                 {"has_participants", !participants.empty()},
                 {"staff", staff},
                 {"may_answer", seen->may_answer},
                 {"closed", item.status == Status::Closed}};
    if (item.service_level) {
      data["sla"] = {{"first_response", targetText(c, item.service_level->first_response)},
                     {"resolution", targetText(c, item.service_level->resolution)}};
    }
    if (item.rating) {
      data["rating"] = {
          {"stars", pages_.text(c, core::Message{"cases.rating.stars",
                                                 {{"stars", std::to_string(item.rating->stars)}}})},
          {"comment", item.rating->comment.empty() ? json(false) : json(item.rating->comment)},
          {"time", access::timeText(item.rating->rated_at)}};
    } else if (!staff && item.requester && item.requester->id == c.principal->user.id &&
               (item.status == Status::Resolved || item.status == Status::Closed)) {
      json stars = json::array();
      for (int n = 5; n >= 1; --n) {
        stars.push_back({{"value", n},
                         {"label", pages_.translate(c, "cases.rating.label_" + std::to_string(n))},
                         {"checked", formField(c, "stars") == std::to_string(n)}});
      }
      data["may_rate"] = {{"choices", stars}, {"comment", formField(c, "rating_comment")}};
    }
    if (item.follows_case_id) {
      data["follows_href"] = "/cases/" + std::to_string(item.follows_case_id->value);
    }
    if (seen->may_answer && !staff) {
      // A customer closes the case, or opens a resolved or waiting one again.
      if (item.status != Status::Closed) data["may_close"] = true;
      if (item.status == Status::Resolved || isWaiting(item.status)) data["may_reopen"] = true;
    }
    if (staff) {
      json statuses = json::array();
      for (auto s : kStatuses) {
        statuses.push_back({{"id", std::string(statusName(s))},
                            {"label", statusLabel(c, s)},
                            {"selected", s == item.status}});
      }
      json priorities = json::array();
      for (auto p : kPriorities) {
        priorities.push_back({{"id", std::string(p)},
                              {"label", priorityLabel(c, std::string(p))},
                              {"selected", item.priority == p}});
      }
      json assignees = json::array();
      for (const auto& p : cases_.assignees(*seen)) {
        assignees.push_back({{"id", p.id.value},
                             {"name", personName(p)},
                             {"selected", item.assignee && item.assignee->id == p.id}});
      }
      json replies = json::array();
      auto chosen = core::positiveNumber(queryField(r, "template"), INT64_MAX);
      if (auto list = templates_.list(*c.principal, TemplateKind::Reply)) {
        for (const auto& t : *list) {
          replies.push_back({{"id", t.id}, {"name", t.name}, {"selected", chosen == t.id}});
        }
      }
      data["reply_templates"] = replies;
      data["has_reply_templates"] = !replies.empty();
      if (chosen && reply_body.empty()) {
        auto filled = templates_.reply(*c.principal, *chosen, item.id);
        if (!filled) return pages_.error(c, filled.error());
        data["reply_body"] = *filled;
      }
      data["statuses"] = statuses;
      data["priorities"] = priorities;
      data["assignees"] = assignees;
      data["unassigned"] = !item.assignee;
    }
    if (!reply_body.empty()) data["reply_body"] = reply_body;
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "case", std::move(data), status);
  }

  Response comment(Request& r, Context& c) const {
    json posted = {{"body", formField(c, "body")}};
    auto body = directory::textField(posted, "body", true, 20000, "", true);
    if (!body) return show(r, c, pages_.message(c, body.error()), 400);
    auto done = cases_.comment(*c.principal, core::CaseId{r.idParam("id")}, *body,
                               formField(c, "internal") == "1", uploads(c));
    if (!done) {
      if (done.error().code == core::ErrorCode::NotFound) return pages_.error(c, done.error());
      return show(r, c, pages_.message(c, done.error()), http::statusFor(done.error().code),
                  formField(c, "body"));
    }
    if (done->opened_number) {
      c.next_notice = core::Message{"notices.cases.followed_up",
                                    {{"number", caseNumberText(*done->opened_number)}}};
    } else {
      c.next_notice = core::Message{
          done->comment.internal ? "notices.cases.noted" : "notices.cases.replied", {}};
    }
    return Response::redirect("/cases/" + std::to_string(done->case_id.value));
  }

  Response rate(const Request& r, Context& c) const {
    auto stars = core::positiveNumber(formField(c, "stars"), 5);
    json posted = {{"comment", formField(c, "rating_comment")}};
    auto comment = directory::textField(posted, "comment", false, kMaxRatingComment, "", true);
    if (!comment) return show(r, c, pages_.message(c, comment.error()), 400);
    auto done = cases_.rate(*c.principal, core::CaseId{r.idParam("id")},
                            stars ? static_cast<int>(*stars) : 0, *comment);
    if (!done) {
      if (done.error().code == core::ErrorCode::NotFound) return pages_.error(c, done.error());
      return show(r, c, pages_.message(c, done.error()), http::statusFor(done.error().code));
    }
    c.next_notice = core::Message{"notices.cases.rated", {}};
    return Response::redirect("/cases/" + std::to_string(done->detail.item.id.value));
  }

  Response download(const Request& r, const Context& c) const {
    auto done =
        cases_.download(*c.principal, core::CaseId{r.idParam("id")}, r.idParam("attachment_id"));
    if (!done) return pages_.error(c, done.error());
    return attachmentDownload(r, *done);
  }

  Response update(Request& r, Context& c) const {
    CaseUpdate u;
    if (auto s = formField(c, "status"); !s.empty()) {
      u.status = parseStatus(s);
      if (!u.status)
        return show(r, c, pages_.message(c, Error::invalid("errors.cases.bad_status")), 400);
    }
    if (auto p = formField(c, "priority"); !p.empty()) u.priority = p;
    if (c.form.size() > 0 && http::findParam(c.form, "assignee_id")) {
      auto a = formField(c, "assignee_id");
      auto n = core::positiveNumber(a, INT64_MAX);
      u.assignee = n ? std::optional<core::UserId>(core::UserId{*n}) : std::nullopt;
    }
    auto done = cases_.update(*c.principal, core::CaseId{r.idParam("id")}, u);
    if (!done) {
      if (done.error().code == core::ErrorCode::NotFound) return pages_.error(c, done.error());
      return show(r, c, pages_.message(c, done.error()), http::statusFor(done.error().code));
    }
    c.next_notice = core::Message{"notices.cases.saved", {}};
    return Response::redirect("/cases/" + std::to_string(done->detail.item.id.value));
  }

  CaseService& cases_;
  TemplateService& templates_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerCasePages(identity::GuardedRoutes& routes, access::Policy& policy,
                                        CaseService& cases, TemplateService& templates,
                                        const web::Views& views) {
  // The templates' literal paths before /cases/{id}.
  auto template_pages = registerTemplatePages(routes, policy, templates, views);
  auto owner = std::make_shared<Pages>(policy, cases, templates, views);
  owner->registerAll(routes);
  return std::make_shared<std::pair<std::shared_ptr<void>, std::shared_ptr<Pages>>>(
      std::move(template_pages), std::move(owner));
}

}  // namespace portico::cases
