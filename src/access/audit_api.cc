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
  if (!q) return core::fail(core::Error::invalid("The query string is malformed"));
  Filter f;
  auto number = [&](const char* name, std::int64_t& out, std::int64_t lo,
                    std::int64_t hi) -> core::Status {
    auto v = http::findParam(*q, name);
    if (!v) return {};
    char* end = nullptr;
    long long n = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || !end || *end != '\0' || n < lo || n > hi) {
      return core::fail(core::Error::invalid("'" + std::string(name) + "' must be a number from " +
                                                 std::to_string(lo) + " to " + std::to_string(hi),
                                             name));
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
    if (e->size() > 100) return core::fail(core::Error::invalid("'event' is too long", "event"));
    f.event = *e;
  }
  return f;
}

std::string isoTime(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// E-mails of the users named in the records, looked up once each.
std::map<std::int64_t, std::string> emailsOf(const std::vector<audit::Record>& records,
                                             identity::IdentityRepository& users) {
  std::map<std::int64_t, std::string> out;
  for (const auto& r : records) {
    for (auto id : {r.actor_user_id, r.subject_user_id}) {
      if (id && !out.count(*id)) {
        auto u = users.findUser(core::UserId{*id});
        out[*id] = u ? u->email : "";
      }
    }
  }
  return out;
}

}  // namespace

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
  auto emails = emailsOf(records, users);
  json items = json::array();
  for (const auto& rec : records) {
    items.push_back(
        {{"id", rec.id},
         {"at", isoTime(rec.at)},
         {"event", rec.event},
         {"actor", rec.actor_user_id ? json(emails[*rec.actor_user_id]) : json(nullptr)},
         {"subject", rec.subject_user_id ? json(emails[*rec.subject_user_id]) : json(nullptr)},
         {"company_id", rec.company_id ? json(*rec.company_id) : json(nullptr)},
         {"ip", rec.ip},
         {"detail", json::parse(rec.detail_json, nullptr, false)}});
  }
  json next = more ? json(std::to_string(records.back().id)) : json(nullptr);
  return Response::json(200, json{{"items", items}, {"next_cursor", next}}.dump());
}

Response auditCsv(const std::vector<audit::Record>& records, identity::IdentityRepository& users,
                  const std::string& filename) {
  auto emails = emailsOf(records, users);
  std::string csv = "time,event,actor,subject,company,ip,detail\r\n";
  for (const auto& rec : records) {
    csv += csvCell(isoTime(rec.at)) + "," + csvCell(rec.event) + "," +
           csvCell(rec.actor_user_id ? emails[*rec.actor_user_id] : "") + "," +
           csvCell(rec.subject_user_id ? emails[*rec.subject_user_id] : "") + "," +
           csvCell(rec.company_id ? std::to_string(*rec.company_id) : "") + "," + csvCell(rec.ip) +
           "," + csvCell(rec.detail_json) + "\r\n";
  }
  Response res{200, {{"Content-Type", "text/csv; charset=utf-8"}}, std::move(csv)};
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
  if (!q) return core::fail(core::Error::invalid("The query string is malformed"));
  if (auto c = http::findParam(*q, "company"); c && !c->empty()) {
    char* end = nullptr;
    long long v = std::strtoll(c->c_str(), &end, 10);
    if (!end || *end != '\0' || v <= 0) {
      return core::fail(core::Error::invalid("'company' must be a company id", "company"));
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

void registerCompanyAuditApi(CompanyRoutes& routes, audit::AuditLog& audit,
                             identity::IdentityRepository& users) {
  routes.api("GET", "/api/v1/companies/{id}/audit", Permission::UsersManage,
             [&audit, &users](Request& r, Context&, const CompanyAccess& a) {
               auto f = parseFilter(r, 200);
               if (!f) return http::jsonError(f.error());
               return auditPage(audit.forCompany(a.company.id, f->event, f->since, f->until,
                                                 f->before_id, f->limit + 1),
                                f->limit, users);
             });
  routes.api(
      "GET", "/api/v1/companies/{id}/audit.csv", Permission::UsersManage,
      [&audit, &users](Request& r, Context&, const CompanyAccess& a) {
        auto f = parseFilter(r, 10000);
        if (!f) return http::jsonError(f.error());
        csvLimit(r, *f);
        return auditCsv(
            audit.forCompany(a.company.id, f->event, f->since, f->until, f->before_id, f->limit),
            users, "audit-company-" + std::to_string(a.company.id.value) + ".csv");
      });
}

void registerOrgAuditApi(StaffRoutes& routes, audit::AuditLog& audit,
                         identity::IdentityRepository& users) {
  for (bool csv : {false, true}) {
    routes.api("GET", csv ? "/api/v1/staff/audit.csv" : "/api/v1/staff/audit",
               StaffCapability::Audit,
               [&audit, &users, csv](Request& r, Context&, const StaffRole& staff) {
                 auto f = parseFilter(r, csv ? 10000 : 200);
                 if (!f) return http::jsonError(f.error());
                 if (csv) csvLimit(r, *f);
                 std::optional<core::CompanyId> company;
                 std::optional<core::UserId> actor;
                 bool nobody = false;
                 if (auto s = orgFilters(r, users, company, actor, nobody); !s) {
                   return http::jsonError(s.error());
                 }
                 std::vector<audit::Record> records;
                 if (!nobody) {
                   records = audit.forOrg(staff.org_id, company, actor, f->event, f->since,
                                          f->until, f->before_id, csv ? f->limit : f->limit + 1);
                 }
                 if (csv) return auditCsv(records, users, "audit.csv");
                 return auditPage(std::move(records), f->limit, users);
               });
  }
}

}  // namespace portico::access
