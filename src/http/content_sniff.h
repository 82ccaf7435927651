#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace portico::http {

// The type of an uploaded file as decided from its bytes.
struct SniffedType {
  std::string mime;       // safe to serve: never text/html, image/svg+xml or another active type
  std::string extension;  // lower case, without the dot: "png", "docx", "txt"
};

// The type of `data` if it is one of the allow-list, else nullopt. Decided from the content's
// magic bytes; the client's Content-Type is never consulted, and `filename` (only its extension
// after the last '.', in any case) only chooses among types that share a container:
//   - PNG, JPEG, GIF (87a/89a), WebP (RIFF…WEBP), PDF (%PDF-): by their signature;
//   - a ZIP (a local file header first) is an OOXML document when the extension is docx, xlsx or
//     pptx and its entries (the first one and those of the central directory) name both
//     [Content_Types].xml and an entry under word/, xl/ or ppt/ respectively; an ODF document
//     when the extension is odt, ods or odp and its first entry is an uncompressed "mimetype"
//     holding that type's name; otherwise application/zip;
//   - an OLE2 compound file (D0 CF 11 E0 A1 B1 1A E1) is a .doc or an .xls by the extension, and
//     refused with any other (it may be an installer or a mail);
//   - anything else is text when it is well-formed UTF-8 (a BOM allowed) without NUL or other
//     control characters but tab, CR and LF, and its first byte that is not white space is not
//     '<' (HTML, SVG, XML and scripts are refused, whatever they are called): text/csv for the
//     extension csv, else text/plain, both with "; charset=utf-8". Empty data is text.
std::optional<SniffedType> sniffContentType(std::string_view data, std::string_view filename);

// The name to keep for a file of `type` uploaded as `filename` (a name parseMultipart cleaned):
// the name itself when its extension is the type's (jpeg and jpe count for jpg; log, text and md
// for txt), else the name with the type's extension added ("run.bat" is text: "run.bat.txt"), so
// that saving a download never yields a file the desktop would run or open as something else.
// "file.<extension>" for an empty name.
std::string safeFileName(std::string_view filename, const SniffedType& type);

}  // namespace portico::http
