// Fuzzes the attachment parsers: src/http/multipart.h (the boundary of a Content-Type and the
// parts of a multipart/form-data body) and src/http/content_sniff.h (the type of each file).
// The input's first line is the Content-Type (or, if it names no boundary, the boundary itself)
// and the rest is the body. Small limits, so that inputs of a few KiB reach every limit. Each
// answer is checked against the contracts in the headers; a violation abort()s.

#include "http/multipart.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.h"
#include "http/content_sniff.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void checkBoundary(const std::string& boundary) {
  check(!boundary.empty() && boundary.size() <= 70 && boundary.back() != ' ');
  for (char c : boundary) {
    check(std::string_view(
              "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
              .find(c) != std::string_view::npos);
  }
}

void checkSniff(std::string_view data, std::string_view filename) {
  auto type = portico::http::sniffContentType(data, filename);
  if (!type) return;
  check(!type->mime.empty() && !type->extension.empty());
  // Never a type a browser would render as a document or run: HTML, SVG, XML.
  check(type->mime.find("html") == std::string::npos &&
        type->mime.find("svg") == std::string::npos &&
        type->mime.find("/xml") == std::string::npos && !type->mime.ends_with("xml"));
  if (type->mime.starts_with("text/")) {
    check(type->mime.ends_with("; charset=utf-8"));
    check(portico::core::isCleanUtf8(data, /*allow_newlines=*/true) ||
          (data.starts_with("\xef\xbb\xbf") &&
           portico::core::isCleanUtf8(data.substr(3), /*allow_newlines=*/true)));
    auto first = data.find_first_not_of(" \t\r\n");
    check(first == std::string_view::npos || data[first] != '<');
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto eol = in.find('\n');
  std::string_view first_line = in.substr(0, eol);
  std::string_view body = eol == std::string_view::npos ? std::string_view{} : in.substr(eol + 1);

  auto boundary = portico::http::multipartBoundary(first_line);
  if (boundary) checkBoundary(*boundary);

  portico::http::MultipartLimits limits;
  limits.max_part_bytes = 1000;
  limits.max_total_bytes = 3000;
  limits.max_parts = 5;
  limits.max_header_bytes = 200;
  auto parts =
      portico::http::parseMultipart(body, boundary ? *boundary : std::string(first_line), limits);
  if (parts) {
    check(body.size() <= limits.max_total_bytes);
    check(!parts->empty() && parts->size() <= limits.max_parts);
    std::size_t total = 0;
    std::string delimiter = "\r\n--" + (boundary ? *boundary : std::string(first_line));
    for (const auto& part : *parts) {
      check(!part.name.empty() && portico::core::isCleanUtf8(part.name));
      check(part.data.size() <= limits.max_part_bytes);
      check(part.data.find(delimiter) == std::string::npos);
      if (part.filename) {
        check(part.filename->size() <= 255);
        check(portico::core::isCleanUtf8(*part.filename));
        check(part.filename->find_first_of("/\\") == std::string::npos);
        check(*part.filename != "." && *part.filename != "..");
      }
      total += part.data.size();
      checkSniff(part.data, part.filename.value_or(""));
    }
    check(total <= body.size());
  } else {
    auto code = parts.error().code;
    check(code == portico::core::ErrorCode::InvalidInput ||
          code == portico::core::ErrorCode::PayloadTooLarge);
    check(parts.error().key.starts_with("errors.multipart."));
  }

  // The whole input as a file, under names that choose among the containers' types.
  for (std::string_view filename : {"a.txt", "a.csv", "a.docx", "a.xlsx", "a.odt", "a.doc", ""}) {
    checkSniff(in, filename);
  }
  return 0;
}
