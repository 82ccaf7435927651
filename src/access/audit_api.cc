#include "access/audit_api.h"

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "http/error_response.h"

namespace portico::access {
namespace {

using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

struct Filter {
  std::string event;
  std::int64_t since = 0;
  std::int64_t until = INT64_MAX;
  std::int64_t before_id = 0;
  int limit = 50;
};

core::Result<Filter> parseFilter(const Request& r, int max_limit) {
  auto q = r.query();
  if (!q) return core::fail(core::Error::invalid("errors.access.bad_query"));
  Filter f;
  auto number = [&](const char* name, std::int64_t& out, std::int64_t lo,
                    std::int64_t hi) -> core::Status {
    auto v = http::findParam(*q, name);
    if (!v) return {};
    char* end = nullptr;
    long long n = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || !end || *end != '\0' || n < lo || n > hi) {
      return core::fail(core::Error::invalid("errors.access.number_out_of_range", name)
                            .with("field", name)
                            .with("min", std::to_string(lo))
                            .with("max", std::to_string(hi)));
    }
    out = n;
    return {};
  };
  std::int64_t limit = f.limit;
  for (auto s :
       {number("since", f.since, 0, INT64_MAX), number("until", f.until, 0, INT64_MAX),
        number("cursor", f.before_id, 1, INT64_MAX), number("limit", limit, 1, max_limit)}) {
    if (!s) return core::fail(s.error());
  }
  f.limit = static_cast<int>(limit);
  if (auto e = http::findParam(*q, "event")) {
    if (e->size() > 100)
      return core::fail(
          core::Error::invalid("errors.access.event_too_long", "event").with("max", "100"));
    f.event = *e;
  }
  return f;
}

}  // namespace

std::vector<AuditRow> auditRows(const std::vector<audit::Record>& records,
                                identity::IdentityRepository& users) {
  std::map<std::int64_t, std::string> emails;
  auto email = [&](const std::optional<std::int64_t>& id) -> std::string {
    if (!id) return "";
    auto it = emails.find(*id);
    if (it == emails.end()) {
      auto u = users.findUser(core::UserId{*id});
      it = emails.emplace(*id, u ? u->email : "").first;
    }
    return it->second;
  };
  std::vector<AuditRow> out;
  out.reserve(records.size());
  for (const auto& r : records) {
    out.push_back({r, core::rfc3339(r.at), email(r.actor_user_id), email(r.subject_user_id)});
  }
  return out;
}

std::string csvCell(const std::string& value) {
  std::string v = value;
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v = "'" + v;
  }
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

Response auditPage(std::vector<audit::Record> records, int limit,
                   identity::IdentityRepository& users) {
  bool more = static_cast<int>(records.size()) > limit;
  if (more) records.pop_back();
  json items = json::array();
  for (const auto& row : auditRows(records, users)) {
    const auto& rec = row.record;
    items.push_back({{"id", rec.id},
                     {"at", row.at},
                     {"event", rec.event},
                     {"actor", rec.actor_user_id ? json(row.actor) : json(nullptr)},
                     {"subject", rec.subject_user_id ? json(row.subject) : json(nullptr)},
                     {"company_id", rec.company_id ? json(*rec.company_id) : json(nullptr)},
                     {"ip", rec.ip},
                     {"detail", json::parse(rec.detail_json, nullptr, false)}});
  }
  json next = more ? json(std::to_string(records.back().id)) : json(nullptr);
  return Response::json(200, json{{"items", items}, {"next_cursor", next}}.dump());
}

Response auditCsv(const std::vector<audit::Record>& records, identity::IdentityRepository& users,
                  const std::string& filename) {
  std::string csv = "time,event,actor,subject,company,ip,detail\r\n";
  for (const auto& row : auditRows(records, users)) {
    const auto& rec = row.record;
    csv += csvCell(row.at) + "," + csvCell(rec.event) + "," + csvCell(row.actor) + "," +
           csvCell(row.subject) + "," +
           csvCell(rec.company_id ? std::to_string(*rec.company_id) : "") + "," + csvCell(rec.ip) +
           "," + csvCell(rec.detail_json) + "\r\n";
  }
  Response res{200, {{"Content-Type", "text/csv; charset=utf-8"}}, std::move(csv), {}, {}};
  res.setHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return res;
}

// For CSV exports: without ?limit= everything up to 10,000 rows.
void csvLimit(const Request& r, Filter& f) {
  if (!r.query() || !http::findParam(*r.query(), "limit")) f.limit = 10000;
}

