// The type of an uploaded file, from its bytes and an allow-list: what is accepted, what each
// answers, and what is refused whatever it is called.
#include "http/content_sniff.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portico::http {
namespace {

using namespace std::string_literals;

// The mime type sniffed, or "refused".
std::string mimeOf(std::string_view data, std::string_view filename) {
  auto type = sniffContentType(data, filename);
  return type ? type->mime : "refused";
}

std::string le16(std::uint32_t v) {
  return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
}
std::string le32(std::uint32_t v) { return le16(v & 0xFFFF) + le16(v >> 16); }

// A ZIP archive of uncompressed entries, as a zip tool writes it: local headers with the data,
// then the central directory and its end record (the CRCs are left zero: nothing here checks
// them).
std::string zipOf(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  std::string central;
  for (const auto& [name, data] : entries) {
    auto offset = static_cast<std::uint32_t>(out.size());
    auto size = static_cast<std::uint32_t>(data.size());
    auto name_len = static_cast<std::uint32_t>(name.size());
    out += "PK\x03\x04"s + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(size) +
           le32(size) + le16(name_len) + le16(0) + name + data;
    central += "PK\x01\x02"s + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) +
               le32(0) + le32(size) + le32(size) + le16(name_len) + le16(0) + le16(0) + le16(0) +
               le16(0) + le32(0) + le32(offset) + name;
  }
  auto count = static_cast<std::uint32_t>(entries.size());
  auto central_at = static_cast<std::uint32_t>(out.size());
  out += central;
  out += "PK\x05\x06"s + le16(0) + le16(0) + le16(count) + le16(count) +
         le32(static_cast<std::uint32_t>(central.size())) + le32(central_at) + le16(0);
  return out;
}

std::string docxLike() {
  return zipOf({{"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"},
                {"_rels/.rels", "<Relationships/>"},
                {"word/document.xml", "<w:document/>"}});
}

const std::string kPngHeader = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0"s;

TEST(ContentSniffTest, AcceptsARealPngHeader) {
  auto type = sniffContentType(kPngHeader, "photo.png");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->mime, "image/png");
  EXPECT_EQ(type->extension, "png");
  // The content decides, not the name.
  EXPECT_EQ(mimeOf(kPngHeader, "notes.txt"), "image/png");
  EXPECT_EQ(mimeOf(kPngHeader, ""), "image/png");
}

TEST(ContentSniffTest, AcceptsTheOtherImages) {
  EXPECT_EQ(mimeOf("\xff\xd8\xff\xe0\0\x10JFIF\0"s, "a.jpeg"), "image/jpeg");
  EXPECT_EQ(sniffContentType("\xff\xd8\xff\xe0"s, "a.jpeg")->extension, "jpg");
  EXPECT_EQ(mimeOf("GIF89a\x01\0\x01\0"s, "a.gif"), "image/gif");
  EXPECT_EQ(mimeOf("GIF87a\x01\0\x01\0"s, "a.gif"), "image/gif");
  EXPECT_EQ(mimeOf("RIFF\x24\0\0\0WEBPVP8 "s, "a.webp"), "image/webp");
  EXPECT_EQ(mimeOf("RIFF\x24\0\0\0WAVEfmt "s, "a.webp"), "refused");  // a RIFF, but not WebP
}

TEST(ContentSniffTest, AcceptsAPdf) {
  auto type = sniffContentType("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"s, "invoice.pdf");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->mime, "application/pdf");
  EXPECT_EQ(type->extension, "pdf");
}

