#include "modules/devices/device_pages.h"

#include <nlohmann/json.hpp>

#include "access/access_pages.h"
#include "core/qr.h"
#include "core/text.h"
#include "http/error_response.h"
#include "http/url.h"
#include "modules/devices/device_routes.h"

namespace portico::devices {
namespace {

using access::formField;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;
using nlohmann::json;

constexpr int kPageSize = 25;

json orNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json orNull(const std::optional<std::string>& s) { return s ? orNull(*s) : json(nullptr); }

class Pages {
 public:
  Pages(access::Policy& policy, DeviceService& service, const web::Views& views,
        std::string public_url)
      : service_(service), pages_(views, policy), public_url_(std::move(public_url)) {
    while (public_url_.ends_with('/')) public_url_.pop_back();
  }

  void registerAll(identity::GuardedRoutes& routes) {
    routes.page("GET", "/devices", Access::SignedIn,
                [this](Request& r, Context& c) { return list(r, c); });
    routes.page(
        "GET", "/devices/labels.pdf", Access::SignedIn,
        [this](Request& r, Context& c) {
          auto pdf = labelsDownload(r, c, service_, public_url_);
          if (!pdf) return pages_.error(c, pdf.error());
          return std::move(*pdf);
        },
        http::Execution::Worker);
    routes.page("GET", "/devices/{id}", Access::SignedIn,
                [this](Request& r, Context& c) { return show(r, c, "", 200); });
    routes.page("POST", "/devices/{id}", Access::SignedIn,
                [this](Request& r, Context& c) { return change(r, c); });
    routes.page("POST", "/devices/{id}/code", Access::SignedIn,
                [this](Request& r, Context& c) { return rotate(r, c); });
    routes.page("GET", "/d/{code}", Access::SignedIn, [this](Request& r, Context& c) {
      auto seen = service_.findByCode(*c.principal, r.param("code"));
      if (!seen) return pages_.error(c, seen.error());
      return Response::redirect("/devices/" + std::to_string(seen->device.id.value));
    });
  }

 private:
  std::string statusLabel(const Context& c, Status s) const {
    return pages_.translate(c, "devices.status." + std::string(statusName(s)));
  }

  Response list(const Request& r, const Context& c) const {
    auto f = parseFilter(r);
    if (!f) return pages_.error(c, f.error());
    f->limit = kPageSize;
    auto page = service_.list(*c.principal, *f);
    if (!page) return pages_.error(c, page.error());
    std::string query;  // the filters, for the pager
    auto add = [&query](const std::string& name, const std::string& value) {
      if (!value.empty())
        query += (query.empty() ? "" : "&") + name + "=" + http::percentEncode(value);
    };
    if (f->company) add("company_id", std::to_string(f->company->value));
    if (f->site_id) add("site_id", std::to_string(*f->site_id));
    if (f->status) add("status", std::string(statusName(*f->status)));
    add("q", f->query);
    json statuses = json::array();
    statuses.push_back({{"value", ""},
                        {"label", pages_.translate(c, "devices.all_statuses")},
                        {"selected", !f->status}});
    for (auto s : kStatuses) {
      statuses.push_back({{"value", std::string(statusName(s))},
                          {"label", statusLabel(c, s)},
                          {"selected", f->status == s}});
    }
    json companies = json::array();
    auto readable = service_.companies(*c.principal);
    if (readable.size() > 1) {
      companies.push_back({{"value", ""},
                           {"label", pages_.translate(c, "devices.all_companies")},
                           {"selected", !f->company}});
      for (const auto& [id, name] : readable) {
        companies.push_back(
            {{"value", id}, {"label", name}, {"selected", f->company && f->company->value == id}});
      }
    }
    json rows = json::array();
    for (const auto& d : page->items) {
      rows.push_back({{"href", "/devices/" + std::to_string(d.id.value)},
                      {"name", d.name},
                      {"serial", d.serial},
                      {"model", orNull(d.model)},
                      {"company", d.company_name},
                      {"site", orNull(d.site_name)},
                      {"status", statusLabel(c, d.status)},
                      {"needs_attention", d.status != Status::Ok},
                      {"next_service", orNull(d.next_service)}});
    }
    // Printing labels: the companies where the caller manages devices (staff: the one filtered).
    json label_companies = json::array();
    auto printable = service_.labelCompanies(*c.principal);
    if (printable.empty() && f->company) {
      if (auto name = service_.mayPrintLabels(*c.principal, *f->company)) {
        printable.emplace_back(f->company->value, *name);
      }
    }
    for (const auto& [id, name] : printable) {
      label_companies.push_back(
          {{"value", id}, {"label", name}, {"selected", f->company && f->company->value == id}});
    }
    json data = {{"title", pages_.translate(c, "devices.title")},
                 {"label_companies", label_companies},
                 {"may_print", !label_companies.empty()},
                 {"statuses", statuses},
                 {"companies", companies},
                 {"has_companies", !companies.empty()},
                 {"q", f->query},
                 {"rows", rows},
                 {"has_rows", !rows.empty()},
                 {"filtered", !query.empty()}};
    if (page->next) {
      data["more_link"] = "/devices?" + (query.empty() ? "" : query + "&") +
                          "cursor=" + http::percentEncode(cursorText(*page->next));
    }
    return pages_.render(c, "devices", std::move(data));
  }

