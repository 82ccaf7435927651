// The staff console's page of the support settings (support_settings_routes.h).
#include <sstream>

#include "access/access_pages.h"
#include "core/text.h"
#include "modules/cases/case_json.h"
#include "modules/cases/support_settings/support_settings_routes.h"

namespace portico::cases {
namespace {

using access::formField;
using access::queryField;
using access::StaffRole;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

constexpr const char* kDayKeys[] = {"monday", "tuesday",  "wednesday", "thursday",
                                    "friday", "saturday", "sunday"};

class Pages {
 public:
  Pages(access::Policy& policy, SupportSettingsService& settings, const web::Views& views)
      : settings_(settings), pages_(views, policy) {}

  void registerAll(access::StaffRoutes& routes) {
    routes.page("GET", "/staff/support-settings", access::StaffCapability::SupportSettings,
                [this](Request& r, Context& c, const StaffRole& s) {
                  return form(c, supportSettingsToJson(settings_.get(s)),
                              queryField(r, "saved") == "1", "", 200);
                });
    routes.page("POST", "/staff/support-settings", access::StaffCapability::SupportSettings,
                [this](Request&, Context& c, const StaffRole& s) { return save(c, s); });
    routes.page(
        "GET", "/staff/case-categories", access::StaffCapability::SupportSettings,
        [this](Request&, Context& c, const StaffRole& s) { return categories(c, s, "", 200); });
    routes.page(
        "POST", "/staff/case-categories", access::StaffCapability::SupportSettings,
        [this](Request&, Context& c, const StaffRole& s) {
          auto done = settings_.addCategory(s, formField(c, "name"), actorOf(c));
          if (!done) return categoryFailed(c, s, done.error());
          c.next_notice = core::Message{"notices.case_categories.added", {{"name", done->name}}};
          return Response::redirect("/staff/case-categories");
        });
    routes.page(
        "POST", "/staff/case-categories/{id}", access::StaffCapability::SupportSettings,
        [this](Request& r, Context& c, const StaffRole& s) {
          auto done =
              settings_.renameCategory(s, r.idParam("id"), formField(c, "name"), actorOf(c));
          if (!done) return categoryFailed(c, s, done.error());
          c.next_notice = core::Message{"notices.case_categories.renamed", {{"name", done->name}}};
          return Response::redirect("/staff/case-categories");
        });
    routes.page("POST", "/staff/case-categories/{id}/delete",
                access::StaffCapability::SupportSettings,
                [this](Request& r, Context& c, const StaffRole& s) { return remove(r, c, s); });
  }

 private:
  // The form holding `v` (the shape of supportSettingsToJson, as saved or as posted).
  Response form(const Context& c, const json& v, bool saved, const std::string& error,
                int status) const {
    json days = json::array();
    for (int d = 1; d <= 7; ++d) {
      bool on = false;
      for (const auto& x : v["work_days"]) on = on || (x.is_number() && x.get<int>() == d);
      days.push_back(
          {{"id", d},
           {"label", pages_.translate(c, std::string("support_settings.day.") + kDayKeys[d - 1])},
           {"checked", on}});
    }
    std::string holidays;
    for (const auto& h : v["holidays"]) {
      holidays += h.value("date", "") + " " + h.value("name", "") + "\n";
    }
    json targets = json::array();
    auto text = [](const json& m) {
      if (m.is_null()) return std::string();
      if (m.is_number()) return std::to_string(m.get<std::int64_t>());
      return m.is_string() ? m.get<std::string>() : std::string();
    };
    for (auto p : kPriorities) {
      const auto& t = v["targets"].contains(p) ? v["targets"][std::string(p)] : json::object();
      targets.push_back({{"id", std::string(p)},
                         {"label", pages_.translate(c, "cases.priority." + std::string(p))},
                         {"first", text(t.value("first_response_minutes", json()))},
                         {"resolution", text(t.value("resolution_minutes", json()))}});
    }
    json data = {{"time_zone", v.value("time_zone", "")},
                 {"days", days},
                 {"day_start", v.value("day_start", "")},
                 {"day_end", v.value("day_end", "")},
                 {"holidays", holidays},
                 {"targets", targets},
                 {"support_email", v.value("support_email", "")},
                 {"saved", saved}};
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "support_settings", std::move(data), status);
  }