// The organization audit's extra filters: ?company= (id) and ?actor= (e-mail).
core::Status orgFilters(const Request& r, identity::IdentityRepository& users,
                        std::optional<core::CompanyId>& company, std::optional<core::UserId>& actor,
                        bool& nobody) {
  auto q = r.query();
  if (!q) return core::fail(core::Error::invalid("errors.access.bad_query"));
  if (auto c = http::findParam(*q, "company"); c && !c->empty()) {
    char* end = nullptr;
    long long v = std::strtoll(c->c_str(), &end, 10);
    if (!end || *end != '\0' || v <= 0) {
      return core::fail(core::Error::invalid("errors.access.bad_company_id", "company"));
    }
    company = core::CompanyId{v};
  }
  if (auto a = http::findParam(*q, "actor"); a && !a->empty()) {
    auto u = users.findUserByEmail(core::asciiLower(*a));
    if (u) {
      actor = u->id;
    } else {
      nobody = true;  // no such login: no events
    }
  }
  return {};
}

}  // namespace

core::Result<Response> companyAuditCsv(const Request& r, core::UserId caller,
                                       const CompanyAccess& a, audit::AuditLog& audit,
                                       identity::IdentityRepository& users,
                                       identity::Throttle& throttle) {
  auto f = parseFilter(r, 10000);
  if (!f) return core::fail(f.error());
  if (auto ok = throttle.takeNow(throttle.heavyExport(caller)); !ok) return core::fail(ok.error());
  csvLimit(r, *f);
  return auditCsv(
      audit.forCompany(a.company.id, f->event, f->since, f->until, f->before_id, f->limit), users,
      "audit-company-" + std::to_string(a.company.id.value) + ".csv");
}

core::Result<Response> orgAuditCsv(const Request& r, core::UserId caller, const StaffRole& staff,
                                   audit::AuditLog& audit, identity::IdentityRepository& users,
                                   identity::Throttle& throttle) {
  auto f = parseFilter(r, 10000);
  if (!f) return core::fail(f.error());
  csvLimit(r, *f);
  std::optional<core::CompanyId> company;
  std::optional<core::UserId> actor;
  bool nobody = false;
  if (auto s = orgFilters(r, users, company, actor, nobody); !s) return core::fail(s.error());
  if (auto ok = throttle.takeNow(throttle.heavyExport(caller)); !ok) return core::fail(ok.error());
  std::vector<audit::Record> records;
  if (!nobody) {
    records = audit.forOrg(staff.org_id, company, actor, f->event, f->since, f->until, f->before_id,
                           f->limit);
  }
  return auditCsv(records, users, "audit.csv");
}

void registerCompanyAuditApi(CompanyRoutes& routes, audit::AuditLog& audit,
                             identity::IdentityRepository& users, identity::Throttle& throttle) {
  routes.api("GET", "/api/v1/companies/{id}/audit", Permission::UsersManage,
             [&audit, &users](Request& r, Context&, const CompanyAccess& a) {
               auto f = parseFilter(r, 200);
               if (!f) return http::jsonError(f.error());
               return auditPage(audit.forCompany(a.company.id, f->event, f->since, f->until,
                                                 f->before_id, f->limit + 1),
                                f->limit, users);
             });
  routes.api("GET", "/api/v1/companies/{id}/audit.csv", Permission::UsersManage,
             [&audit, &users, &throttle](Request& r, Context& c, const CompanyAccess& a) {
               auto csv = companyAuditCsv(r, c.principal->user.id, a, audit, users, throttle);
               return csv ? std::move(*csv) : http::jsonError(csv.error());
             });
}

void registerOrgAuditApi(StaffRoutes& routes, audit::AuditLog& audit,
                         identity::IdentityRepository& users, identity::Throttle& throttle) {
  routes.api("GET", "/api/v1/staff/audit", StaffCapability::Audit,
             [&audit, &users](Request& r, Context&, const StaffRole& staff) {
               auto f = parseFilter(r, 200);
               if (!f) return http::jsonError(f.error());
               std::optional<core::CompanyId> company;
               std::optional<core::UserId> actor;
               bool nobody = false;
               if (auto s = orgFilters(r, users, company, actor, nobody); !s) {
                 return http::jsonError(s.error());
               }
               std::vector<audit::Record> records;
               if (!nobody) {
                 records = audit.forOrg(staff.org_id, company, actor, f->event, f->since, f->until,
                                        f->before_id, f->limit + 1);
               }
               return auditPage(std::move(records), f->limit, users);
             });
  routes.api("GET", "/api/v1/staff/audit.csv", StaffCapability::Audit,
             [&audit, &users, &throttle](Request& r, Context& c, const StaffRole& staff) {
               auto csv = orgAuditCsv(r, c.principal->user.id, staff, audit, users, throttle);
               return csv ? std::move(*csv) : http::jsonError(csv.error());
             });
}

}  // namespace portico::access
