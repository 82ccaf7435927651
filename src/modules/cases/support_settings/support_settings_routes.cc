#include "modules/cases/support_settings/support_settings_routes.h"

#include "core/text.h"
#include "http/error_response.h"
#include "modules/cases/case_fields.h"
#include "modules/cases/case_json.h"

namespace portico::cases {
namespace {

using access::StaffRole;
using core::Error;
using core::fail;
using http::Request;
using http::Response;
using identity::Context;
using nlohmann::json;

audit::Actor actorOf(const Context& c) {
  return {c.principal->user.id, c.origin.ip, c.origin.request_id};
}

core::Result<int> clockField(const json& body, const char* key) {
  auto it = body.find(key);
  std::optional<int> m;
  if (it != body.end() && it->is_string()) m = core::parseClockTime(it->get<std::string>());
  if (!m) return fail(Error::invalid("errors.support_settings.bad_clock_time", key));
  return *m;
}

core::Result<std::optional<std::int64_t>> minutesField(const json& target, const char* key,
                                                       const std::string& priority) {
  auto it = target.find(key);
  if (it == target.end() || it->is_null()) return std::optional<std::int64_t>();
  if (!it->is_number_integer()) {
    return fail(Error::invalid("errors.support_settings.bad_target", "targets")
                    .with("priority", priority)
                    .with("max", std::to_string(kMaxTargetMinutes)));
  }
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

// The body {name} of a new or renamed category.
core::Result<std::string> categoryNameField(const Request& r) {
  auto body = objectBody(r, {"name"});
  if (!body) return fail(body.error());
  auto name = body->find("name");
  if (name == body->end() || !name->is_string()) {
    return fail(Error::invalid("errors.case_categories.bad_name", "name")
                    .with("max", std::to_string(kMaxCategoryName)));
  }
  return name->get<std::string>();
}

json categoryToJson(const Category& k) {
  return {{"id", k.id}, {"name", k.name}, {"cases", k.cases}};
}

}  // namespace

core::Result<SupportSettings> readSupportSettings(const nlohmann::json& object) {
  const auto* body = &object;
  SupportSettings s;
  auto tz = body->find("time_zone");
  if (tz == body->end() || !tz->is_string()) {
    return fail(Error::invalid("errors.support_settings.bad_time_zone", "time_zone"));
  }
  s.calendar.time_zone = tz->get<std::string>();
  auto days = body->find("work_days");
  if (days == body->end() || !days->is_array()) {
    return fail(Error::invalid("errors.support_settings.no_work_day", "work_days"));
  }
  s.calendar.work_days = 0;
  for (const auto& d : *days) {
    if (!d.is_number_integer() || d.get<std::int64_t>() < 1 || d.get<std::int64_t>() > 7) {
      return fail(Error::invalid("errors.support_settings.bad_work_day", "work_days"));
    }
    s.calendar.work_days |= 1u << (d.get<int>() - 1);
  }
  auto start = clockField(*body, "day_start");
  if (!start) return fail(start.error());
  auto end = clockField(*body, "day_end");
  if (!end) return fail(end.error());
  s.calendar.day_start = *start;
  s.calendar.day_end = *end;
  if (auto h = body->find("holidays"); h != body->end() && !h->is_null()) {
    if (!h->is_array()) return fail(Error::invalid("errors.integration.not_array", "holidays"));
    if (h->size() > kMaxHolidays) {
      return fail(Error::invalid("errors.support_settings.too_many_holidays", "holidays")
                      .with("max", std::to_string(kMaxHolidays)));
    }
    for (const auto& item : *h) {
      if (!item.is_object()) {
        return fail(Error::invalid("errors.support_settings.bad_holiday", "holidays")
                        .with("date", item.dump().substr(0, 40)));
      }
      auto date = item.find("date");
      std::optional<std::int32_t> day;
      if (date != item.end() && date->is_string()) day = core::parseDate(date->get<std::string>());
      if (!day) {
        return fail(Error::invalid("errors.support_settings.bad_holiday", "holidays")
                        .with("date", date != item.end() && date->is_string()
                                          ? date->get<std::string>()
                                          : std::string()));
      }
      auto name = item.find("name");
      if (name != item.end() && !name->is_null() && !name->is_string()) {
        return fail(Error::invalid("errors.support_settings.bad_holiday_name", "holidays"));
      }
      s.holidays.push_back({*day, name != item.end() && name->is_string()
                                      ? std::string(core::trim(name->get<std::string>()))
                                      : std::string()});
    }
  }
  if (auto t = body->find("targets"); t != body->end() && !t->is_null()) {
    if (!t->is_object()) return fail(Error::invalid("errors.integration.not_object", "targets"));
    for (const auto& [priority, target] : t->items()) {
      if (!isPriority(priority) || !(target.is_object() || target.is_null())) {
        return fail(Error::invalid("errors.support_settings.bad_target_priority", "targets")
                        .with("priority", priority));
      }
      if (target.is_null()) continue;
      auto first = minutesField(target, "first_response_minutes", priority);
      if (!first) return fail(first.error());
      auto resolution = minutesField(target, "resolution_minutes", priority);
      if (!resolution) return fail(resolution.error());
      auto& out = s.targets[static_cast<std::size_t>(priorityRank(priority))];
      out.first_response_minutes = *first;
      out.resolution_minutes = *resolution;
    }
  }
  if (auto e = body->find("support_email"); e != body->end() && !e->is_null()) {
    if (!e->is_string()) {
      return fail(Error::invalid("errors.support_settings.bad_email", "support_email"));
    }
    s.support_email = std::string(core::trim(e->get<std::string>()));
  }
  return s;
}

void registerSupportSettingsRoutes(access::StaffRoutes& routes, SupportSettingsService& settings) {
  routes.api("GET", "/api/v1/staff/support-settings", access::StaffCapability::SupportSettings,
             [&settings](Request&, Context&, const StaffRole& s) {
               return Response::json(200, supportSettingsToJson(settings.get(s)).dump());
             });
  routes.api("PUT", "/api/v1/staff/support-settings", access::StaffCapability::SupportSettings,
             [&settings](Request& r, Context& c, const StaffRole& s) {
               auto body = objectBody(r, {"time_zone", "work_days", "day_start", "day_end",
                                          "holidays", "targets", "support_email"});
               if (!body) return http::jsonError(body.error());
               auto in = readSupportSettings(*body);
               if (!in) return http::jsonError(in.error());
               auto saved = settings.save(s, std::move(*in), actorOf(c));
               if (!saved) return http::jsonError(saved.error());
               return Response::json(200, supportSettingsToJson(*saved).dump());
             });

  routes.api("GET", "/api/v1/staff/case-categories", access::StaffCapability::SupportSettings,
             [&settings](Request&, Context&, const StaffRole& s) {
               json items = json::array();
               for (const auto& k : settings.categories(s)) items.push_back(categoryToJson(k));
               return Response::json(200, json{{"items", items}}.dump());
             });
  routes.api("POST", "/api/v1/staff/case-categories", access::StaffCapability::SupportSettings,
             [&settings](Request& r, Context& c, const StaffRole& s) {
               auto name = categoryNameField(r);
               if (!name) return http::jsonError(name.error());
               auto done = settings.addCategory(s, *name, actorOf(c));
               if (!done) return http::jsonError(done.error());
               return Response::json(201, categoryToJson(*done).dump());
             });
  routes.api("PATCH", "/api/v1/staff/case-categories/{id}",
             access::StaffCapability::SupportSettings,
             [&settings](Request& r, Context& c, const StaffRole& s) {
               auto name = categoryNameField(r);
               if (!name) return http::jsonError(name.error());
               auto done = settings.renameCategory(s, r.idParam("id"), *name, actorOf(c));
               if (!done) return http::jsonError(done.error());
               return Response::json(200, categoryToJson(*done).dump());
             });
  routes.api("DELETE", "/api/v1/staff/case-categories/{id}",
             access::StaffCapability::SupportSettings,
             [&settings](Request& r, Context& c, const StaffRole& s) {
               auto done = settings.removeCategory(s, r.idParam("id"), actorOf(c));
               if (!done) return http::jsonError(done.error());
               return Response::noContent();
             });
}

}  // namespace portico::cases
