#include "http/content_sniff.h"

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/text.h"

namespace portico::http {
namespace {

using namespace std::string_view_literals;

// Signatures; string_view literals, since some hold NUL bytes.
constexpr std::string_view kPng = "\x89PNG\r\n\x1a\n"sv;
constexpr std::string_view kJpeg = "\xff\xd8\xff"sv;
constexpr std::string_view kOle2 = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"sv;
constexpr std::string_view kZipLocal = "PK\x03\x04"sv;
constexpr std::string_view kZipCentral = "PK\x01\x02"sv;
constexpr std::string_view kZipEnd = "PK\x05\x06"sv;
constexpr std::string_view kUtf8Bom = "\xef\xbb\xbf"sv;

// Sizes of the fixed parts of ZIP records (APPNOTE.TXT §4.3).
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kEndRecordSize = 22;
constexpr std::size_t kMaxZipComment = 0xFFFF;

// The little-endian number of `bytes` bytes at `at`. REQUIRES: at + bytes <= data.size().
std::uint32_t littleEndian(std::string_view data, std::size_t at, std::size_t bytes) {
  std::uint32_t value = 0;
  for (std::size_t i = bytes; i > 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(data[at + i - 1]);
  }
  return value;
}

// The extension of the last path component of `filename`, lower-cased, or empty.
std::string extensionOf(std::string_view filename) {
  auto slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return {};
  return core::asciiLower(filename.substr(dot + 1));
}

// What a ZIP says about itself: its first entry, and the names of its central directory.
struct ZipEntries {
  std::string_view first_name;
  std::string_view first_data;  // only when the first entry is stored uncompressed
  std::vector<std::string_view> names;
};

// REQUIRES: data starts with kZipLocal. Reads what it can; a damaged part is left out.
ZipEntries readZipEntries(std::string_view data) {
  ZipEntries zip;
  if (data.size() >= kLocalHeaderSize) {
    std::size_t method = littleEndian(data, 8, 2);
    std::size_t size = littleEndian(data, 18, 4);
    std::size_t name_len = littleEndian(data, 26, 2);
    std::size_t extra_len = littleEndian(data, 28, 2);
    std::size_t data_at = kLocalHeaderSize + name_len + extra_len;
    if (data_at <= data.size()) {
      zip.first_name = data.substr(kLocalHeaderSize, name_len);
      if (method == 0 && size <= data.size() - data_at) zip.first_data = data.substr(data_at, size);
    }
  }

  // The end of central directory record: the last one, followed by at most a comment.
  if (data.size() < kEndRecordSize) return zip;
  std::size_t end = data.rfind(kZipEnd, data.size() - kEndRecordSize);
  if (end == std::string_view::npos || data.size() - end > kEndRecordSize + kMaxZipComment) {
    return zip;
  }
  std::size_t entries = littleEndian(data, end + 10, 2);
  std::size_t at = littleEndian(data, end + 16, 4);
  for (std::size_t i = 0; i < entries; ++i) {
    if (at > end || end - at < kCentralHeaderSize || data.substr(at, 4) != kZipCentral) break;
    std::size_t name_len = littleEndian(data, at + 28, 2);
    std::size_t extra_len = littleEndian(data, at + 30, 2);
    std::size_t comment_len = littleEndian(data, at + 32, 2);
    if (name_len > end - at - kCentralHeaderSize) break;
    zip.names.push_back(data.substr(at + kCentralHeaderSize, name_len));
    at += kCentralHeaderSize + name_len + extra_len + comment_len;
  }
  return zip;
}

bool namesEntry(const ZipEntries& zip, std::string_view name) {
  if (zip.first_name == name) return true;
  for (auto n : zip.names) {
    if (n == name) return true;
  }
  return false;
}

bool namesEntryUnder(const ZipEntries& zip, std::string_view folder) {
  if (zip.first_name.starts_with(folder)) return true;
  for (auto n : zip.names) {
    if (n.starts_with(folder)) return true;
  }
  return false;
}

struct OfficeType {
  std::string_view extension;
  std::string_view mime;
  std::string_view folder;  // OOXML: where its parts are; empty for ODF
};

constexpr OfficeType kOfficeTypes[] = {
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"},
    {"odt", "application/vnd.oasis.opendocument.text", ""},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", ""},
    {"odp", "application/vnd.oasis.opendocument.presentation", ""},
};

SniffedType sniffZip(std::string_view data, const std::string& extension) {
  for (const auto& office : kOfficeTypes) {
    if (office.extension != extension) continue;
    ZipEntries zip = readZipEntries(data);
    bool matches =
        office.folder.empty()
            ? zip.first_name == "mimetype" && zip.first_data == office.mime
            : namesEntry(zip, "[Content_Types].xml") && namesEntryUnder(zip, office.folder);
    if (matches) return {std::string(office.mime), std::string(office.extension)};
  }
  return {"application/zip", "zip"};
}

std::optional<SniffedType> sniffText(std::string_view data, const std::string& extension) {
  if (data.starts_with(kUtf8Bom)) data.remove_prefix(kUtf8Bom.size());
  if (!core::isCleanUtf8(data, /*allow_newlines=*/true)) return std::nullopt;
  // Markup of any kind starts with '<' (<!DOCTYPE, <html, <svg, <?xml, <script): a browser that
  // second-guesses text/plain would run it, so it is refused outright.
  auto first = data.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && data[first] == '<') return std::nullopt;
  if (extension == "csv") return SniffedType{"text/csv; charset=utf-8", "csv"};
  return SniffedType{"text/plain; charset=utf-8", "txt"};
}

}  // namespace

std::optional<SniffedType> sniffContentType(std::string_view data, std::string_view filename) {
  std::string extension = extensionOf(filename);
  if (data.starts_with(kPng)) return SniffedType{"image/png", "png"};
  if (data.starts_with(kJpeg)) return SniffedType{"image/jpeg", "jpg"};
  if (data.starts_with("GIF87a") || data.starts_with("GIF89a")) {
    return SniffedType{"image/gif", "gif"};
  }
  if (data.size() >= 12 && data.starts_with("RIFF") && data.substr(8, 4) == "WEBP") {
    return SniffedType{"image/webp", "webp"};
  }
  if (data.starts_with("%PDF-")) return SniffedType{"application/pdf", "pdf"};
  if (data.starts_with(kZipLocal)) return sniffZip(data, extension);
  if (data.starts_with(kOle2)) {
    if (extension == "doc") return SniffedType{"application/msword", "doc"};
    if (extension == "xls") return SniffedType{"application/vnd.ms-excel", "xls"};
    return std::nullopt;
  }
  return sniffText(data, extension);
}

std::string safeFileName(std::string_view filename, const SniffedType& type) {
  if (filename.empty()) return "file." + type.extension;
  auto extension = extensionOf(filename);
  auto agrees = [&] {
    if (extension == type.extension) return true;
    if (type.extension == "jpg") return extension == "jpeg" || extension == "jpe";
    if (type.extension == "txt")
      return extension == "log" || extension == "text" || extension == "md";
    return false;
  };
  if (agrees()) return std::string(filename);
  return std::string(filename) + "." + type.extension;
}

}  // namespace portico::http
