#include "http/request_head.h"

#include "core/text.h"

namespace portico::http {

HeadScan scanRequestHead(std::string_view buffered, std::size_t limit) {
  using Outcome = HeadScan::Outcome;
  std::size_t start = 0;
  // Empty lines before the request line.
  while (buffered.substr(start, 2) == "\r\n") start += 2;
  std::size_t line_start = start;
  for (std::size_t i = start; i < buffered.size(); ++i) {
    if (i >= limit) return {Outcome::TooLarge, 0};
    if (buffered[i] != '\n') continue;
    if (i == 0 || buffered[i - 1] != '\r') return {Outcome::Malformed, 0};
    if (i == line_start + 1 && line_start > start) {
      return {Outcome::Complete, i + 1};  // the empty line after the fields
    }
    line_start = i + 1;
    // obs-fold: a field line that begins with white space (also right after the request line).
    if (line_start < buffered.size() &&
        (buffered[line_start] == ' ' || buffered[line_start] == '\t')) {
      return {Outcome::Malformed, 0};
    }
  }
  if (buffered.size() >= limit) return {Outcome::TooLarge, 0};
  return {Outcome::NeedMore, 0};
}

std::string_view requestTarget(std::string_view buffered) {
  while (buffered.starts_with("\r\n")) buffered.remove_prefix(2);
  buffered = buffered.substr(0, buffered.find_first_of("\r\n"));
  auto first = buffered.find(' ');
  if (first == std::string_view::npos) return {};
  auto target = buffered.substr(first + 1);
  return target.substr(0, target.find(' '));
}

std::string_view framingFault(std::span<const std::string_view> transfer_encodings,
                              std::span<const std::string_view> content_lengths) {
  if (!transfer_encodings.empty() && !content_lengths.empty()) {
    return "Transfer-Encoding and Content-Length together";
  }
  if (transfer_encodings.size() > 1) return "Transfer-Encoding repeated";
  if (transfer_encodings.size() == 1 &&
      core::asciiLower(core::trim(transfer_encodings.front())) != "chunked") {
    return "Unsupported Transfer-Encoding";
  }
  if (content_lengths.size() > 1) return "Content-Length repeated";
  if (content_lengths.size() == 1 && content_lengths.front().find(',') != std::string_view::npos) {
    return "Content-Length repeated";
  }
  return {};
}

}  // namespace portico::http
