// The attachments of support cases, end to end on a real server: uploads through the API and the
// pages, the type decided from the bytes (an HTML file called .png, an SVG), the size limits (a
// file over 10 MB, a request over 25 MB, a truncated body), downloads that are always
// attachments, internal files that only staff see, and the same bytes stored once.
#include <gtest/gtest.h>

#include "modules/cases/case_fixture.h"
#include "support/multipart_body.h"

namespace portico::testing {
namespace {

using nlohmann::json;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + "pixels";
const std::string kPdf = "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";

class CaseAttachmentsTest : public CaseTest {
 protected:
  // Posts `body` as multipart/form-data to a case's attachments.
  HttpResult upload(const std::string& token, std::int64_t case_id, const MultipartBody& body) {
    return server.request(
        "POST", casePath(case_id) + "/attachments", body.str(),
        {"Authorization: Bearer " + token, "Content-Type: " + body.contentType()});
  }
  HttpResult upload(const std::string& token, std::int64_t case_id, const std::string& filename,
                    const std::string& data, const std::string& claimed = "image/png") {
    MultipartBody body;
    body.files.push_back({"file", filename, claimed, data});
    return upload(token, case_id, body);
  }
  HttpResult download(const std::string& token, const std::string& url,
                      std::vector<std::string> headers = {}) {
    headers.push_back("Authorization: Bearer " + token);
    return server.request("GET", url, "", headers);
  }
  std::int64_t openCase(const std::string& token, json body = json::object()) {
    return open(token, std::move(body))["id"].get<std::int64_t>();
  }
  json attachments(const std::string& token, std::int64_t case_id) {
    auto detail = call("GET", casePath(case_id), token).json();
    return detail["attachments"];
  }
  std::int64_t storedFiles() { return server.scalar("SELECT count(*) FROM files"); }
};

TEST_F(CaseAttachmentsTest, AFileIsUploadedAndDownloadedAsAnAttachmentOnly) {
  auto id = openCase(ada);
  auto r = upload(ada, id, "screen shot.png", kPng, "text/html");  // the claim is ignored
  ASSERT_EQ(r.status, 201) << r.body;
  auto a = r.json();
  EXPECT_EQ(a["name"], "screen shot.png");
  EXPECT_EQ(a["size"], kPng.size());
  EXPECT_EQ(a["content_type"], "image/png");
  EXPECT_EQ(a["internal"], false);
  EXPECT_EQ(a["uploaded_by"]["email"], "ada@a.example");
  EXPECT_TRUE(a["comment_id"].is_null());
  auto listed = attachments(bob, id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], a["id"]);

