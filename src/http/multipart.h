#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace portico::http {

// The boundary of a Content-Type header value that names multipart/form-data
// ("multipart/form-data; boundary=----x" or boundary="a b"), or nullopt. The type and the
// parameter names are matched in any case; the boundary is returned as sent. nullopt for another
// type, a missing, empty or repeated boundary, malformed parameters (RFC 9110 §5.6.6: no spaces
// around '='), or a boundary outside RFC 2046 §5.1.1: 1 to 70 characters of DIGIT / ALPHA /
// '()+_,-./:=? and space (only when quoted, and never last). A token boundary may use only the
// characters of that set that are token characters (DIGIT / ALPHA / '+_-.). A backslash is not a
// boundary character, so a quoted boundary never holds a quoted-pair.
std::optional<std::string> multipartBoundary(std::string_view content_type);

// What parseMultipart accepts at most.
struct MultipartLimits {
  std::size_t max_part_bytes = 10 * 1024 * 1024;   // the data of one part
  std::size_t max_total_bytes = 25 * 1024 * 1024;  // the whole body
  std::size_t max_parts = 20;
  std::size_t max_header_bytes = 8 * 1024;  // the header fields of one part, line breaks included
};

// One part of a multipart/form-data body.
struct MultipartPart {
  std::string name;  // Content-Disposition's name, not empty
  // Content-Disposition's filename (filename* if both are sent), reduced to what follows its last
  // '/' or '\'. Absent for a plain field; empty for a file input with no file chosen
  // (filename="", which browsers send with empty data). Otherwise clean UTF-8, without control
  // characters, at most 255 bytes, and neither "." nor "..". Characters that browsers
  // percent-encode in filename="…" (%22 for '"') are left as sent.
  std::optional<std::string> filename;
  std::string content_type;  // the part's Content-Type as sent (a claim: never trust it), or empty
  std::string data;
};

// The parts of a multipart/form-data body (RFC 7578, RFC 2046 §5.1), in order, or an Error whose
// key is one of "errors.multipart.*". Strict: every line break is CR LF; the body is
//   [preamble CRLF] --boundary CRLF part *(CRLF --boundary CRLF part) CRLF --boundary-- [CRLF
//   epilogue]
// with at least one part, no transport padding after a delimiter, and a closing delimiter (a
// truncated body is an error). The preamble and the epilogue are skipped, at most 1 KiB each.
// A part is header field lines, an empty line and its data; the fields are `name: value` lines
// (token names, no obs-fold, values of clean UTF-8 without control characters), none repeated
// (names compared in any case), and must include
//   Content-Disposition: form-data; name="…"[; filename="…"][; filename*=UTF-8''…]
// with a non-empty name. Parameters may be tokens or quoted strings; a backslash in a quoted
// string is an ordinary character (browsers do not escape it) and a '"' ends it. filename* is RFC
// 8187's ext-value in UTF-8 (any language tag). Content-Transfer-Encoding, if sent, must be
// 7bit, 8bit or binary (nothing is decoded); other fields are ignored. Names may repeat across
// parts (several files under one name): that is for the caller to judge.
//
// Errors: PayloadTooLarge when the body exceeds limits.max_total_bytes ("errors.multipart.
// too_large") or the data of a part exceeds limits.max_part_bytes ("errors.multipart.
// part_too_large", its field the part's name), both with argument "max"; InvalidInput for
// everything else, including more than limits.max_parts parts and header fields over
// limits.max_header_bytes (both with "max"). `boundary` is the value of multipartBoundary; an
// invalid one is InvalidInput too.
core::Result<std::vector<MultipartPart>> parseMultipart(std::string_view body,
                                                        std::string_view boundary,
                                                        const MultipartLimits& limits);

}  // namespace portico::http
