// The headers of a download: the file is saved, never shown, whatever its name holds.
#include "http/download.h"

#include <gtest/gtest.h>

namespace portico::http {
namespace {

TEST(DownloadTest, APlainNameIsQuotedAndEncodedAsItIs) {
  EXPECT_EQ(attachmentDisposition("report-2026.pdf"),
            "attachment; filename=\"report-2026.pdf\"; filename*=UTF-8''report-2026.pdf");
}

TEST(DownloadTest, QuotesBackslashesAndSemicolonsCannotEndTheParameter) {
  EXPECT_EQ(attachmentDisposition("a\";x=.html"),
            "attachment; filename=\"a_;x=.html\"; filename*=UTF-8''a%22%3Bx%3D.html");
  EXPECT_EQ(attachmentDisposition("back\\slash 100%.txt"),
            "attachment; filename=\"back_slash 100_.txt\"; "
            "filename*=UTF-8''back%5Cslash%20100%25.txt");
}

TEST(DownloadTest, NonAsciiNamesKeepTheirUtf8InTheExtendedValueOnly) {
  // "Åsa.pdf", and a right-to-left override that would show "fdp.exe" as "exe.pdf".
  EXPECT_EQ(attachmentDisposition("\xC3\x85sa.pdf"),
            "attachment; filename=\"__sa.pdf\"; filename*=UTF-8''%C3%85sa.pdf");
  EXPECT_EQ(attachmentDisposition("x\xE2\x80\xAE"
                                  "fdp.exe"),
            "attachment; filename=\"x___fdp.exe\"; filename*=UTF-8''x%E2%80%AEfdp.exe");
  // Control characters never reach the header.
  auto d = attachmentDisposition("a\r\nSet-Cookie: x=1");
  EXPECT_EQ(d.find('\r'), std::string::npos);
  EXPECT_EQ(d.find('\n'), std::string::npos);
}

TEST(DownloadTest, AnEmptyNameIsFile) {
  EXPECT_EQ(attachmentDisposition(""), "attachment; filename=\"file\"; filename*=UTF-8''file");
}

TEST(DownloadTest, ADownloadCarriesItsSafetyHeaders) {
  auto r = download("%PDF-1.7", "application/pdf", "a.pdf", "abc123");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "%PDF-1.7");
  EXPECT_EQ(r.header("content-type"), "application/pdf");
  EXPECT_TRUE(r.header("content-disposition").starts_with("attachment; "));
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.header("content-security-policy"), "default-src 'none'; sandbox");
  EXPECT_EQ(r.header("etag"), "\"abc123\"");
  EXPECT_EQ(download("x", "text/plain; charset=utf-8", "x.txt").header("etag"), "");
}

}  // namespace
}  // namespace portico::http
