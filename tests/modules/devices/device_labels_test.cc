// The devices' QR labels: A4 sheets of Avery L7163 and single 62 mm tape labels, with each
// device's name, serial, code and the vendor's name, for those who manage the company's devices
// and only of the devices they see. Read back with poppler's pdftotext and pdfinfo.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "modules/devices/device_fixture.h"
#include "support/pdf_text.h"

namespace portico::testing {
namespace {

class DeviceLabelsTest : public DeviceTest {
 protected:
  std::string labels(const std::string& query) { return "/api/v1/devices/labels.pdf?" + query; }
  std::string ofA() { return "company_id=" + std::to_string(company); }
  std::string read(const std::string& pdf, const std::string& tool = "pdftotext -layout") {
    return popplerRead(server.dir(), pdf, tool);
  }
  static int pages(const std::string& info) {
    std::smatch m;
    return std::regex_search(info, m, std::regex("Pages: +([0-9]+)")) ? std::stoi(m[1]) : -1;
  }
};

TEST_F(DeviceLabelsTest, ASheetHoldsFourteenLabelsWithNameSerialCodeAndVendor) {
  auto first = device("D00", {{"name", "Rooftop chiller"}, {"serial", "RC-771"}});
  for (int i = 1; i < 15; ++i) device("D" + std::to_string(10 + i));
  device("B1", {{"company_external_id", "B"}, {"name", "Olga's compressor"}});
  auto r = call("GET", labels(ofA()), ada);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/pdf");
  EXPECT_TRUE(r.body.starts_with("%PDF-"));
  auto info = read(r.body, "pdfinfo");
  EXPECT_EQ(pages(info), 2) << info;  // 15 labels: a full sheet and one more
  EXPECT_TRUE(std::regex_search(info, std::regex("Page size: +595.2[0-9]* x 841.8[0-9]* pts")))
      << info;
  auto text = read(r.body);
  auto code = first["code"].get<std::string>();
  EXPECT_NE(text.find("Rooftop chiller"), std::string::npos) << text;
  EXPECT_NE(text.find("S/N RC-771"), std::string::npos);
  EXPECT_NE(text.find(code.substr(0, 5) + " " + code.substr(5)), std::string::npos);
  EXPECT_NE(text.find("Vendor"), std::string::npos);
  EXPECT_EQ(text.find("Olga"), std::string::npos);
  // The same devices print the same bytes.
  EXPECT_EQ(call("GET", labels(ofA()), ada).body, r.body);
}

TEST_F(DeviceLabelsTest, EveryQrCodeScansAsTheDevicesAddress) {
  std::vector<std::string> codes;
  for (int i = 0; i < 14; ++i) codes.push_back(device("D" + std::to_string(10 + i))["code"]);
  auto r = call("GET", labels(ofA()), ada);
  ASSERT_EQ(r.status, 200) << r.body;
  // The sheet as a printer would have it (300 dpi), scanned as a phone would.
  auto sheet = server.dir() + "/sheet";
  std::ofstream(sheet + ".pdf", std::ios::binary) << r.body;
  auto scan =
      commandOutput("pdftoppm -png -r 300 -f 1 -l 1 -singlefile '" + sheet + ".pdf' '" + sheet +
                    "' && zbarimg -q --raw -Sdisable -Sqrcode.enable '" + sheet + ".png'");
  for (const auto& code : codes) {
    EXPECT_NE(scan.find("/d/" + code + "\n"), std::string::npos) << code << "\n" << scan;
  }
  // Fourteen codes, each once (zbarimg may also say things on its standard error).
  std::size_t found = 0;
  for (auto at = scan.find("/d/"); at != std::string::npos; at = scan.find("/d/", at + 1)) ++found;
  EXPECT_EQ(found, 14u) << scan;
}

TEST_F(DeviceLabelsTest, TapeLabelsAreOneA62MmPageEach) {
  device("D1");
  device("D2");
  device("D3");
  auto r = call("GET", labels(ofA() + "&format=tape"), ada);
  ASSERT_EQ(r.status, 200) << r.body;
  auto info = read(r.body, "pdfinfo");
  EXPECT_EQ(pages(info), 3) << info;
  EXPECT_TRUE(std::regex_search(info, std::regex("Page size: +175.7[0-9]* x 82.2[0-9]* pts")))
      << info;  // 62 × 29 mm
}

TEST_F(DeviceLabelsTest, OnlyManagersPrintAndOnlyWhatTheySee) {
  device("N1", {{"site_external_id", "S-N"}, {"name", "North pump"}});
  device("S1", {{"site_external_id", "S-S"}, {"name", "South pump"}});
  // A site of the company narrows the labels.
  auto text = read(call("GET", labels(ofA() + "&site_id=" + std::to_string(north)), ada).body);
  EXPECT_NE(text.find("North pump"), std::string::npos);
  EXPECT_EQ(text.find("South pump"), std::string::npos);
  // A manager who sees only North prints North's alone.
  setBob({{"sites", json::array({north})}});
  auto r = call("GET", labels(ofA()), bob);
  ASSERT_EQ(r.status, 200) << r.body;
  text = read(r.body);
  EXPECT_NE(text.find("North pump"), std::string::npos);
  EXPECT_EQ(text.find("South pump"), std::string::npos);
  EXPECT_EQ(call("GET", labels(ofA() + "&site_id=" + std::to_string(south)), bob).status, 400);
  // Without devices.manage: refused; another company's: not found.
  setBob({{"permissions", {"services.view"}}});
  EXPECT_EQ(call("GET", labels(ofA()), bob).status, 403);
  EXPECT_EQ(call("GET", labels(ofA()), olga).status, 404);
  EXPECT_EQ(call("GET", labels(ofA()), support).status, 403);  // support staff read
  // Bad requests say what is wrong.
  for (const auto& q : {std::string(""), std::string("company_id=x"), ofA() + "&format=roll",
                        ofA() + "&site_id=" + std::to_string(b_site)}) {
    auto bad = call("GET", labels(q), ada);
    EXPECT_EQ(bad.status, 400) << q << " " << bad.body;
  }
  // No devices: nothing to print (Olga's company has none), and the answer says so.
  auto none = call("GET", labels("company_id=" + std::to_string(other_company)), olga);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.json()["error"]["message"], "There are no devices to print labels for")
      << none.body;
}

TEST_F(DeviceLabelsTest, TheListPageOffersLabelsToManagers) {
  device("D1");
  auto b = signIn("bob@a.example", bob_secret);
  auto list = b.get("/devices");
  EXPECT_NE(list.body.find("action=\"/devices/labels.pdf\""), std::string::npos) << list.body;
  auto pdf = b.get("/devices/labels.pdf?company_id=" + std::to_string(company) + "&format=sheet");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_TRUE(pdf.body.starts_with("%PDF-"));
  setBob({{"permissions", {"services.view"}}});
  EXPECT_EQ(b.get("/devices").body.find("/devices/labels.pdf"), std::string::npos);
}

}  // namespace
}  // namespace portico::testing
