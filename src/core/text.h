#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::core {

// URL-safe base64 without padding (RFC 4648 §5).
std::string base64UrlEncode(std::string_view bytes);
// The bytes that base64UrlEncode wrote as `text`; nullopt for anything else.
std::optional<std::string> base64UrlDecode(std::string_view text);

// Lower-case hex of bytes.
std::string hexEncode(std::string_view bytes);

// SHA-256 of `data` as lower-case hex; how tokens are stored (never the token itself).
std::string sha256Hex(std::string_view data);

// HMAC-SHA256 of `message` keyed with `key`: the 32 raw bytes.
std::string hmacSha256(std::string_view key, std::string_view message);

// Compares in time independent of where the strings differ (length may leak).
bool constantTimeEquals(std::string_view a, std::string_view b);

// ASCII lower-casing; e-mail addresses are compared this way.
std::string asciiLower(std::string_view s);

// Without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);

// True if `s` is well-formed UTF-8 (no overlong forms, no surrogates) with no NUL or other C0
// control character except, when allow_newlines, CR, LF and TAB.
bool isCleanUtf8(std::string_view s, bool allow_newlines = false);

// Number of Unicode code points in well-formed UTF-8.
std::size_t codePointCount(std::string_view s);

// Appends `s` to `out` as the inside of a JSON string (quotes not included).
void appendJsonEscaped(std::string& out, std::string_view s);

// A rough e-mail shape check: one '@', non-empty local part, a dot in the domain, no spaces or
// control characters, at most 254 bytes.
bool looksLikeEmail(std::string_view s);

// Seconds since 1970 as an RFC 3339 time in UTC: "2026-12-01T10:00:00Z" (the API's times).
std::string rfc3339(std::int64_t seconds);
// The seconds since 1970 of an RFC 3339 date-time ("2026-12-01T10:00:00Z", "…T11:00:00+01:00",
// fractions of a second allowed and dropped; "T" and "Z" in either case), years 1970 to 9999;
// nullopt for anything else (a date alone, a missing offset, February 30, hour 24, a leap second).
std::optional<std::int64_t> parseRfc3339(std::string_view text);

// The decimal number `text` if it is one from 1 to `max` (digits only: no sign, no spaces);
// nullopt otherwise.
std::optional<std::int64_t> positiveNumber(std::string_view text, std::int64_t max);

}  // namespace portico::core
