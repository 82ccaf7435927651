// The documents' PDFs: rendered by Portico with cairo and pango from the record and the
// organization's letterhead (read back with poppler's pdftotext), in the record's language,
// frozen at the first print of an invoice or a sent quote, or the ERP's own; and the document
// settings that feed the letterhead.
#include <regex>

#include "core/text.h"
#include "modules/documents/document_fixture.h"
#include "support/pdf_text.h"

namespace portico::testing {
namespace {

using json = nlohmann::json;

// A 4 × 2 pixel PNG.
const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x04\x00\x00\x00"
    "\x02\x08\x02\x00\x00\x00\xf0\xca\xea\x34\x00\x00\x00\x10\x49\x44\x41\x54\x78\x9c\x63\x50\x48"
    "\x58\x00\x47\x0c\xc8\x1c\x00\x71\x1a\x09\x01\xe6\x3d\xa2\xc5\x00\x00\x00\x00\x49\x45\x4e\x44"
    "\xae\x42\x60\x82",
    73);

class DocumentPdfTest : public DocumentTest {
 protected:
  DocumentPdfTest() {
    admin = server.staffMember("Vendor", "admin@vendor.example", "admin");
    auto r = call("PUT", "/api/v1/staff/document-settings", admin,
                  {{"legal_name", "Vendor Vatten AB"},
                   {"address", "Storgatan 1\n111 22 Stockholm"},
                   {"org_number", "556677-8899"},
                   {"vat_number", "SE556677889901"},
                   {"contact", "+46 8 123 456 · vendor.example"},
                   {"payment_details", "Bankgiro 5050-1055\nIBAN SE45 5000 0000 0583 9825 7466"}});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  // What `tool` (poppler's) says of a PDF; by default its text, as pdftotext reads it (its -layout
  // keeps each line together).
  std::string text(const std::string& pdf, const std::string& tool = "pdftotext -layout") {
    return popplerRead(server.dir(), pdf, tool);
  }
  bool has(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
  }
  std::string admin;
};

TEST_F(DocumentPdfTest, AnInvoiceRendersWithTheLetterheadTheCustomerLinesTotalsAndHowToPay) {
  auto id = invoice("INV-1", {{"billing_address", "Box 12\n400 10 Göteborg"},
                              {"reference", "PO 4711"},
                              {"payment_reference", "7350012345"}});
  auto r = call("GET", path("invoices", id) + "/pdf", ada);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/pdf");
  EXPECT_NE(r.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_NE(r.header("content-disposition").find("invoice-F-INV-1.pdf"), std::string::npos);
  ASSERT_TRUE(r.body.starts_with("%PDF-"));
  auto t = text(r.body);
  for (const char* expected :
       {"Invoice", "F-INV-1", "Vendor Vatten AB", "Storgatan 1", "556677-8899", "Company A",
        "Box 12", "400 10 Göteborg", "PO 4711", "7350012345", "Service visit", "Filter",
        "900.00 SEK", "999.90 SEK", "249.98 SEK", "1,249.88 SEK", "How to pay",
        "Bankgiro 5050-1055", "IBAN SE45 5000 0000 0583 9825 7466"}) {
    EXPECT_TRUE(has(t, expected)) << expected << "\n" << t;
  }
  EXPECT_TRUE(std::regex_search(text(r.body, "pdfinfo"), std::regex("Pages: +1\n")));
}

TEST_F(DocumentPdfTest, ThePdfIsInTheRecordsLanguageAndShapesAnyScript) {
  auto id =
      invoice("SV-1", {{"language", "sv"},
                       {"lines",
                        {{{"description", "Pumpservice för Malmö"}, {"unit_price", "1000.00"}},
                         {{"description", "مضخة المياه"}, {"unit_price", "10.00"}},
                         {{"description", "净水器滤芯"}, {"unit_price", "10.00"}}}}});
  auto t = text(call("GET", path("invoices", id) + "/pdf", ada).body);
  for (const char* expected : {"Faktura", "Så betalar du", "Betalningsreferens",
                               "Pumpservice för Malmö", "1 020,00 SEK", "净水器滤芯"}) {
    EXPECT_TRUE(has(t, expected)) << expected << "\n" << t;
  }
  // Arabic is shaped and set right to left: its words read back in their logical order.
  EXPECT_TRUE(has(t, "مضخة")) << t;
}

TEST_F(DocumentPdfTest, AnInvoicesFirstPrintIsFrozenAndEveryReprintIsTheSameDocument) {
  auto id = invoice("FR-1");
  auto first = call("GET", path("invoices", id) + "/pdf", ada);
  ASSERT_EQ(first.status, 200);
  auto etag = first.header("etag");
  EXPECT_EQ(etag, "\"" + core::sha256Hex(first.body) + "\"");
  // The ERP changes the invoice afterwards: the print stays what it was.
  invoice("FR-1", {{"title", "Changed later"},
                   {"lines", {{{"description", "Something else"}, {"unit_price", "1.00"}}}}});
  auto again = call("GET", path("invoices", id) + "/pdf", ada);
  EXPECT_EQ(again.body, first.body);
  EXPECT_FALSE(has(text(again.body), "Something else"));
  auto cached = server.request("GET", path("invoices", id) + "/pdf", "",
                               {"Authorization: Bearer " + ada, "If-None-Match: " + etag});
  EXPECT_EQ(cached.status, 304);
  // An order is not frozen: its PDF follows the record, and renders to the same bytes each time.
  auto order = upsert("orders", {{"external_id", "O-1"},
                                 {"company_external_id", "A"},
                                 {"number", "O-1"},
                                 {"currency", "SEK"},
                                 {"date", "2026-11-01"},
                                 {"lines", {{{"description", "Pump"}, {"unit_price", "5.00"}}}}})
                   .json()["id"]
                   .get<std::int64_t>();
  auto o1 = call("GET", path("orders", order) + "/pdf", ada).body;
  EXPECT_EQ(call("GET", path("orders", order) + "/pdf", ada).body, o1);
  EXPECT_TRUE(has(text(o1), "Order confirmation"));
  upsert("orders", {{"external_id", "O-1"},
                    {"company_external_id", "A"},
                    {"number", "O-1"},
                    {"currency", "SEK"},
                    {"lines", {{{"description", "Valve"}, {"unit_price", "5.00"}}}}});
  EXPECT_TRUE(has(text(call("GET", path("orders", order) + "/pdf", ada).body), "Valve"));
}

TEST_F(DocumentPdfTest, TheErpsOwnPdfIsServedInPlaceOfOurs) {
  auto id = invoice("ERP-1");
  std::string mine = "%PDF-1.4\n% the ERP's own\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
  auto put = [&](const std::string& external_id, const std::string& body, const std::string& type,
                 const std::string& token) {
    return server.request("PUT", "/api/v1/integration/invoices/" + external_id + "/pdf", body,
                          {"Content-Type: " + type, "Authorization: Bearer " + token});
  };
  auto r = put("ERP-1", mine, "application/pdf", key);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["pdf_source"], "erp");
  EXPECT_EQ(call("GET", path("invoices", id) + "/pdf", ada).body, mine);
  EXPECT_EQ(put("ERP-1", "hello", "application/pdf", key).status, 415);
  EXPECT_EQ(put("ERP-1", mine, "text/plain", key).status, 415);
  EXPECT_EQ(put("NOPE", mine, "application/pdf", key).status, 404);
  EXPECT_EQ(put("ERP-1", mine, "application/pdf", ada).status, 401);  // a session is no API key
  // Still the ERP's after the ERP's next upsert.
  invoice("ERP-1", {{"title", "Again"}});
  EXPECT_EQ(call("GET", path("invoices", id) + "/pdf", ada).body, mine);
}

TEST_F(DocumentPdfTest, APdfIsForThoseWhoMaySeeTheRecord) {
  auto theirs = invoice("B-1", {{"company_external_id", "B"}});
  auto ours = invoice("A-1");
  EXPECT_EQ(call("GET", path("invoices", theirs) + "/pdf", ada).status, 404);
  EXPECT_EQ(call("GET", path("quotes", ours) + "/pdf", ada).status, 404);
  setBob({{"role", "support_user"}});
  EXPECT_EQ(call("GET", path("invoices", ours) + "/pdf", bob).status, 404);
  // A draft quote is the vendor's: staff print it, customers do not see it.
  auto draft = upsert("quotes", {{"external_id", "Q-D"},
                                 {"company_external_id", "A"},
                                 {"number", "Q-D"},
                                 {"currency", "SEK"}})
                   .json()["id"]
                   .get<std::int64_t>();
  EXPECT_EQ(call("GET", path("quotes", draft) + "/pdf", ada).status, 404);
  EXPECT_EQ(call("GET", path("quotes", draft) + "/pdf", support).status, 200);
}

TEST_F(DocumentPdfTest, ManyLinesBreakOntoMorePages) {
  json lines = json::array();
  for (int i = 1; i <= 90; ++i) {
    lines.push_back({{"description", "Part number " + std::to_string(i)},
                     {"unit_price", "1.00"},
                     {"vat_rate", "25"}});
  }
  auto id = invoice("LONG", {{"lines", lines}});
  auto pdf = call("GET", path("invoices", id) + "/pdf", ada).body;
  auto info = text(pdf, "pdfinfo");
  EXPECT_TRUE(std::regex_search(info, std::regex("Pages: +[2-9]\n"))) << info;
  auto t = text(pdf);
  EXPECT_TRUE(has(t, "Part number 90"));
  EXPECT_TRUE(has(t, "112.50 SEK"));  // 90.00 and 25 % VAT
}

TEST_F(DocumentPdfTest, AdministratorsKeepTheDocumentSettingsAndTheLogo) {
  auto got = call("GET", "/api/v1/staff/document-settings", admin).json();
  EXPECT_EQ(got["legal_name"], "Vendor Vatten AB");
  EXPECT_EQ(got["logo"], false);
  auto logo = [&](const std::string& body, const std::string& type, const std::string& token) {
    return server.request("PUT", "/api/v1/staff/document-settings/logo", body,
                          {"Content-Type: " + type, "Authorization: Bearer " + token});
  };
  EXPECT_EQ(logo("GIF89a", "image/png", admin).status, 415);
  EXPECT_EQ(logo(kPng, "image/gif", admin).status, 415);
  EXPECT_EQ(logo(kPng, "image/png", support).status, 403);  // not an administrator
  // A small file that claims a huge image (every PDF would decode it), and one without its header.
  auto huge = std::string(kPng);
  huge.replace(16, 4, std::string("\x00\x00\x27\x10", 4));  // 10,000 pixels wide
  auto r0 = logo(huge, "image/png", admin);
  EXPECT_EQ(r0.status, 400) << r0.body;
  EXPECT_EQ(r0.errorMessage(), "The logo may be at most 4000 pixels wide and high");
  EXPECT_EQ(logo(std::string(kPng).substr(0, 12), "image/png", admin).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/staff/document-settings", admin).json()["logo"], false);
  auto r = logo(kPng, "image/png", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["logo"], true);
  // The PDF carries the logo as its image.
  auto id = upsert("orders", {{"external_id", "O-L"},
                              {"company_external_id", "A"},
                              {"number", "O-L"},
                              {"currency", "SEK"}})
                .json()["id"]
                .get<std::int64_t>();
  auto images = text(call("GET", path("orders", id) + "/pdf", ada).body, "pdfimages -list");
  EXPECT_TRUE(has(images, "    4     2 ")) << images;
  EXPECT_EQ(call("DELETE", "/api/v1/staff/document-settings/logo", admin).json()["logo"], false);
  // Bad texts are refused naming the field, and customers never reach the settings.
  r = call("PUT", "/api/v1/staff/document-settings", admin,
           {{"legal_name", std::string(201, 'x')}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "legal_name");
  EXPECT_EQ(call("GET", "/api/v1/staff/document-settings", ada).status, 403);
  auto log = call("GET", "/api/v1/staff/audit?event=document_settings.", admin).json();
  EXPECT_EQ(log["items"].size(), 3u) << log.dump();  // saved, logo set, logo removed
}

TEST_F(DocumentPdfTest, TheSettingsPageSavesTheLetterhead) {
  std::string secret;
  server.staffMember("Vendor", "boss@vendor.example", "admin", &secret);
  auto b = signIn("boss@vendor.example", secret);
  auto page = b.get("/staff/document-settings");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Vendor Vatten AB"));
  auto r = b.submit("/staff/document-settings",
                    {{"legal_name", "Vendor Water AB"},
                     {"address", "Main Street 1"},
                     {"payment_details", "IBAN DE89 3704 0044 0532 0130 00"}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/staff/document-settings", admin).json()["legal_name"],
            "Vendor Water AB");
  r = b.submit("/staff/document-settings", {{"legal_name", std::string(201, 'x')}});
  EXPECT_EQ(r.status, 400);
  MultipartBody form;
  form.files.push_back({"file", "logo.png", "image/png", kPng});
  r = b.postMultipart("/staff/document-settings/logo", form);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/staff/document-settings", admin).json()["logo"], true);
  // Removing it asks first.
  r = b.submit("/staff/document-settings/logo/delete");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "Remove the logo?"));
  r = b.submit("/staff/document-settings/logo/delete", {{"confirmed", "1"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(call("GET", "/api/v1/staff/document-settings", admin).json()["logo"], false);
}

}  // namespace
}  // namespace portico::testing
