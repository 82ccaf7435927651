#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace portico::integration {

// One record line of an NDJSON body: its 1-based line number in the body, and its text without
// the line break (LF, or CR LF).
struct NdjsonLine {
  std::size_t number = 0;
  std::string_view text;
};

// The record lines of an NDJSON body (application/x-ndjson: one JSON value a line), views into
// `body`. Blank lines (nothing, or only spaces and tabs, before the line break) are skipped but
// keep their place in the numbering; a last line without a line break counts. nullopt if there
// are more than `max_lines` record lines (stops reading there). Never fails otherwise: whether a
// line is JSON is for each line to tell (parseRecord in integration_api.h).
std::optional<std::vector<NdjsonLine>> splitNdjson(std::string_view body, std::size_t max_lines);

// Whether a Content-Type header names NDJSON: "application/x-ndjson", in any case, with or
// without parameters ("; charset=utf-8").
bool isNdjsonContentType(std::string_view content_type);

}  // namespace portico::integration