  Response save(Context& c, const StaffRole& s) const {
    // The form as the API's JSON, read by the same readSupportSettings.
    json body = {{"time_zone", std::string(core::trim(formField(c, "time_zone")))},
                 {"work_days", json::array()},
                 {"day_start", formField(c, "day_start")},
                 {"day_end", formField(c, "day_end")},
                 {"holidays", json::array()},
                 {"targets", json::object()},
                 {"support_email", formField(c, "support_email")}};
    for (int d = 1; d <= 7; ++d) {
      if (formField(c, "day." + std::to_string(d)) == "1") body["work_days"].push_back(d);
    }
    std::istringstream lines(formField(c, "holidays"));
    for (std::string line; std::getline(lines, line);) {
      auto t = std::string(core::trim(line));
      if (t.empty()) continue;
      auto space = t.find(' ');
      body["holidays"].push_back(
          {{"date", t.substr(0, space)},
           {"name", space == std::string::npos ? "" : std::string(core::trim(t.substr(space)))}});
    }
    for (auto p : kPriorities) {
      json target = json::object();
      for (const auto& [field, key] : {std::pair{"first", "first_response_minutes"},
                                       std::pair{"resolution", "resolution_minutes"}}) {
        auto value =
            std::string(core::trim(formField(c, "target." + std::string(p) + "." + field)));
        if (value.empty()) {
          target[key] = nullptr;
        } else if (auto n = core::positiveNumber(value, kMaxTargetMinutes * 10)) {
          target[key] = *n;
        } else {
          target[key] = value;  // refused by readSupportSettings, shown again as typed
        }
      }
      body["targets"][std::string(p)] = target;
    }
    auto failed = [&](const core::Error& e) {
      return form(c, body, false, pages_.message(c, e), http::statusFor(e.code));
    };
    auto in = readSupportSettings(body);
    if (!in) return failed(in.error());
    auto done = settings_.save(s, std::move(*in), actorOf(c));
    if (!done) return failed(done.error());
    return Response::redirect("/staff/support-settings?saved=1");
  }

  static audit::Actor actorOf(const Context& c) {
    return {c.principal->user.id, c.origin.ip, c.origin.request_id};
  }

  // The categories with a form to add one and, on each, forms to rename and delete it.
  Response categories(const Context& c, const StaffRole& s, const std::string& error,
                      int status) const {
    json items = json::array();
    for (const auto& k : settings_.categories(s)) {
      items.push_back(
          {{"id", k.id},
           {"name", k.name},
           {"cases", pages_.text(c, core::Message{"case_categories.case_count",
                                                  {{"count", std::to_string(k.cases)}}})}});
    }
    json data = {{"items", items},
                 {"empty", items.empty()},
                 {"name", formField(c, "name")},
                 {"max", kMaxCategoryName}};
    if (!error.empty()) data["error"] = error;
    return pages_.render(c, "case_categories", std::move(data), status);
  }
  Response categoryFailed(const Context& c, const StaffRole& s, const core::Error& e) const {
    if (e.code == core::ErrorCode::NotFound) return pages_.error(c, e);
    return categories(c, s, pages_.message(c, e), http::statusFor(e.code));
  }
  Response remove(const Request& r, Context& c, const StaffRole& s) const {
    auto k = settings_.category(s, r.idParam("id"));
    if (!k) return pages_.error(c, k.error());
    auto path = "/staff/case-categories/" + std::to_string(k->id);
    if (!access::confirmed(c)) {
      return pages_.confirm(c, {{"confirm.delete_case_category.heading", {}},
                                {"confirm.delete_case_category.question",
                                 {{"name", k->name}, {"count", std::to_string(k->cases)}}},
                                {"confirm.delete_case_category.button", {}},
                                path + "/delete",
                                "/staff/case-categories",
                                {}});
    }
    auto done = settings_.removeCategory(s, k->id, actorOf(c));
    if (!done) return categoryFailed(c, s, done.error());
    c.next_notice = core::Message{"notices.case_categories.removed", {{"name", k->name}}};
    return Response::redirect("/staff/case-categories");
  }

  SupportSettingsService& settings_;
  access::PageRenderer pages_;
};

}  // namespace

std::shared_ptr<void> registerSupportSettingsPages(access::StaffRoutes& routes,
                                                   access::Policy& policy,
                                                   SupportSettingsService& settings,
                                                   const web::Views& views) {
  auto owner = std::make_shared<Pages>(policy, settings, views);
  owner->registerAll(routes);
  return owner;
}

}  // namespace portico::cases
