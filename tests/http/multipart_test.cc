// The multipart/form-data parser of attachments: the boundary of a Content-Type, the parts of a
// body, and every way a body is refused.
#include "http/multipart.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace portico::http {
namespace {

constexpr std::string_view kBoundary = "----Xyz01";

// One part: its delimiter line, header lines, empty line and data (the CR LF before the next
// delimiter belongs to that delimiter, so it is added here).
std::string part(std::string_view headers, std::string_view data) {
  return "------Xyz01\r\n" + std::string(headers) + "\r\n" + std::string(data) + "\r\n";
}

std::string field(std::string_view name, std::string_view value) {
  return part("Content-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n", value);
}

constexpr std::string_view kClose = "------Xyz01--\r\n";

std::string body(std::string_view parts) { return std::string(parts) + std::string(kClose); }

// The error key of parsing `text`, or "ok".
std::string errorOf(std::string_view text, const MultipartLimits& limits = {}) {
  auto parts = parseMultipart(text, kBoundary, limits);
  return parts ? "ok" : parts.error().key;
}

TEST(MultipartTest, BoundaryOfAFormDataContentType) {
  EXPECT_EQ(multipartBoundary("multipart/form-data; boundary=----WebKitFormBoundaryA1b2"),
            "----WebKitFormBoundaryA1b2");
  EXPECT_EQ(multipartBoundary("Multipart/Form-Data;BOUNDARY=abc"), "abc");
  EXPECT_EQ(multipartBoundary("multipart/form-data; charset=utf-8; boundary=\"a b:c?\""), "a b:c?");
  EXPECT_EQ(multipartBoundary("multipart/form-data; boundary=" + std::string(70, 'x')),
            std::string(70, 'x'));
}

TEST(MultipartTest, NoBoundaryForOtherTypesOrMalformedParameters) {
  EXPECT_FALSE(multipartBoundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(multipartBoundary("application/x-www-form-urlencoded"));
  EXPECT_FALSE(multipartBoundary("multipart/form-data"));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary="));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=\"\""));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=\"ends with space \""));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=\"a\\b\""));  // not a bchar
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=a:b"));  // ':' only when quoted
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=a; boundary=b"));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary = abc"));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=\"abc"));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=abc;"));
}

TEST(MultipartTest, ParsesTwoFields) {
  auto parts = parseMultipart(body(field("subject", "Printer") + field("text", "It jams.\r\n")),
                              kBoundary, {});
  ASSERT_TRUE(parts) << parts.error().key;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "subject");
  EXPECT_EQ((*parts)[0].data, "Printer");
  EXPECT_FALSE((*parts)[0].filename);
  EXPECT_EQ((*parts)[0].content_type, "");
  EXPECT_EQ((*parts)[1].name, "text");
  EXPECT_EQ((*parts)[1].data, "It jams.\r\n");  // line breaks inside the data are kept
}

TEST(MultipartTest, ParsesAFileWithItsFilenameAndType) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  auto parts = parseMultipart(
      body(part("Content-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n"
                "Content-Type: image/png\r\n",
                png)),
      kBoundary, {});
  ASSERT_TRUE(parts) << parts.error().key;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "file");
  EXPECT_EQ((*parts)[0].filename, "photo.png");
  EXPECT_EQ((*parts)[0].content_type, "image/png");
  EXPECT_EQ((*parts)[0].data, png);
}

TEST(MultipartTest, QuotedBoundaryWithASpace) {
  auto boundary = multipartBoundary("multipart/form-data; boundary=\"my boundary\"");
  ASSERT_EQ(boundary, "my boundary");
  std::string text =
      "--my boundary\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--my boundary--";
  auto parts = parseMultipart(text, *boundary, {});
  ASSERT_TRUE(parts) << parts.error().key;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "a");
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(MultipartTest, PrefersFilenameStarAndDecodesIt) {
  auto parts = parseMultipart(
      body(part("Content-Disposition: form-data; name=\"file\"; filename=\"fallback.txt\"; "
                "filename*=UTF-8''r%C3%A4kning%20maj.pdf\r\n",
                "%PDF-1.7")),
      kBoundary, {});
  ASSERT_TRUE(parts) << parts.error().key;
  EXPECT_EQ((*parts)[0].filename, "r\xc3\xa4kning maj.pdf");
  // A language tag is allowed; another charset, a quoted value or a bad escape is not.
  auto withFilenameStar = [](std::string_view value) {
    return errorOf(body(part(
        "Content-Disposition: form-data; name=f; filename*=" + std::string(value) + "\r\n", "x")));
  };
  EXPECT_EQ(withFilenameStar("utf-8'sv'a.txt"), "ok");
  EXPECT_EQ(withFilenameStar("iso-8859-1''a.txt"), "errors.multipart.bad_filename");
  EXPECT_EQ(withFilenameStar("\"UTF-8''a.txt\""), "errors.multipart.bad_filename");
  EXPECT_EQ(withFilenameStar("UTF-8''a%zz.txt"), "errors.multipart.bad_filename");
  EXPECT_EQ(withFilenameStar("UTF-8''a.txt'"), "errors.multipart.bad_filename");
}

