// The devices' pages: the list across a person's companies, a device's page with its QR code,
// properties and cases, renaming and moving without JavaScript, a new code after a confirmation,
// and what a scanned label opens, signed in or out.
#include <gtest/gtest.h>

#include "http/url.h"
#include "modules/devices/device_fixture.h"

namespace portico::testing {
namespace {

class DevicePagesTest : public DeviceTest {
 protected:
  static bool has(const HttpResult& r, const std::string& text) {
    return r.body.find(text) != std::string::npos;
  }
};

TEST_F(DevicePagesTest, APersonFindsTheirDevicesAndReadsOne) {
  auto d = device("D1", {{"name", "Rooftop chiller"},
                         {"status", "fault"},
                         {"site_external_id", "S-N"},
                         {"properties", {{"Refrigerant", "R32"}}}});
  device("B1", {{"company_external_id", "B"}, {"name", "Olga's compressor"}});
  auto b = signIn("bob@a.example", bob_secret);
  EXPECT_TRUE(has(b.get("/"), "href=\"/devices\""));
  auto list = b.get("/devices");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(has(list, "Rooftop chiller"));
  EXPECT_TRUE(has(list, "<strong>Fault</strong>"));
  EXPECT_FALSE(has(list, "Olga"));
  EXPECT_TRUE(has(b.get("/devices?q=nothing-like-this"), "No device matches these filters."));
  EXPECT_EQ(b.get("/devices?status=broken").status, 400);

  auto id = std::to_string(d["id"].get<std::int64_t>());
  auto page = b.get("/devices/" + id);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(has(page, "<svg"));
  auto code = d["code"].get<std::string>();
  EXPECT_TRUE(has(page, code.substr(0, 5) + " " + code.substr(5)));
  EXPECT_TRUE(has(page, "Refrigerant"));
  EXPECT_TRUE(has(page, "href=\"/cases?device_id=" + id + "\""));
  auto open = "/cases/new?company_id=" + std::to_string(company) + "&amp;device_id=" + id;
  EXPECT_TRUE(has(page, "href=\"" + open + "\"")) << page.body;
  // The form to open a case about it names the device and sends it along.
  auto form = b.get("/cases/new?company_id=" + std::to_string(company) + "&device_id=" + id);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_TRUE(has(form, "name=\"device_id\" value=\"" + id + "\""));
  EXPECT_TRUE(has(form, "Rooftop chiller"));
  auto opened = b.submit("/cases/new", {{"company_id", std::to_string(company)},
                                        {"device_id", id},
                                        {"subject", "Leaking"},
                                        {"description", "Water under it"}});
  EXPECT_EQ(opened.status, 303) << opened.body;
  EXPECT_EQ(server.scalar("SELECT count(*) FROM cases WHERE device_id = " + id), 1);
}

TEST_F(DevicePagesTest, AnotherCompanysDeviceAndAMissingPermissionAreNotFound) {
  auto theirs = deviceId("B1", {{"company_external_id", "B"}});
  auto ours = deviceId("A1");
  auto b = signIn("bob@a.example", bob_secret);
  EXPECT_EQ(b.get("/devices/" + std::to_string(theirs)).status, 404);
  setBob({{"permissions", {"support.view"}}});
  EXPECT_EQ(b.get("/devices/" + std::to_string(ours)).status, 404);
  EXPECT_FALSE(has(b.get("/cases"), "href=\"/devices\""));
  EXPECT_EQ(b.get("/devices/" + std::to_string(ours) + "/nothing").status, 404);
}

TEST_F(DevicePagesTest, AManagerRenamesAndMovesADeviceWithTheForm) {
  auto id = std::to_string(deviceId("D1", {{"site_external_id", "S-N"}}));
  auto b = signIn("bob@a.example", bob_secret);
  auto page = b.get("/devices/" + id);
  EXPECT_TRUE(has(page, "action=\"/devices/" + id + "\"")) << page.body;
  auto r =
      b.submit("/devices/" + id, {{"name", "Basement pump"}, {"site_id", std::to_string(south)}});
  EXPECT_EQ(r.status, 303) << r.body;
  page = b.get("/devices/" + id);
  EXPECT_TRUE(has(page, "Basement pump is saved."));
  EXPECT_TRUE(has(page, "Site S-S"));
  // A refusal shows the page again, saying why, and changes nothing.
  r = b.submit("/devices/" + id, {{"name", ""}, {"site_id", std::to_string(south)}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r, "Give the device a name"));
  r = b.submit("/devices/" + id, {{"name", "X"}, {"site_id", std::to_string(b_site)}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(call("GET", "/api/v1/devices/" + id, ada).json()["name"], "Basement pump");
  // Without devices.manage there is no form, and a posted one is refused.
  setBob({{"permissions", {"services.view"}}});
  EXPECT_FALSE(has(b.get("/devices/" + id), "action=\"/devices/" + id + "\""));
  EXPECT_EQ(b.submit("/devices/" + id, {{"name", "Mine"}}).status, 403);
}

TEST_F(DevicePagesTest, StaffGiveADeviceANewCodeAfterAConfirmation) {
  auto d = device("D1");
  auto id = std::to_string(d["id"].get<std::int64_t>());
  std::string secret;
  server.staffMember("Vendor", "val@vendor.example", "admin", &secret);
  auto b = signIn("val@vendor.example", secret);
  auto page = b.get("/devices/" + id);
  ASSERT_TRUE(has(page, "action=\"/devices/" + id + "/code\"")) << page.body;
  auto r = b.submit("/devices/" + id + "/code");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(has(r, "Give the device a new code?"));
  EXPECT_EQ(call("GET", "/api/v1/devices/" + id, ada).json()["code"], d["code"]);
  r = b.submit("/devices/" + id + "/code", {{"confirmed", "1"}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_NE(call("GET", "/api/v1/devices/" + id, ada).json()["code"], d["code"]);
  // A customer has no such button.
  auto bob_browser = signIn("bob@a.example", bob_secret);
  EXPECT_FALSE(has(bob_browser.get("/devices/" + id), "/code\""));
  EXPECT_EQ(bob_browser.submit("/devices/" + id + "/code", {{"confirmed", "1"}}).status, 403);
}

TEST_F(DevicePagesTest, AScannedCodeSignsInFirstThenLandsOnTheDevice) {
  auto d = device("D1", {{"site_external_id", "S-N"}});
  auto code = d["code"].get<std::string>();
  auto id = std::to_string(d["id"].get<std::int64_t>());
  Browser b(server);
  auto r = b.get("/d/" + code);
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/login?next=" + http::percentEncode("/d/" + code));
  server.clock().advance(30);
  b.get("/login?next=" + http::percentEncode("/d/" + code));
  r = b.submit(
      "/login",
      {{"email", "bob@a.example"}, {"password", TestServer::kPassword}, {"next", "/d/" + code}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto mfa = r.header("location");
  EXPECT_TRUE(has(b.get(mfa), "name=\"next\" value=\"/d/" + code + "\""));
  r = b.submit("/mfa", {{"code", server.totpCode(bob_secret)}, {"next", "/d/" + code}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/d/" + code);
  r = b.get("/d/" + code);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/devices/" + id);
  // Typed from the label: lower case, with its space. A code of nothing, or of a device Bob may
  // not see, is the same not-found page.
  std::string typed = code.substr(0, 5) + "%20" + code.substr(5);
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(b.get("/d/" + typed).header("location"), "/devices/" + id);
  auto theirs = device("B1", {{"company_external_id", "B"}})["code"].get<std::string>();
  auto missing = b.get("/d/2222222222");
  auto hidden = b.get("/d/" + theirs);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(missing.body.size(), hidden.body.size());
}

}  // namespace
}  // namespace portico::testing
