#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portico::http {

using Params = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX escapes (and '+' as space when plus_as_space). Returns nullopt for a malformed
// escape or a result that is not clean UTF-8 (NUL, control characters, overlong forms).
// Decoding happens once; a decoded "%2e" is never decoded again.
std::optional<std::string> percentDecode(std::string_view in, bool plus_as_space);

// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
std::string percentEncode(std::string_view in);

// Parses "a=1&b=2" (query strings and application/x-www-form-urlencoded bodies). Returns nullopt
// for malformed input or a name given twice (so `?id=1&id=2` cannot smuggle a second value).
std::optional<Params> parseFormEncoded(std::string_view in);

// Parses a Cookie header ("a=1; b=2"). Malformed pairs are skipped; the first of a repeated name
// wins.
Params parseCookies(std::string_view header);

// The value of `name` in `params`, if present.
std::optional<std::string> findParam(const Params& params, std::string_view name);

// True for a same-origin relative path that is safe to redirect to after sign-in: starts with a
// single '/', no "//", no backslash, no scheme, no control characters.
bool isSafeRedirectPath(std::string_view path);

}  // namespace portico::http
