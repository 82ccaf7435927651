#include "modules/service_jobs/service_job_pages.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "http/url.h"
#include "modules/service_jobs/service_job_routes.h"

namespace portico::service_jobs {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kPageSize = 25;

json orNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

class Pages {
 public:
  Pages(access::Policy& policy, ServiceJobService& service, const web::Views& views)
      : service_(service), pages_(views, policy) {}

  void registerAll(identity::GuardedRoutes& routes) {
    routes.page("GET", "/jobs", Access::SignedIn,
                [this](Request& r, Context& c) { return list(r, c); });
    routes.page("GET", "/jobs/{id}", Access::SignedIn,
                [this](Request& r, Context& c) { return show(r, c); });
  }

 private:
  std::string statusLabel(const Context& c, Status s) const {
    return pages_.translate(c, "service_jobs.status." + std::string(statusName(s)));
  }
  // "2026-12-01 08:00–10:00 UTC", or both times in full when the window spans days.
  static std::string window(const Job& j) {
    auto from = access::timeText(j.window_start);
    auto to = access::timeText(j.window_end);
    if (from.substr(0, 10) == to.substr(0, 10)) {
      return from.substr(0, from.size() - 4) + "–" + to.substr(11);
    }
    return from + " – " + to;
  }

  Response list(const Request& r, const Context& c) const {
    auto f = parseFilter(r);
    if (!f) return pages_.error(c, f.error());
    f->limit = kPageSize;
    auto page = service_.list(*c.principal, *f);
    if (!page) return pages_.error(c, page.error());
    std::string query;
    auto add = [&query](const std::string& name, const std::string& value) {
      if (!value.empty())
        query += (query.empty() ? "" : "&") + name + "=" + http::percentEncode(value);
    };
    if (f->company) add("company_id", std::to_string(f->company->value));
    if (f->site_id) add("site_id", std::to_string(*f->site_id));
    if (f->device_id) add("device_id", std::to_string(*f->device_id));
    json statuses = json::array();
    statuses.push_back({{"value", ""},
                        {"label", pages_.translate(c, "service_jobs.all_statuses")},
                        {"selected", !f->status}});
    for (auto s : kStatuses) {
      statuses.push_back({{"value", std::string(statusName(s))},
                          {"label", statusLabel(c, s)},
                          {"selected", f->status == s}});
    }
    if (f->status) add("status", std::string(statusName(*f->status)));
    add("q", f->query);
    json keep = json::array();  // the filters the form keeps as they are
    for (auto [name, value] :
         {std::pair{"company_id", f->company ? std::to_string(f->company->value) : ""},
          std::pair{"site_id", f->site_id ? std::to_string(*f->site_id) : ""},
          std::pair{"device_id", f->device_id ? std::to_string(*f->device_id) : ""}}) {
      if (!value.empty()) keep.push_back({{"name", name}, {"value", value}});
    }
    json rows = json::array();
    for (const auto& j : page->items) {
      rows.push_back({{"href", "/jobs/" + std::to_string(j.id.value)},
                      {"number", j.number},
                      {"title", j.title},
                      {"company", j.company_name},
                      {"site", orNull(j.site_name)},
                      {"window", window(j)},
                      {"technician", orNull(j.personnel_name)},
                      {"status", statusLabel(c, j.status)}});
    }
    json data = {{"title", pages_.translate(c, "service_jobs.title")},
                 {"statuses", statuses},
                 {"keep", keep},
                 {"q", f->query},
                 {"rows", rows},
                 {"has_rows", !rows.empty()},
                 {"filtered", !query.empty()}};
    if (page->next) {
      data["more_link"] = "/jobs?" + (query.empty() ? "" : query + "&") +
                          "cursor=" + http::percentEncode(cursorText(*page->next));
    }
    return pages_.render(c, "jobs", std::move(data));
  }

  Response show(const Request& r, const Context& c) const {
    auto seen = service_.find(*c.principal, core::ServiceJobId{r.idParam("id")});
    if (!seen) return pages_.error(c, seen.error());
    const auto& j = seen->job;
    json parts = json::array();
    for (const auto& p : j.parts)
      parts.push_back({{"description", p.description}, {"quantity", p.quantity}});
    json devices = json::array();
    for (auto id : j.device_ids)
      devices.push_back({{"href", "/devices/" + std::to_string(id)}, {"id", id}});
    json data = {
        {"title", j.number + " · " + j.title},
        {"number", j.number},
        {"job_title", j.title},
        {"status", statusLabel(c, j.status)},
        {"company", j.company_name},
        {"site", orNull(j.site_name)},
        {"address", orNull(j.site_address)},
        // Directions: the address in OpenStreetMap's search, which any phone opens.
        {"map_link", j.site_address.empty() ? json(nullptr)
                                            : json("https://www.openstreetmap.org/search?query=" +
                                                   http::percentEncode(j.site_address))},
        {"window", window(j)},
        {"technician", orNull(j.personnel_name)},
        {"description", orNull(j.description)},
        {"case_link", j.case_id ? json("/cases/" + std::to_string(*j.case_id)) : json(nullptr)},
        {"devices", devices},
        {"has_devices", !devices.empty()},
        {"notes", orNull(j.notes)},
        {"minutes", j.minutes_spent > 0 ? json(j.minutes_spent) : json(nullptr)},
        {"parts", parts},
        {"has_parts", !parts.empty()},
        {"signed",
         j.signed_by ? json(pages_.text(c, {"service_jobs.signed_by",
                                            {{"name", *j.signed_by},
                                             {"time", access::timeText(j.signed_at.value_or(0))}}}))
                     : json(nullptr)}};
    return pages_.render(c, "job", std::move(data));
  }

  ServiceJobService& service_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerServiceJobPages(identity::GuardedRoutes& routes,
                                              access::Policy& policy, ServiceJobService& service,
                                              const web::Views& views) {
  auto pages = std::make_shared<Pages>(policy, service, views);
  pages->registerAll(routes);
  return pages;
}

}  // namespace portico::service_jobs