  auto url = a["url"].get<std::string>();
  auto d = download(bob, url);  // another of the company's people
  ASSERT_EQ(d.status, 200);
  EXPECT_EQ(d.body, kPng);
  EXPECT_EQ(d.header("content-type"), "image/png");
  EXPECT_EQ(d.header("content-disposition"),
            "attachment; filename=\"screen shot.png\"; filename*=UTF-8''screen%20shot.png");
  EXPECT_EQ(d.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(d.header("content-security-policy"), "default-src 'none'; sandbox");
  EXPECT_EQ(d.header("etag"), "\"" + a["sha256"].get<std::string>() + "\"");
  EXPECT_EQ(download(bob, url, {"If-None-Match: " + d.header("etag")}).status, 304);
  EXPECT_EQ(download(support, url).status, 200);  // the vendor's support

  // Another company's people, and the attachment under another case, are 404.
  EXPECT_EQ(download(olga, url).status, 404);
  auto other = openCase(ada);
  EXPECT_EQ(
      download(ada, casePath(other) + "/attachments/" + std::to_string(a["id"].get<int>())).status,
      404);
  EXPECT_EQ(upload(olga, id, "x.png", kPng).status, 404);
}

TEST_F(CaseAttachmentsTest, TheTypeComesFromTheBytesAndActiveContentIsRefused) {
  auto id = openCase(ada);
  // HTML called .png, an SVG with a script, HTML as text: refused, and nothing is kept.
  for (const auto& [name, data] : std::vector<std::pair<std::string, std::string>>{
           {"cat.png", "<html><script>alert(document.cookie)</script></html>"},
           {"logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"},
           {"notes.txt", "  \n<script>alert(1)</script>"},
           {"setup.exe", std::string("MZ\x90\0\x03\0\0\0", 8)}}) {
    SCOPED_TRACE(name);
    auto r = upload(ada, id, name, data);
    EXPECT_EQ(r.status, 415) << r.body;
    EXPECT_EQ(r.errorCode(), "unsupported_media_type");
    EXPECT_NE(r.errorMessage().find(name), std::string::npos);
  }
  EXPECT_TRUE(attachments(ada, id).empty());
  EXPECT_EQ(storedFiles(), 0);

  // Text called .bat is kept as text, under a name that cannot run; a PDF called .png is a PDF.
  auto bat = upload(ada, id, "run.bat", "echo hello\r\n");
  ASSERT_EQ(bat.status, 201) << bat.body;
  EXPECT_EQ(bat.json()["name"], "run.bat.txt");
  EXPECT_EQ(bat.json()["content_type"], "text/plain; charset=utf-8");
  auto pdf = upload(ada, id, "scan.png", kPdf);
  ASSERT_EQ(pdf.status, 201) << pdf.body;
  EXPECT_EQ(pdf.json()["name"], "scan.png.pdf");
  EXPECT_EQ(pdf.json()["content_type"], "application/pdf");
  // A name that tries to leave its folder or to add a parameter to the header.
  auto sly = upload(ada, id, "../../etc/a\";x=.html.csv", "a,b\r\n1,2\r\n");
  ASSERT_EQ(sly.status, 201) << sly.body;
  EXPECT_EQ(sly.json()["name"], "a\";x=.html.csv");
  auto d = download(ada, sly.json()["url"]);
  EXPECT_EQ(d.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(d.header("content-disposition"),
            "attachment; filename=\"a_;x=.html.csv\"; filename*=UTF-8''a%22%3Bx%3D.html.csv");
}

TEST_F(CaseAttachmentsTest, SizeLimitsAndBrokenBodiesAreRefusedAndKeepNothing) {
  auto id = openCase(ada);
  // A file of 10 MB and one byte: 413 from the parser.
  auto over = upload(ada, id, "big.txt", std::string(10 * 1024 * 1024 + 1, 'a'));
  EXPECT_EQ(over.status, 413) << over.body;
  // A request of 30 MB: 413 before the body is read.
  auto huge = upload(ada, id, "huge.txt", std::string(30 * 1024 * 1024, 'a'));
  EXPECT_EQ(huge.status, 413);
  // A body cut off before its closing delimiter.
  MultipartBody body;
  body.files.push_back({"file", "a.png", "image/png", kPng});
  auto truncated = body.str();
  truncated.resize(truncated.size() - 20);
  auto cut =
      server.request("POST", casePath(id) + "/attachments", truncated,
                     {"Authorization: Bearer " + ada, "Content-Type: " + body.contentType()});
  EXPECT_EQ(cut.status, 400) << cut.body;
  // Not multipart, no file, an empty file, two files, an unknown field.
  EXPECT_EQ(call("POST", casePath(id) + "/attachments", ada, {{"file", "x"}}).status, 415);
  MultipartBody none;
  none.fields.push_back({"internal", "false"});
  auto r = upload(ada, id, none);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["field"], "file");
  EXPECT_EQ(upload(ada, id, "empty.txt", "").status, 400);
  MultipartBody two;
  two.files.push_back({"file", "a.png", "image/png", kPng});
  two.files.push_back({"file", "b.pdf", "application/pdf", kPdf});
  EXPECT_EQ(upload(ada, id, two).status, 400);
  MultipartBody unknown;
  unknown.files.push_back({"file", "a.png", "image/png", kPng});
  unknown.fields.push_back({"colour", "red"});
  EXPECT_EQ(upload(ada, id, unknown).status, 400);
  EXPECT_TRUE(attachments(ada, id).empty());
  EXPECT_EQ(storedFiles(), 0);

  // Just under the limits is fine.
  auto fits = upload(ada, id, "fits.txt", std::string(10 * 1024 * 1024, 'a'));
  EXPECT_EQ(fits.status, 201) << fits.body.substr(0, 200);
}

TEST_F(CaseAttachmentsTest, TheSameBytesAreStoredOncePerOrganization) {
  auto first = openCase(ada);
  auto second = openCase(bob);
  ASSERT_EQ(upload(ada, first, "a.pdf", kPdf).status, 201);
  ASSERT_EQ(upload(bob, second, "copy.pdf", kPdf).status, 201);
  EXPECT_EQ(storedFiles(), 1);
  // Both download, each under its own name.
  auto b = attachments(bob, second);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0]["name"], "copy.pdf");
  EXPECT_EQ(download(bob, b[0]["url"]).body, kPdf);
  // Another organization's copy is its own.
  server.initOrganization("Rival", "owner@rival.example");
  auto rival_key = *server.app().createApiKey("Rival", "ERP");
  auto [rival_company, rita] = server.companyWithAdmin(rival_key, "R", "rita@r.example");
  auto theirs = open(rita, {{"company_id", rival_company}})["id"].get<std::int64_t>();
  ASSERT_EQ(upload(rita, theirs, "a.pdf", kPdf).status, 201);
  EXPECT_EQ(storedFiles(), 2);
}