TEST(MultipartTest, FilenameIsItsLastPathComponentWithoutControlCharacters) {
  auto filenameOf = [](std::string_view disposition) -> std::optional<std::string> {
    auto parts = parseMultipart(
        body(part("Content-Disposition: form-data; name=f; " + std::string(disposition) + "\r\n",
                  "x")),
        kBoundary, {});
    return parts ? (*parts)[0].filename : std::nullopt;
  };
  EXPECT_EQ(filenameOf("filename=\"C:\\Users\\me\\report.pdf\""), "report.pdf");
  EXPECT_EQ(filenameOf("filename=\"../../etc/passwd\""), "passwd");
  EXPECT_EQ(filenameOf("filename*=UTF-8''..%2F..%2Fa.txt"), "a.txt");
  EXPECT_EQ(filenameOf("filename=\"\""), "");  // a file input with no file chosen
  EXPECT_EQ(
      errorOf(body(part("Content-Disposition: form-data; name=f; filename=\"dir/\"\r\n", ""))),
      "errors.multipart.bad_filename");
  EXPECT_EQ(
      errorOf(body(part("Content-Disposition: form-data; name=f; filename=\"a/..\"\r\n", ""))),
      "errors.multipart.bad_filename");
  EXPECT_EQ(errorOf(body(part(
                "Content-Disposition: form-data; name=f; filename*=UTF-8''a%0Ab.txt\r\n", ""))),
            "errors.multipart.bad_filename");
  EXPECT_EQ(errorOf(body(
                part("Content-Disposition: form-data; name=f; filename*=UTF-8''a%FF.txt\r\n", ""))),
            "errors.multipart.bad_filename");
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data; name=f; filename=\"" +
                                  std::string(256, 'a') + "\"\r\n",
                              ""))),
            "errors.multipart.bad_filename");
}

TEST(MultipartTest, SkipsABoundedPreambleAndEpilogue) {
  std::string text = "This is the preamble.\r\n" + body(field("a", "1")) + "epilogue";
  auto parts = parseMultipart(text, kBoundary, {});
  ASSERT_TRUE(parts) << parts.error().key;
  EXPECT_EQ((*parts)[0].data, "1");
  EXPECT_EQ(errorOf(std::string(2000, 'p') + "\r\n" + body(field("a", "1"))),
            "errors.multipart.preamble_too_long");
  EXPECT_EQ(errorOf(body(field("a", "1")) + std::string(2000, 'e')),
            "errors.multipart.epilogue_too_long");
  EXPECT_EQ(errorOf(field("a", "1") + "------Xyz01--trailing"), "errors.multipart.bad_delimiter");
}

TEST(MultipartTest, RefusesATruncatedBody) {
  std::string whole = body(field("a", "1") + field("b", "22"));
  ASSERT_EQ(errorOf(whole), "ok");
  // Cut anywhere before the closing delimiter's last "--", the body is refused.
  std::size_t end = whole.size() - std::string_view("--\r\n").size();
  for (std::size_t cut = 0; cut < end; ++cut) {
    EXPECT_NE(errorOf(whole.substr(0, cut)), "ok") << cut;
  }
  EXPECT_EQ(errorOf(whole.substr(0, whole.size() / 2)), "errors.multipart.truncated");
  EXPECT_EQ(errorOf(""), "errors.multipart.truncated");
}

TEST(MultipartTest, RefusesABodyWithoutItsClosingDelimiter) {
  EXPECT_EQ(errorOf(field("a", "1")), "errors.multipart.truncated");
  EXPECT_EQ(errorOf(field("a", "1") + "------Xyz01\r\n"), "errors.multipart.truncated");
  EXPECT_EQ(errorOf(field("a", "1") + "------Xyz01"), "errors.multipart.truncated");
  EXPECT_EQ(errorOf(kClose), "errors.multipart.no_parts");
}

TEST(MultipartTest, RefusesLfOnlyLineEndings) {
  EXPECT_EQ(errorOf("------Xyz01\nContent-Disposition: form-data; name=a\n\n1\n------Xyz01--\n"),
            "errors.multipart.bad_delimiter");
  // A bare LF inside the header lines.
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data; name=a\nX-A: b\r\n", "1"))),
            "errors.multipart.bad_header");
  // Transport padding after a delimiter is refused too (no HTTP client sends it).
  EXPECT_EQ(errorOf("------Xyz01 \r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n" +
                    std::string(kClose)),
            "errors.multipart.bad_delimiter");
}

TEST(MultipartTest, RefusesAPartOverTheLimit) {
  MultipartLimits limits;
  limits.max_part_bytes = 10;
  EXPECT_EQ(errorOf(body(field("a", std::string(10, 'x'))), limits), "ok");
  auto parts =
      parseMultipart(body(field("a", "1") + field("big", std::string(11, 'x'))), kBoundary, limits);
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().code, core::ErrorCode::PayloadTooLarge);
  EXPECT_EQ(parts.error().key, "errors.multipart.part_too_large");
  EXPECT_EQ(parts.error().field, "big");
  EXPECT_EQ(parts.error().args, (core::MessageArgs{{"max", "10"}}));
}

