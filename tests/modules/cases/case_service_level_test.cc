// Service levels and ratings of support cases: the organization's support settings (calendar and
// targets per priority), the due and breached times staff see on each case, the clock that stands
// while a case waits, the inbox's breached filter and due sort, and the requester's one rating.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/business_hours.h"
#include "core/text.h"
#include "modules/cases/case_fixture.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

class ServiceLevelTest : public CaseTest {
 protected:
  ServiceLevelTest() { boss = server.staffMember("Vendor", "boss@vendor.example", "admin"); }

  // A calendar where every minute is a working minute, so that working time is wall time.
  static json aroundTheClock(const json& targets) {
    return {{"time_zone", "UTC"},
            {"work_days", {1, 2, 3, 4, 5, 6, 7}},
            {"day_start", "00:00"},
            {"day_end", "24:00"},
            {"targets", targets}};
  }
  void settle(const json& settings) {
    auto r = call("PUT", "/api/v1/staff/support-settings", boss, settings);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json staffView(std::int64_t id) {
    auto r = call("GET", casePath(id), support);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  std::string at(std::int64_t t) { return core::rfc3339(t); }
  std::int64_t now() { return server.clock().now(); }
  void patch(std::int64_t id, const json& body) {
    auto r = call("PATCH", casePath(id), support, body);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  void reply(const std::string& token, std::int64_t id, const std::string& text) {
    auto r = call("POST", casePath(id) + "/comments", token, {{"body", text}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  std::string boss;
};

TEST_F(ServiceLevelTest, SettingsHaveDefaultsAndAreSavedAsSent) {
  auto r = call("GET", "/api/v1/staff/support-settings", boss);
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = r.json();
  EXPECT_EQ(d["time_zone"], "UTC");
  EXPECT_EQ(d["work_days"], json({1, 2, 3, 4, 5}));
  EXPECT_EQ(d["day_start"], "08:00");
  EXPECT_EQ(d["day_end"], "17:00");
  EXPECT_EQ(d["holidays"], json::array());
  EXPECT_TRUE(d["targets"]["urgent"]["first_response_minutes"].is_null());
  EXPECT_EQ(d["support_email"], "");

  json in = {{"time_zone", "Europe/Stockholm"},
             {"work_days", {5, 1, 2}},
             {"day_start", "07:30"},
             {"day_end", "24:00"},
             {"holidays",
              {{{"date", "2026-12-25"}, {"name", "Juldagen"}},
               {{"date", "2026-12-24"}, {"name", " Julafton "}}}},
             {"targets",
              {{"urgent", {{"first_response_minutes", 30}, {"resolution_minutes", 240}}},
               {"low", nullptr}}},
             {"support_email", "support@vendor.example"}};
  r = call("PUT", "/api/v1/staff/support-settings", boss, in);
  ASSERT_EQ(r.status, 200) << r.body;
  auto saved = call("GET", "/api/v1/staff/support-settings", boss).json();
  EXPECT_EQ(saved, r.json());
  EXPECT_EQ(saved["time_zone"], "Europe/Stockholm");
  EXPECT_EQ(saved["work_days"], json({1, 2, 5}));
  EXPECT_EQ(saved["day_start"], "07:30");
  EXPECT_EQ(saved["day_end"], "24:00");
  ASSERT_EQ(saved["holidays"].size(), 2u);
  EXPECT_EQ(saved["holidays"][0], json({{"date", "2026-12-24"}, {"name", "Julafton"}}));
  EXPECT_EQ(saved["holidays"][1]["date"], "2026-12-25");
  EXPECT_EQ(saved["targets"]["urgent"]["first_response_minutes"], 30);
  EXPECT_EQ(saved["targets"]["urgent"]["resolution_minutes"], 240);
  EXPECT_TRUE(saved["targets"]["normal"]["resolution_minutes"].is_null());
  EXPECT_EQ(saved["support_email"], "support@vendor.example");

  auto audit = call("GET", "/api/v1/staff/audit?event=support_settings.updated", boss).json();
  ASSERT_EQ(audit["items"].size(), 1u) << audit.dump();
  EXPECT_NE(audit["items"][0]["detail"].dump().find("Europe/Stockholm"), std::string::npos);
}

TEST_F(ServiceLevelTest, BadSettingsAreRefusedByFieldAndChangeNothing) {
  settle(aroundTheClock({{"normal", {{"first_response_minutes", 10}}}}));
  auto before = call("GET", "/api/v1/staff/support-settings", boss).json();
  auto good = aroundTheClock(json::object());
  struct Bad {
    const char* what;
    json change;
    const char* field;
  };
  std::vector<Bad> bad = {
      {"an unknown time zone", {{"time_zone", "Mars/Olympus_Mons"}}, "time_zone"},
      {"a time zone that is not text", {{"time_zone", 1}}, "time_zone"},
      {"no working day", {{"work_days", json::array()}}, "work_days"},
      {"day 8", {{"work_days", {1, 8}}}, "work_days"},
      {"a clock time of 25:00", {{"day_start", "25:00"}}, "day_start"},
      {"a clock time without a colon", {{"day_end", "1700"}}, "day_end"},
      {"a day that ends before it starts",
       {{"day_start", "17:00"}, {"day_end", "08:00"}},
       "day_end"},
      {"a holiday that is no date", {{"holidays", {{{"date", "2026-02-30"}}}}}, "holidays"},
      {"a holiday twice",
       {{"holidays", {{{"date", "2026-12-24"}}, {{"date", "2026-12-24"}, {"name", "again"}}}}},
       "holidays"},
      {"a holiday's long name",
       {{"holidays", {{{"date", "2026-12-24"}, {"name", std::string(101, 'x')}}}}},
       "holidays"},
      {"an unknown priority",
       {{"targets", {{"critical", {{"first_response_minutes", 5}}}}}},
       "targets"},
      {"a target of 0 minutes",
       {{"targets", {{"high", {{"first_response_minutes", 0}}}}}},
       "targets"},
      {"a target of text", {{"targets", {{"high", {{"resolution_minutes", "60"}}}}}}, "targets"},
      {"a target over a year",
       {{"targets", {{"high", {{"resolution_minutes", 525601}}}}}},
       "targets"},
      {"a support address that is no address", {{"support_email", "support"}}, "support_email"},
  };
  for (const auto& b : bad) {
    auto body = good;
    body.update(b.change);
    auto r = call("PUT", "/api/v1/staff/support-settings", boss, body);
    EXPECT_EQ(r.status, 400) << b.what << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], b.field) << b.what << ": " << r.body;
  }
  auto unknown = good;
  unknown["colour"] = "blue";
  EXPECT_EQ(call("PUT", "/api/v1/staff/support-settings", boss, unknown).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/staff/support-settings", boss).json(), before);
}

TEST_F(ServiceLevelTest, OnlyAdministratorsReachTheSettings) {
  auto body = aroundTheClock(json::object());
  for (const auto* token : {&support, &ada, &bob}) {
    EXPECT_EQ(call("GET", "/api/v1/staff/support-settings", *token).status, 403);
    EXPECT_EQ(call("PUT", "/api/v1/staff/support-settings", *token, body).status, 403);
  }
  EXPECT_EQ(call("GET", "/api/v1/staff/support-settings", key).status, 401);
  // Nothing changed: the defaults stand.
  EXPECT_EQ(call("GET", "/api/v1/staff/support-settings", boss).json()["day_start"], "08:00");
  // Another organization's administrator sees its own settings, not the vendor's.
  settle(aroundTheClock(json::object()));
  server.initOrganization("Rival", "owner@rival.example");
  auto rival = server.staffMember("Rival", "rita@rival.example", "admin");
  EXPECT_EQ(call("GET", "/api/v1/staff/support-settings", rival).json()["day_start"], "08:00");
}

TEST_F(ServiceLevelTest, DueTimesRunInWorkingTimeAndStandWhileTheCaseWaits) {
  settle(
      aroundTheClock({{"normal", {{"first_response_minutes", 10}, {"resolution_minutes", 30}}}}));
  auto t0 = now();
  auto id = open(bob)["id"].get<std::int64_t>();

  auto s = staffView(id)["service_level"];
  EXPECT_EQ(s["first_response"]["state"], "pending");
  EXPECT_EQ(s["first_response"]["due_at"], at(t0 + 600));
  EXPECT_EQ(s["resolution"]["state"], "pending");
  EXPECT_EQ(s["resolution"]["due_at"], at(t0 + 1800));
  // Customers never see the service levels.
  EXPECT_FALSE(call("GET", casePath(id), bob).json().contains("service_level"));
  auto customer_list = call("GET", "/api/v1/cases", bob).json();
  for (const auto& item : customer_list["items"]) {
    EXPECT_FALSE(item.contains("service_level"));
  }
  auto inbox = call("GET", "/api/v1/cases", support).json();
  ASSERT_EQ(inbox["items"].size(), 1u);
  EXPECT_EQ(inbox["items"][0]["service_level"], s);

  // Two minutes later staff ask the customer: the clock stands for twenty minutes.
  server.clock().advance(120);
  patch(id, {{"status", "waiting_customer"}});
  s = staffView(id)["service_level"];
  EXPECT_EQ(s["first_response"]["state"], "paused");
  EXPECT_TRUE(s["first_response"]["due_at"].is_null());
  EXPECT_EQ(s["resolution"]["state"], "paused");
  server.clock().advance(1200);
  EXPECT_EQ(staffView(id)["service_level"]["first_response"]["state"], "paused");

  // The customer's answer opens the case again: 8 of the 10 minutes are left.
  reply(bob, id, "Here is the log.");
  auto t1 = now();
  s = staffView(id)["service_level"];
  EXPECT_EQ(s["first_response"]["state"], "pending");
  EXPECT_EQ(s["first_response"]["due_at"], at(t1 + 480));
  EXPECT_EQ(s["resolution"]["due_at"], at(t1 + 1680));

  // Staff's public reply a minute later meets the first response; an internal note would not.
  server.clock().advance(60);
  auto note = call("POST", casePath(id) + "/comments", support,
                   {{"body", "Looks like the fuser."}, {"internal", true}});
  ASSERT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(staffView(id)["service_level"]["first_response"]["state"], "pending");
  reply(support, id, "We are on it.");
  auto t2 = now();
  s = staffView(id)["service_level"];
  EXPECT_EQ(s["first_response"]["state"], "met");
  EXPECT_EQ(s["first_response"]["done_at"], at(t2));
  EXPECT_TRUE(s["first_response"]["breached_at"].is_null());
  EXPECT_EQ(s["resolution"]["state"], "pending");
  EXPECT_TRUE(listed(support, "?breached=true").empty());

  // The resolution's due time passes: breached at that time, and found by the breached filter.
  server.clock().advance(900);
  EXPECT_EQ(staffView(id)["service_level"]["resolution"]["state"], "pending");
  server.clock().advance(900);
  s = staffView(id)["service_level"];
  EXPECT_EQ(s["resolution"]["state"], "breached");
  EXPECT_EQ(s["resolution"]["breached_at"], at(t1 + 1680));
  EXPECT_EQ(listed(support, "?breached=true"), std::vector<std::int64_t>{id});

  // Resolving it late keeps the breach; the first response stays met.
  patch(id, {{"status", "resolved"}});
  s = staffView(id)["service_level"];
  EXPECT_EQ(s["resolution"]["state"], "breached");
  EXPECT_EQ(s["resolution"]["breached_at"], at(t1 + 1680));
  EXPECT_EQ(s["first_response"]["state"], "met");
  EXPECT_EQ(listed(support, "?breached=true"), std::vector<std::int64_t>{id});
}

TEST_F(ServiceLevelTest, AMissedFirstResponseStaysBreachedAfterTheReply) {
  settle(aroundTheClock({{"urgent", {{"first_response_minutes", 5}}}}));
  auto t0 = now();
  auto id = open(bob, {{"priority", "urgent"}})["id"].get<std::int64_t>();
  auto calm = open(bob)["id"].get<std::int64_t>();  // normal: no targets
  auto s = staffView(calm)["service_level"];
  EXPECT_EQ(s["first_response"]["state"], "none");
  EXPECT_EQ(s["resolution"]["state"], "none");
  EXPECT_EQ(staffView(id)["service_level"]["resolution"]["state"], "none");

  server.clock().advance(301);
  EXPECT_EQ(staffView(id)["service_level"]["first_response"]["state"], "breached");
  EXPECT_EQ(listed(support, "?breached=true"), std::vector<std::int64_t>{id});
  reply(support, id, "Sorry for the wait.");
  s = staffView(id)["service_level"]["first_response"];
  EXPECT_EQ(s["state"], "breached");
  EXPECT_EQ(s["breached_at"], at(t0 + 300));
  EXPECT_EQ(s["done_at"], at(now()));
  EXPECT_EQ(listed(support, "?breached=true"), std::vector<std::int64_t>{id});
}

TEST_F(ServiceLevelTest, DueTimesFollowTheCalendarAndItsHolidays) {
  core::BusinessCalendar cal;
  cal.time_zone = "Europe/Stockholm";
  cal.work_days = 0x1F;
  cal.day_start = 8 * 60;
  cal.day_end = 17 * 60;
  // Today and the next two days in Stockholm are holidays (from yesterday to three days on in
  // UTC, whatever the hour and the season).
  auto today = core::parseDate(core::rfc3339(now()).substr(0, 10));
  ASSERT_TRUE(today);
  json holidays = json::array();
  for (int d = -1; d <= 3; ++d) {
    holidays.push_back({{"date", core::dateText(*today + d)}, {"name", "Off"}});
    cal.holidays.push_back(*today + d);
  }
  settle({{"time_zone", cal.time_zone},
          {"work_days", {1, 2, 3, 4, 5}},
          {"day_start", "08:00"},
          {"day_end", "17:00"},
          {"holidays", holidays},
          {"targets", {{"high", {{"first_response_minutes", 90}, {"resolution_minutes", 1200}}}}}});
  auto t0 = now();
  auto id = open(bob, {{"priority", "high"}})["id"].get<std::int64_t>();
  auto s = staffView(id)["service_level"];
  auto due = core::addWorkingSeconds(cal, t0, 90 * 60);
  auto resolution = core::addWorkingSeconds(cal, t0, 1200 * 60);
  ASSERT_TRUE(due && resolution);
  auto first = *due;
  EXPECT_EQ(s["first_response"]["due_at"], at(first));
  EXPECT_EQ(s["resolution"]["due_at"], at(*resolution));
  // Nothing of the first response falls on the three holidays: it is at least two days away,
  // inside working hours in Stockholm.
  EXPECT_GT(first, t0 + 2 * 86400);
  EXPECT_EQ(core::workingSecondsBetween(cal, t0, first), 90 * 60);
}

TEST_F(ServiceLevelTest, TheInboxSortsByDueTimeAndCustomersCannotAskForIt) {
  settle(aroundTheClock({{"urgent", {{"first_response_minutes", 5}}},
                         {"normal", {{"first_response_minutes", 60}}},
                         {"high", {{"resolution_minutes", 30}}}}));
  auto normal = open(bob)["id"].get<std::int64_t>();
  auto low = open(bob, {{"priority", "low"}})["id"].get<std::int64_t>();
  auto urgent = open(bob, {{"priority", "urgent"}})["id"].get<std::int64_t>();
  auto high = open(bob, {{"priority", "high"}})["id"].get<std::int64_t>();
  std::vector<std::int64_t> want = {urgent, high, normal, low};
  EXPECT_EQ(listed(support, "?sort=due"), want);
  // Page by page, one case a page: the same order through the cursors.
  std::vector<std::int64_t> paged;
  std::string cursor;
  for (int i = 0; i < 6; ++i) {
    auto page =
        call("GET", "/api/v1/cases?sort=due&limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor),
             support)
            .json();
    for (const auto& c : page["items"]) paged.push_back(c["id"].get<std::int64_t>());
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(paged, want);
  // A case that waits has no due time: it goes last.
  patch(urgent, {{"status", "waiting_third_party"}});
  EXPECT_EQ(listed(support, "?sort=due").front(), high);
  EXPECT_EQ(listed(support, "?sort=due").back(), urgent);

  auto sam_id = userId(support);
  patch(normal, {{"assignee_id", sam_id}});
  EXPECT_EQ(listed(support, "?assignee_id=" + std::to_string(sam_id)),
            std::vector<std::int64_t>{normal});
  EXPECT_EQ(call("GET", "/api/v1/cases?breached=maybe", support).status, 400);

  for (const auto& [query, field] :
       std::vector<std::pair<std::string, std::string>>{{"?sort=due", "sort"},
                                                        {"?breached=true", "breached"},
                                                        {"?assignee_id=1", "assignee_id"}}) {
    auto r = call("GET", "/api/v1/cases" + query, bob);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], field) << query;
  }
}

TEST_F(ServiceLevelTest, TheRequesterRatesAResolvedCaseOnce) {
  auto id = open(bob)["id"].get<std::int64_t>();
  auto rate = [&](const std::string& token, const json& body) {
    return call("POST", casePath(id) + "/rating", token, body);
  };
  auto r = rate(bob, {{"stars", 5}});
  EXPECT_EQ(r.status, 409) << r.body;  // not resolved yet
  patch(id, {{"status", "resolved"}});

  EXPECT_EQ(rate(support, {{"stars", 5}}).status, 403);  // staff never rate
  EXPECT_EQ(rate(ada, {{"stars", 5}}).status, 403);      // not the requester
  EXPECT_EQ(rate(olga, {{"stars", 5}}).status, 404);     // another company
  struct Bad {
    json body;
    const char* field;
  };
  for (const auto& b :
       std::vector<Bad>{{{{"stars", 0}}, "stars"},
                        {{{"stars", 6}}, "stars"},
                        {{{"stars", "5"}}, "stars"},
                        {json::object(), "stars"},
                        {{{"stars", 4}, {"comment", std::string(2001, 'x')}}, "comment"},
                        {{{"stars", 4}, {"comment", 7}}, "comment"}}) {
    r = rate(bob, b.body);
    EXPECT_EQ(r.status, 400) << b.body.dump() << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], b.field) << b.body.dump();
  }
  EXPECT_EQ(rate(bob, {{"stars", 4}, {"mood", "fine"}}).status, 400);
  EXPECT_TRUE(call("GET", casePath(id), bob).json()["rating"].is_null());

  auto rated_at = now();
  r = rate(bob, {{"stars", 4}, {"comment", "Quick and kind."}});
  ASSERT_EQ(r.status, 201) << r.body;
  json want = {{"stars", 4}, {"comment", "Quick and kind."}, {"rated_at", at(rated_at)}};
  EXPECT_EQ(r.json()["rating"], want);
  EXPECT_EQ(staffView(id)["rating"], want);
  EXPECT_EQ(rate(bob, {{"stars", 1}}).status, 409);
  EXPECT_EQ(call("GET", casePath(id), bob).json()["rating"], want);
}

TEST_F(ServiceLevelTest, TheCasePageAsksTheRequesterForARatingAndShowsIt) {
  auto id = open(bob)["id"].get<std::int64_t>();
  auto page = "/cases/" + std::to_string(id);
  auto b = signIn("bob@a.example", bob_secret);
  EXPECT_EQ(b.get(page).body.find("/rating\""), std::string::npos);  // not resolved yet
  patch(id, {{"status", "resolved"}});
  auto r = b.get(page);
  ASSERT_NE(r.body.find("action=\"" + page + "/rating\""), std::string::npos) << r.body;

  r = b.submit(page + "/rating", {{"rating_comment", "No stars chosen"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Choose a rating from 1 to 5 stars."), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("No stars chosen"), std::string::npos);  // kept as typed

  r = b.submit(page + "/rating", {{"stars", "3"}, {"rating_comment", "Slow <but> fine"}});
  EXPECT_EQ(r.status, 303) << r.body;
  r = b.get(page);
  EXPECT_NE(r.body.find("Thank you for your rating."), std::string::npos);
  EXPECT_NE(r.body.find("3 of 5 stars"), std::string::npos);
  EXPECT_NE(r.body.find("Slow &lt;but&gt; fine"), std::string::npos);
  EXPECT_EQ(r.body.find("action=\"" + page + "/rating\""), std::string::npos);  // once
  r = b.submit(page + "/rating", {{"stars", "5"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(call("GET", casePath(id), bob).json()["rating"]["stars"], 3);
}

TEST_F(ServiceLevelTest, StaffSetTheSettingsInTheConsole) {
  std::string secret;
  server.staffMember("Vendor", "vera@vendor.example", "admin", &secret);
  auto b = signIn("vera@vendor.example", secret);
  auto r = b.get("/staff/support-settings");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("name=\"time_zone\" value=\"UTC\""), std::string::npos) << r.body;

  Browser::Fields fields = {{"time_zone", "Europe/Berlin"},
                            {"day.1", "1"},
                            {"day.3", "1"},
                            {"day_start", "09:00"},
                            {"day_end", "16:30"},
                            {"holidays", "2026-12-24 Heiligabend\n\n2026-12-31"},
                            {"target.urgent.first", "15"},
                            {"target.urgent.resolution", ""},
                            {"support_email", ""}};
  auto bad = fields;
  for (auto& [name, value] : bad) {
    if (name == "target.urgent.first") value = "soon";
  }
  r = b.submit("/staff/support-settings", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("The targets for urgent must be whole minutes"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("value=\"soon\""), std::string::npos);  // shown again as typed
  EXPECT_EQ(call("GET", "/api/v1/staff/support-settings", boss).json()["time_zone"], "UTC");

  r = b.submit("/staff/support-settings", fields);
  ASSERT_EQ(r.status, 303) << r.body;
  auto saved = call("GET", "/api/v1/staff/support-settings", boss).json();
  EXPECT_EQ(saved["time_zone"], "Europe/Berlin");
  EXPECT_EQ(saved["work_days"], json({1, 3}));
  EXPECT_EQ(saved["day_end"], "16:30");
  EXPECT_EQ(saved["holidays"], json({{{"date", "2026-12-24"}, {"name", "Heiligabend"}},
                                     {{"date", "2026-12-31"}, {"name", ""}}}));
  EXPECT_EQ(saved["targets"]["urgent"]["first_response_minutes"], 15);
  EXPECT_TRUE(saved["targets"]["urgent"]["resolution_minutes"].is_null());

  // A support agent does not reach the page.
  auto sam = signIn("sam@vendor.example", sam_secret);
  EXPECT_EQ(sam.get("/staff/support-settings").status, 403);
}

TEST_F(ServiceLevelTest, TargetsDoneWhileTheClockStandsAreMet) {
  settle(
      aroundTheClock({{"urgent", {{"first_response_minutes", 30}, {"resolution_minutes", 480}}}}));
  // Resolved straight from waiting, with staff's first reply written while it waited.
  auto id = open(bob, {{"priority", "urgent"}})["id"].get<std::int64_t>();
  patch(id, {{"status", "waiting_third_party"}});
  server.clock().advance(60);
  reply(support, id, "The supplier is on it.");
  auto replied = now();
  auto s = staffView(id)["service_level"];
  EXPECT_EQ(s["first_response"]["state"], "met");
  EXPECT_EQ(s["first_response"]["done_at"], at(replied));
  EXPECT_EQ(s["resolution"]["state"], "paused");
  server.clock().advance(60);
  patch(id, {{"status", "resolved"}});
  s = staffView(id)["service_level"];
  EXPECT_EQ(s["resolution"]["state"], "met");
  EXPECT_EQ(s["resolution"]["done_at"], at(now()));
  EXPECT_TRUE(s["resolution"]["breached_at"].is_null());

  // Resolved without any reply: both targets are done then.
  auto quiet = open(bob, {{"priority", "urgent"}})["id"].get<std::int64_t>();
  server.clock().advance(60);
  patch(quiet, {{"status", "resolved"}});
  s = staffView(quiet)["service_level"];
  EXPECT_EQ(s["first_response"]["state"], "met");
  EXPECT_EQ(s["first_response"]["done_at"], at(now()));
  EXPECT_EQ(s["resolution"]["done_at"], at(now()));
}

TEST_F(ServiceLevelTest, ATargetTheCalendarCannotReachIsRefused) {
  // Monday to Friday, 08:00 to 17:00: 500,000 working minutes are more than three years.
  auto r = call("PUT", "/api/v1/staff/support-settings", boss,
                {{"time_zone", "UTC"},
                 {"work_days", {1, 2, 3, 4, 5}},
                 {"day_start", "08:00"},
                 {"day_end", "17:00"},
                 {"targets", {{"low", {{"resolution_minutes", 500000}}}}}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "targets");
  EXPECT_NE(r.body.find("longer than this calendar"), std::string::npos) << r.body;
  // Around the clock the same target fits.
  settle(aroundTheClock({{"low", {{"resolution_minutes", 500000}}}}));
}

TEST_F(ServiceLevelTest, StaffOutsideTheInboxGetNoServiceLevels) {
  settle(aroundTheClock({{"normal", {{"first_response_minutes", 10}}}}));
  open(bob);
  auto writer = server.staffMember("Vendor", "cc@vendor.example", "content_creator");
  auto r = call("GET", "/api/v1/cases", writer);
  ASSERT_EQ(r.status, 200) << r.body;
  auto page = r.json();  // json() answers a new value: keep it while iterating
  ASSERT_FALSE(page["items"].empty());
  for (const auto& item : page["items"]) EXPECT_FALSE(item.contains("service_level"));
  for (const auto* query : {"?sort=due", "?breached=true", "?assignee_id=1"}) {
    EXPECT_EQ(call("GET", std::string("/api/v1/cases") + query, writer).status, 400) << query;
  }
}

}  // namespace
}  // namespace portico::testing