TEST_F(CaseAttachmentsTest, InternalFilesAreForStaffAndCustomersOnlyAttachPublicOnes) {
  auto id = openCase(ada);
  MultipartBody note;
  note.files.push_back({"file", "contract.pdf", "application/pdf", kPdf});
  note.fields.push_back({"internal", "true"});
  auto r = upload(support, id, note);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["internal"], true);
  EXPECT_EQ(r.json()["by_staff"], true);
  auto url = r.json()["url"].get<std::string>();
  EXPECT_TRUE(attachments(ada, id).empty());
  EXPECT_EQ(call("GET", casePath(id), ada).body.find("contract.pdf"), std::string::npos);
  EXPECT_EQ(download(ada, url).status, 404);
  EXPECT_EQ(attachments(support, id).size(), 1u);
  EXPECT_EQ(download(support, url).status, 200);
  // A customer cannot attach an internal file.
  EXPECT_EQ(upload(ada, id, note).status, 403);
  MultipartBody odd;
  odd.files.push_back({"file", "a.png", "image/png", kPng});
  odd.fields.push_back({"internal", "yes"});
  EXPECT_EQ(upload(support, id, odd).status, 400);
  EXPECT_EQ(attachments(support, id).size(), 1u);
}

TEST_F(CaseAttachmentsTest, SiteScopeReadOnlyRolesAndClosedCasesHoldForFiles) {
  auto at_north = openCase(ada, {{"site_id", site1}});
  auto r = upload(ada, at_north, "north.png", kPng);
  ASSERT_EQ(r.status, 201);
  auto url = r.json()["url"].get<std::string>();
  EXPECT_EQ(download(bob, url).status, 200);
  // Bob sees only South: the case at North and its file are 404.
  setBob({{"sites", json::array({site2})}});
  EXPECT_EQ(download(bob, url).status, 404);
  EXPECT_EQ(upload(bob, at_north, "x.png", kPng).status, 404);
  // A read-only member downloads but does not upload.
  setBob({{"sites", "all"}, {"role", "read_only"}});
  EXPECT_EQ(download(bob, url).status, 200);
  EXPECT_EQ(upload(bob, at_north, "x.png", kPng).status, 403);
  // A closed case takes no more files from the customer (a comment opens a new case).
  ASSERT_EQ(call("PATCH", casePath(at_north), ada, {{"status", "closed"}}).status, 200);
  EXPECT_EQ(upload(ada, at_north, "late.png", kPng).status, 409);
  EXPECT_EQ(attachments(ada, at_north).size(), 1u);
}