TEST(MultipartTest, RefusesABodyOverTheTotalLimit) {
  std::string text = body(field("a", "1"));
  MultipartLimits limits;
  limits.max_total_bytes = text.size();
  EXPECT_EQ(errorOf(text, limits), "ok");
  limits.max_total_bytes = text.size() - 1;
  auto parts = parseMultipart(text, kBoundary, limits);
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().code, core::ErrorCode::PayloadTooLarge);
  EXPECT_EQ(parts.error().key, "errors.multipart.too_large");
}

TEST(MultipartTest, RefusesTooManyParts) {
  MultipartLimits limits;
  limits.max_parts = 2;
  EXPECT_EQ(errorOf(body(field("a", "1") + field("b", "2")), limits), "ok");
  auto parts =
      parseMultipart(body(field("a", "1") + field("b", "2") + field("c", "3")), kBoundary, limits);
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().code, core::ErrorCode::InvalidInput);
  EXPECT_EQ(parts.error().key, "errors.multipart.too_many_parts");
}

TEST(MultipartTest, RefusesHeaderFieldsOverTheLimit) {
  MultipartLimits limits;
  limits.max_header_bytes = 64;
  std::string disposition = "Content-Disposition: form-data; name=a\r\n";  // 40 bytes
  EXPECT_EQ(
      errorOf(body(part(disposition + "X-Pad: " + std::string(15, 'p') + "\r\n", "1")), limits),
      "ok");  // 64 bytes
  EXPECT_EQ(
      errorOf(body(part(disposition + "X-Pad: " + std::string(16, 'p') + "\r\n", "1")), limits),
      "errors.multipart.headers_too_large");
}

TEST(MultipartTest, RefusesAPartWithoutAName) {
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data\r\n", "1"))),
            "errors.multipart.no_name");
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data; name=\"\"\r\n", "1"))),
            "errors.multipart.no_name");
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data; filename=a.txt\r\n", "1"))),
            "errors.multipart.no_name");
}

TEST(MultipartTest, RefusesAPartWithoutFormDataDisposition) {
  EXPECT_EQ(errorOf(body(part("Content-Type: text/plain\r\n", "1"))),
            "errors.multipart.no_disposition");
  EXPECT_EQ(errorOf(body(part("Content-Disposition: attachment; name=a\r\n", "1"))),
            "errors.multipart.no_disposition");
  EXPECT_EQ(errorOf(body(part("", "1"))), "errors.multipart.no_disposition");
}

TEST(MultipartTest, RefusesMalformedHeaderLines) {
  auto withHeaders = [](std::string_view extra) {
    return errorOf(
        body(part("Content-Disposition: form-data; name=a\r\n" + std::string(extra), "1")));
  };
  EXPECT_EQ(withHeaders("Content-Type text/plain\r\n"), "errors.multipart.bad_header");  // no ':'
  EXPECT_EQ(withHeaders(": text/plain\r\n"), "errors.multipart.bad_header");
  EXPECT_EQ(withHeaders("Content Type: text/plain\r\n"), "errors.multipart.bad_header");
  EXPECT_EQ(withHeaders("X-A: b\r\n c\r\n"), "errors.multipart.bad_header");  // obs-fold
  EXPECT_EQ(withHeaders("X-A: b\rc\r\n"), "errors.multipart.bad_header");     // a lone CR
  EXPECT_EQ(withHeaders("X-A: b\x01\r\n"), "errors.multipart.bad_header");
  EXPECT_EQ(withHeaders("Content-Transfer-Encoding: base64\r\n"), "errors.multipart.bad_header");
  EXPECT_EQ(withHeaders("Content-Transfer-Encoding: binary\r\n"), "ok");
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data; name=\"a\r\n", "1"))),
            "errors.multipart.bad_header");  // an unterminated quoted string
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data; name=a; name=b\r\n", "1"))),
            "errors.multipart.bad_header");
}

TEST(MultipartTest, RefusesARepeatedHeader) {
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data; name=a\r\n"
                              "content-disposition: form-data; name=b\r\n",
                              "1"))),
            "errors.multipart.duplicate_header");
  EXPECT_EQ(errorOf(body(part("Content-Disposition: form-data; name=a\r\n"
                              "Content-Type: text/plain\r\nContent-Type: image/png\r\n",
                              "1"))),
            "errors.multipart.duplicate_header");
}

TEST(MultipartTest, RefusesTextAfterADelimiterInsideAPart) {
  // The delimiter must not occur inside a part's data: "--boundaryX" is not data.
  EXPECT_EQ(errorOf(body(field("a", "1\r\n------Xyz01X"))), "errors.multipart.bad_delimiter");
}

TEST(MultipartTest, RefusesAnInvalidBoundary) {
  EXPECT_EQ(parseMultipart(body(field("a", "1")), "", {}).error().key,
            "errors.multipart.bad_boundary");
  EXPECT_EQ(parseMultipart(body(field("a", "1")), std::string(71, 'x'), {}).error().key,
            "errors.multipart.bad_boundary");
}

}  // namespace
}  // namespace portico::http