TEST(ContentSniffTest, RecognisesADocxLikeZipByItsExtension) {
  auto type = sniffContentType(docxLike(), "Offer.DOCX");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->mime, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(type->extension, "docx");
  // Under another name it is a ZIP; called xlsx, its entries do not match and it is a ZIP too.
  EXPECT_EQ(mimeOf(docxLike(), "archive.zip"), "application/zip");
  EXPECT_EQ(mimeOf(docxLike(), "sheet.xlsx"), "application/zip");
  auto xlsx = zipOf({{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<workbook/>"}});
  EXPECT_EQ(mimeOf(xlsx, "sheet.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  // A ZIP with a word/ folder but no [Content_Types].xml is no OOXML document.
  EXPECT_EQ(mimeOf(zipOf({{"word/document.xml", "<w:document/>"}}), "a.docx"), "application/zip");
}

TEST(ContentSniffTest, RecognisesOdfByItsMimetypeEntry) {
  auto odt = zipOf(
      {{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", "<office/>"}});
  EXPECT_EQ(mimeOf(odt, "letter.odt"), "application/vnd.oasis.opendocument.text");
  EXPECT_EQ(mimeOf(odt, "letter.ods"), "application/zip");  // the mimetype says text
  auto late = zipOf(
      {{"content.xml", "<office/>"}, {"mimetype", "application/vnd.oasis.opendocument.text"}});
  EXPECT_EQ(mimeOf(late, "letter.odt"), "application/zip");  // mimetype must come first
}

TEST(ContentSniffTest, SurvivesADamagedZip) {
  std::string zip = docxLike();
  EXPECT_EQ(mimeOf(zip.substr(0, 40), "a.docx"), "application/zip");
  EXPECT_EQ(mimeOf(zip.substr(0, 4), "a.docx"), "application/zip");
  std::string bad_directory = zip;
  bad_directory.replace(bad_directory.size() - 6, 4, "\xff\xff\xff\xff");  // its offset
  // Only the first entry is left to read, and it is no word/ part.
  EXPECT_EQ(mimeOf(bad_directory, "a.docx"), "application/zip");
}

TEST(ContentSniffTest, AcceptsLegacyOfficeOnlyAsDocOrXls) {
  std::string ole2 = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"s + std::string(504, '\0');
  EXPECT_EQ(mimeOf(ole2, "old.doc"), "application/msword");
  EXPECT_EQ(mimeOf(ole2, "old.XLS"), "application/vnd.ms-excel");
  EXPECT_EQ(mimeOf(ole2, "setup.msi"), "refused");
  EXPECT_EQ(mimeOf(ole2, "old"), "refused");
}

TEST(ContentSniffTest, AcceptsPlainTextAndCsvAsUtf8) {
  auto csv = sniffContentType("id;name\r\n1;Grusbolaget AB\r\n", "export.csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->mime, "text/csv; charset=utf-8");
  EXPECT_EQ(csv->extension, "csv");
  auto text = sniffContentType(
      "Hej!\n\tGr\xc3\xbc\xc3\x9f"
      "e 1 < 2\n",
      "log.txt");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->mime, "text/plain; charset=utf-8");
  EXPECT_EQ(text->extension, "txt");
  EXPECT_EQ(mimeOf("\xef\xbb\xbfwith a BOM", "a.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(mimeOf("id,name\n", "noextension"), "text/plain; charset=utf-8");
  EXPECT_EQ(mimeOf("", "empty.txt"), "text/plain; charset=utf-8");
  // Text called .html is still only text: the type never becomes HTML.
  EXPECT_EQ(mimeOf("plain words", "page.html"), "text/plain; charset=utf-8");
}

TEST(ContentSniffTest, RefusesHtmlRenamedPng) {
  EXPECT_EQ(mimeOf("<!DOCTYPE html><html><script>alert(1)</script>", "photo.png"), "refused");
  EXPECT_EQ(mimeOf("\r\n  <html><body>", "photo.png"), "refused");
  EXPECT_EQ(mimeOf("\xef\xbb\xbf<html>", "a.txt"), "refused");  // after a BOM too
  EXPECT_EQ(mimeOf("<script>alert(1)</script>", "a.csv"), "refused");
}

TEST(ContentSniffTest, RefusesSvgAndXml) {
  EXPECT_EQ(mimeOf("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>", "logo.svg"),
            "refused");
  EXPECT_EQ(
      mimeOf("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "logo.png"),
      "refused");
}

TEST(ContentSniffTest, RefusesBinaryGarbage) {
  EXPECT_EQ(mimeOf("\x7f"
                   "ELF\x02\x01\x01\0\0\0"s,
                   "tool.txt"),
            "refused");
  EXPECT_EQ(mimeOf("MZ\x90\0\x03\0\0\0"s, "setup.exe"), "refused");
  EXPECT_EQ(mimeOf("\x00\x01\x02\x03\xfe\xff"s, "a.bin"), "refused");
  EXPECT_EQ(mimeOf("text with a NUL\0inside"s, "a.txt"), "refused");
  EXPECT_EQ(mimeOf("escape \x1b[31m", "a.txt"), "refused");
  EXPECT_EQ(mimeOf("broken \xc3\x28 utf-8", "a.txt"), "refused");
  EXPECT_EQ(mimeOf("\x89PNG\r\n", "cut.png"), "refused");  // too short for the signature
}

TEST(ContentSniffTest, AKeptNameEndsInItsTypesExtension) {
  SniffedType text{"text/plain; charset=utf-8", "txt"};
  SniffedType jpeg{"image/jpeg", "jpg"};
  SniffedType pdf{"application/pdf", "pdf"};
  EXPECT_EQ(safeFileName("notes.txt", text), "notes.txt");
  EXPECT_EQ(safeFileName("server.log", text), "server.log");
  EXPECT_EQ(safeFileName("README.MD", text), "README.MD");
  EXPECT_EQ(safeFileName("run.bat", text), "run.bat.txt");
  EXPECT_EQ(safeFileName("page.html", text), "page.html.txt");
  EXPECT_EQ(safeFileName("Makefile", text), "Makefile.txt");
  EXPECT_EQ(safeFileName("IMG_1.JPEG", jpeg), "IMG_1.JPEG");
  EXPECT_EQ(safeFileName("photo.jpe", jpeg), "photo.jpe");
  EXPECT_EQ(safeFileName("scan.png", pdf), "scan.png.pdf");
  EXPECT_EQ(safeFileName("", pdf), "file.pdf");
}

}  // namespace
}  // namespace portico::http
