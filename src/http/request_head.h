#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace portico::http {

// What the bytes read so far say about a request's head (start line and header fields), before
// Beast parses it. Beast accepts obs-fold (folding it into the value) and bare LF line ends in
// some places; a request that a proxy in front might frame differently must be refused, not
// guessed at (RFC 9112 §2.2, §5.2).
struct HeadScan {
  enum class Outcome {
    NeedMore,   // no end of head yet, and within the limit
    Complete,   // the head ends (CRLF CRLF) at `size` bytes
    TooLarge,   // no end within `limit` bytes: 431
    Malformed,  // a bare LF or an obs-fold line: 400
  };
  Outcome outcome = Outcome::NeedMore;
  std::size_t size = 0;  // Complete: bytes of the head, the blank line included
};

// Scans `buffered` (the connection's unread bytes, from the start of a request) for the end of
// the head. Empty lines before the request line are allowed, as RFC 9112 §2.2 recommends.
HeadScan scanRequestHead(std::string_view buffered, std::size_t limit);

// The target of the request line at the start of `buffered`, or empty: to answer an error about
// a head that Beast never parsed in JSON for an /api path.
std::string_view requestTarget(std::string_view buffered);

// Why the message framing of a request is refused, or empty if it is fine. `transfer_encodings`
// and `content_lengths` are the values of every Transfer-Encoding and Content-Length field, in
// order. Refused (RFC 9112 §6.1, §6.3): any Transfer-Encoding but a single "chunked" (a coding
// Portico does not decode, or one that does not end in chunked, would leave the body's length to
// guesswork); a repeated Content-Length, even with equal values, or a list of values; and both
// fields together.
std::string_view framingFault(std::span<const std::string_view> transfer_encodings,
                              std::span<const std::string_view> content_lengths);

}  // namespace portico::http