  Response show(const Request& r, const Context& c, const std::string& error, int status) const {
    auto seen = service_.find(*c.principal, core::DeviceId{r.idParam("id")});
    if (!seen) return pages_.error(c, seen.error());
    const auto& d = seen->device;
    auto id = std::to_string(d.id.value);
    json properties = json::array();
    for (const auto& [k, v] : d.properties) properties.push_back({{"key", k}, {"value", v}});
    json sites = json::array();
    auto chosen_site = formField(c, "site_id");
    if (chosen_site.empty() && d.site_id) chosen_site = std::to_string(*d.site_id);
    for (const auto& [site, name] : seen->sites) {
      sites.push_back(
          {{"id", site}, {"name", name}, {"selected", chosen_site == std::to_string(site)}});
    }
    auto name = formField(c, "name");
    json data = {
        {"title", d.name},
        {"id", id},
        {"name", d.name},
        {"serial", d.serial},
        {"model", orNull(d.model)},
        {"company", d.company_name},
        {"site", orNull(d.site_name)},
        {"status", statusLabel(c, d.status)},
        {"needs_attention", d.status != Status::Ok},
        {"last_service", orNull(d.last_service)},
        {"next_service", orNull(d.next_service)},
        {"properties", properties},
        {"has_properties", !properties.empty()},
        {"code", groupedCode(d.code)},
        {"scan_path", "/d/" + d.code},
        // Inline, so that it prints with the page; the image's text alternative is the code.
        {"qr_svg",
         core::qrSvg(public_url_ + "/d/" + d.code,
                     pages_.text(c, {"devices.qr_label", {{"code", groupedCode(d.code)}}}))},
        {"cases_link", "/cases?device_id=" + id},
        {"jobs_link", "/jobs?device_id=" + id},
        {"open_case_link",
         seen->may_open_case ? json("/cases/new?company_id=" + std::to_string(d.company_id.value) +
                                    "&device_id=" + id)
                             : json(nullptr)},
        {"may_manage", seen->may_manage},
        {"may_rotate", seen->may_rotate},
        {"form_name", name.empty() ? d.name : name},
        {"sites", sites},
        {"has_sites", !sites.empty()},
        {"may_unplace", seen->may_unplace},
        {"unplaced", !d.site_id}};
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "device", std::move(data), status);
  }

  Response change(const Request& r, Context& c) const {
    core::DeviceId id{r.idParam("id")};
    Change change;
    change.name = formField(c, "name");
    auto site = formField(c, "site_id");
    if (site == "none") {
      change.site_id = 0;
    } else if (!site.empty()) {
      auto n = core::positiveNumber(site, INT64_MAX);
      if (!n) {
        return show(r, c, pages_.message(c, core::Error::invalid("errors.devices.bad_site")), 400);
      }
      change.site_id = *n;
    }
    auto done = service_.update(*c.principal, id, change, identity::auditActor(c));
    if (!done) {
      if (done.error().code == core::ErrorCode::NotFound ||
          done.error().code == core::ErrorCode::Forbidden) {
        return pages_.error(c, done.error());
      }
      return show(r, c, pages_.message(c, done.error()), http::statusFor(done.error().code));
    }
    c.next_notice = core::Message{"notices.devices.saved", {{"name", done->device.name}}};
    return Response::redirect("/devices/" + std::to_string(id.value));
  }

  Response rotate(const Request& r, Context& c) const {
    core::DeviceId id{r.idParam("id")};
    auto seen = service_.find(*c.principal, id);
    if (!seen) return pages_.error(c, seen.error());
    if (!access::confirmed(c)) {
      return pages_.confirm(c, {{"confirm.rotate_device_code.heading", {}},
                                {"confirm.rotate_device_code.question",
                                 {{"name", seen->device.name}, {"serial", seen->device.serial}}},
                                {"confirm.rotate_device_code.button", {}},
                                r.path,
                                "/devices/" + std::to_string(id.value),
                                {}});
    }
    auto done = service_.rotateCode(*c.principal, id, identity::auditActor(c));
    if (!done) return pages_.error(c, done.error());
    c.next_notice = core::Message{"notices.devices.code_rotated", {{"name", done->device.name}}};
    return Response::redirect("/devices/" + std::to_string(id.value));
  }

  DeviceService& service_;
  access::PageRenderer pages_;
  std::string public_url_;  // what a label's QR code opens: <public URL>/d/<code>
};

}  // namespace

std::shared_ptr<void> registerDevicePages(identity::GuardedRoutes& routes, access::Policy& policy,
                                          DeviceService& service, const web::Views& views,
                                          const std::string& public_url) {
  auto pages = std::make_shared<Pages>(policy, service, views, public_url);
  pages->registerAll(routes);
  return pages;
}

}  // namespace portico::devices