// The pages: files come with the new case and with a reply, appear in the conversation and
// download with the session; a file of an internal note stays on the staff side; the ERP hears
// of the public reply's files.
TEST_F(CaseAttachmentsTest, FilesTravelWithTheFormsOfThePages) {
  auto customer = signIn("bob@a.example", bob_secret);
  customer.get("/cases/new");
  MultipartBody form;
  form.fields = {{"company_id", std::to_string(company)},
                 {"subject", "Display flickers"},
                 {"description", "See the photo."},
                 {"priority", "normal"}};
  form.files.push_back({"file", "photo.jpg", "image/jpeg", "\xFF\xD8\xFF\xE0 jpeg bytes"});
  auto made = customer.postMultipart("/cases/new", form);
  ASSERT_EQ(made.status, 303) << made.body;
  auto where = made.header("location");
  auto page = customer.get(where).body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      page, m, std::regex("href=\"(" + where + "/attachments/[0-9]+)\" download>photo.jpg")))
      << page;
  auto photo = customer.get(m[1].str());
  EXPECT_EQ(photo.status, 200);
  EXPECT_EQ(photo.header("content-type"), "image/jpeg");
  EXPECT_TRUE(photo.header("content-disposition").starts_with("attachment;"));

  // Staff add an internal note with a file, and a public reply with another.
  auto staff = signIn("sam@vendor.example", sam_secret);
  staff.get(where);
  MultipartBody note;
  note.fields = {{"body", "Known fault, see the report"}, {"internal", "1"}};
  note.files.push_back({"file", "fault-report.pdf", "application/pdf", kPdf});
  ASSERT_EQ(staff.postMultipart(where + "/comments", note).status, 303);
  MultipartBody reply;
  reply.fields = {{"body", "Here is the manual."}};
  reply.files.push_back({"file", "manual.pdf", "application/pdf", kPdf + "manual"});
  ASSERT_EQ(staff.postMultipart(where + "/comments", reply).status, 303);
  auto staff_page = staff.get(where).body;
  EXPECT_NE(staff_page.find("fault-report.pdf"), std::string::npos);
  page = customer.get(where).body;
  EXPECT_NE(page.find("manual.pdf"), std::string::npos);
  EXPECT_EQ(page.find("fault-report.pdf"), std::string::npos);
  ASSERT_TRUE(std::regex_search(
      staff_page, m,
      std::regex("href=\"(" + where + "/attachments/[0-9]+)\" download>fault-report.pdf")));
  EXPECT_EQ(customer.get(m[1].str()).status, 404);

  // A refused file brings the form back with the message, and the reply is not kept.
  MultipartBody bad;
  bad.fields = {{"body", "And this page"}};
  bad.files.push_back({"file", "page.png", "image/png", "<html>hi</html>"});
  auto refused = customer.postMultipart(where + "/comments", bad);
  EXPECT_EQ(refused.status, 415);
  EXPECT_NE(refused.body.find("page.png"), std::string::npos);
  EXPECT_EQ(customer.get(where).body.find("And this page"), std::string::npos);
  // Without the CSRF token, a multipart form is refused like any other.
  auto forged = server.request("POST", where + "/comments", reply.str(),
                               {"Content-Type: " + reply.contentType()});
  EXPECT_EQ(forged.status, 403);

  // The ERP hears of the public reply's file, never of the internal one.
  bool reply_event = false;
  for (const auto& e : events("case.commented")) {
    EXPECT_EQ(e.dump().find("fault-report.pdf"), std::string::npos);
    for (const auto& f : e["data"]["attachments"]) reply_event |= f["name"] == "manual.pdf";
  }
  EXPECT_TRUE(reply_event);
}

}  // namespace
}  // namespace portico::testing
