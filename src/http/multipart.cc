#include "http/multipart.h"

#include <limits>
#include <set>
#include <utility>

#include "core/text.h"
#include "http/url.h"

namespace portico::http {
namespace {

constexpr std::size_t kMaxBoundary = 70;        // RFC 2046 §5.1.1
constexpr std::size_t kMaxOutsideBytes = 1024;  // the preamble, and the epilogue
constexpr std::size_t kMaxFilenameBytes = 255;  // what most file systems take

using Fields = std::vector<std::pair<std::string, std::string>>;  // lower-cased name, value

struct Param {
  std::string name;  // lower-cased
  std::string value;
  bool quoted = false;
};

bool isAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// tchar of RFC 9110 §5.6.2.
bool isTokenChar(char c) {
  return isAlnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// bcharsnospace of RFC 2046 §5.1.1.
bool isBoundaryChar(char c) {
  return isAlnum(c) || std::string_view("'()+_,-./:=?").find(c) != std::string_view::npos;
}

// attr-char of RFC 8187 §3.2.1.
bool isAttrChar(char c) {
  return isAlnum(c) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

bool isValidBoundary(std::string_view b) {
  if (b.empty() || b.size() > kMaxBoundary || b.back() == ' ') return false;
  for (char c : b) {
    if (c != ' ' && !isBoundaryChar(c)) return false;
  }
  return true;
}

// Without leading and trailing spaces and tabs (OWS); not core::trim, which would also drop a
// stray CR or LF that must be refused.
std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// a + b, or the largest size_t instead of wrapping around.
std::size_t saturatingAdd(std::size_t a, std::size_t b) {
  return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max()
                                                         : a + b;
}

// The parameters after a media type or disposition type: *( OWS ";" OWS token "=" ( token /
// quoted-string ) ) OWS, RFC 9110 §5.6.6. nullopt if malformed or a name repeats. A quoted string
// ends at the next '"'; a backslash in it is an ordinary character.
std::optional<std::vector<Param>> parseParams(std::string_view s) {
  std::vector<Param> out;
  std::set<std::string> names;  // seen so far (a linear search is O(n²) on 8 KiB of parameters)
  std::size_t i = 0;
  auto skipOws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  auto token = [&] {
    std::size_t start = i;
    while (i < s.size() && isTokenChar(s[i])) ++i;
    return s.substr(start, i - start);
  };
  while (true) {
    skipOws();
    if (i == s.size()) return out;
    if (s[i] != ';') return std::nullopt;
    ++i;
    skipOws();
    Param param;
    param.name = core::asciiLower(token());
    if (param.name.empty() || i == s.size() || s[i] != '=') return std::nullopt;
    ++i;
    if (i < s.size() && s[i] == '"') {
      auto close = s.find('"', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      param.value = s.substr(i + 1, close - i - 1);
      param.quoted = true;
      i = close + 1;
    } else {
      param.value = token();
      if (param.value.empty()) return std::nullopt;
    }
    if (!names.insert(param.name).second) return std::nullopt;
    out.push_back(std::move(param));
  }
}

// A header value split into its lower-cased type and its parameters; nullopt if malformed.
std::optional<std::pair<std::string, std::vector<Param>>> splitTypeAndParams(
    std::string_view value) {
  auto semi = value.find(';');
  std::string type = core::asciiLower(trimOws(value.substr(0, semi)));
  if (semi == std::string_view::npos) return std::pair{std::move(type), std::vector<Param>{}};
  auto params = parseParams(value.substr(semi));
  if (!params) return std::nullopt;
  return std::pair{std::move(type), std::move(*params)};
}

const Param* paramNamed(const std::vector<Param>& params, std::string_view name) {
  for (const auto& p : params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const std::string* fieldNamed(const Fields& fields, std::string_view name) {
  for (const auto& [n, v] : fields) {
    if (n == name) return &v;
  }
  return nullptr;
}

// The header fields of a part: `block` is its field lines, each ending in CR LF.
core::Result<Fields> parseFields(std::string_view block) {
  Fields fields;
  std::set<std::string> names;  // seen so far
  while (!block.empty()) {
    auto eol = block.find("\r\n");  // the block ends in CR LF, so there is one
    auto line = block.substr(0, eol);
    block.remove_prefix(eol + 2);
    // A line that starts with white space is obs-fold (RFC 9112 §5.2), refused as in requests.
    if (line.empty() || line.front() == ' ' || line.front() == '\t') {
      return core::fail(core::Error::invalid("errors.multipart.bad_header"));
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return core::fail(core::Error::invalid("errors.multipart.bad_header"));
    }
    auto name = line.substr(0, colon);
    for (char c : name) {
      if (!isTokenChar(c)) return core::fail(core::Error::invalid("errors.multipart.bad_header"));
    }
    auto value = trimOws(line.substr(colon + 1));
    if (!core::isCleanUtf8(value)) {  // also a lone CR or LF inside the line
      return core::fail(core::Error::invalid("errors.multipart.bad_header"));
    }
    std::string lower = core::asciiLower(name);
    if (!names.insert(lower).second) {
      return core::fail(core::Error::invalid("errors.multipart.duplicate_header"));
    }
    fields.emplace_back(std::move(lower), std::string(value));
  }
  return fields;
}

// The value of filename* (RFC 8187 §3.2: charset "'" [language] "'" value-chars), decoded;
// nullopt unless the charset is UTF-8 and the value well formed.
std::optional<std::string> decodeExtValue(std::string_view v) {
  auto first = v.find('\'');
  if (first == std::string_view::npos || core::asciiLower(v.substr(0, first)) != "utf-8") {
    return std::nullopt;
  }
  auto second = v.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  for (char c : v.substr(first + 1, second - first - 1)) {
    if (!isAlnum(c) && c != '-') return std::nullopt;  // a language tag
  }
  auto chars = v.substr(second + 1);
  for (char c : chars) {
    if (!isAttrChar(c) && c != '%') return std::nullopt;
  }
  return percentDecode(chars, /*plus_as_space=*/false);
}

// The last path component of a sent filename, or nullopt if it cannot name a file. An empty
// filename stays empty: a file input with no file chosen.
std::optional<std::string> cleanFilename(std::string_view raw) {
  if (raw.empty()) return std::string();
  if (!core::isCleanUtf8(raw)) return std::nullopt;  // control characters, broken UTF-8
  auto slash = raw.find_last_of("/\\");
  auto base = slash == std::string_view::npos ? raw : raw.substr(slash + 1);
  if (base.empty() || base == "." || base == ".." || base.size() > kMaxFilenameBytes) {
    return std::nullopt;
  }
  return std::string(base);
}

// Fills `part` from the Content-Disposition and the other fields of its header.
core::Status readFields(const Fields& fields, MultipartPart& part) {
  const std::string* disposition = fieldNamed(fields, "content-disposition");
  if (!disposition) return core::fail(core::Error::invalid("errors.multipart.no_disposition"));
  auto split = splitTypeAndParams(*disposition);
  if (!split) return core::fail(core::Error::invalid("errors.multipart.bad_header"));
  const auto& [type, params] = *split;
  if (type != "form-data") {
    return core::fail(core::Error::invalid("errors.multipart.no_disposition"));
  }

  const Param* name = paramNamed(params, "name");
  if (!name || name->value.empty()) {
    return core::fail(core::Error::invalid("errors.multipart.no_name"));
  }
  part.name = name->value;

  // filename* is preferred where a client sends both (RFC 6266 §4.3).
  std::optional<std::string> raw;
  if (const Param* ext = paramNamed(params, "filename*")) {
    if (ext->quoted) return core::fail(core::Error::invalid("errors.multipart.bad_filename"));
    raw = decodeExtValue(ext->value);
    if (!raw) return core::fail(core::Error::invalid("errors.multipart.bad_filename"));
  } else if (const Param* plain = paramNamed(params, "filename")) {
    raw = plain->value;
  }
  if (raw) {
    part.filename = cleanFilename(*raw);
    if (!part.filename) return core::fail(core::Error::invalid("errors.multipart.bad_filename"));
  }

  if (const std::string* type_field = fieldNamed(fields, "content-type")) {
    part.content_type = *type_field;
  }
  // RFC 7578 §4.7 deprecates it; an identity encoding is harmless, any other would leave the data
  // encoded without our knowing.
  if (const std::string* encoding = fieldNamed(fields, "content-transfer-encoding")) {
    std::string lower = core::asciiLower(*encoding);
    if (lower != "binary" && lower != "8bit" && lower != "7bit") {
      return core::fail(core::Error::invalid("errors.multipart.bad_header"));
    }
  }
  return {};
}

// The part that starts at body[pos] (just after a delimiter line), up to the next delimiter;
// `pos` is then just past that delimiter.
core::Result<MultipartPart> readPart(std::string_view body, std::size_t& pos,
                                     std::string_view delimiter, const MultipartLimits& limits) {
  auto rest = body.substr(pos);
  if (rest.starts_with("\r\n")) {  // no header fields at all
    return core::fail(core::Error::invalid("errors.multipart.no_disposition"));
  }
  // The fields end with an empty line, within max_header_bytes (line breaks included).
  auto window = rest.substr(0, saturatingAdd(limits.max_header_bytes, 2));
  auto blank = window.find("\r\n\r\n");
  if (blank == std::string_view::npos) {
    if (window.size() < rest.size()) {
      return core::fail(core::Error::invalid("errors.multipart.headers_too_large")
                            .with("max", std::to_string(limits.max_header_bytes)));
    }
    return core::fail(core::Error::invalid("errors.multipart.truncated"));
  }
  auto fields = parseFields(rest.substr(0, blank + 2));
  if (!fields) return core::fail(std::move(fields.error()));
  MultipartPart part;
  if (auto status = readFields(*fields, part); !status)
    return core::fail(std::move(status.error()));

  // The data ends at the next delimiter, within max_part_bytes.
  std::size_t data_start = pos + blank + 4;
  auto data_window =
      body.substr(data_start, saturatingAdd(limits.max_part_bytes, delimiter.size()));
  auto end = data_window.find(delimiter);
  if (end == std::string_view::npos) {
    if (data_start + data_window.size() < body.size()) {
      core::Error error = core::Error::payloadTooLarge("errors.multipart.part_too_large")
                              .with("max", std::to_string(limits.max_part_bytes));
      error.field = part.name;
      return core::fail(std::move(error));
    }
    return core::fail(core::Error::invalid("errors.multipart.truncated"));
  }
  part.data = data_window.substr(0, end);
  pos = data_start + end + delimiter.size();
  return part;
}

}  // namespace

std::optional<std::string> multipartBoundary(std::string_view content_type) {
  auto split = splitTypeAndParams(content_type);
  if (!split || split->first != "multipart/form-data") return std::nullopt;
  const Param* boundary = paramNamed(split->second, "boundary");
  // A token boundary holds token characters only, so it has no space and none of "(),/:=?".
  if (!boundary || !isValidBoundary(boundary->value)) return std::nullopt;
  return boundary->value;
}

core::Result<std::vector<MultipartPart>> parseMultipart(std::string_view body,
                                                        std::string_view boundary,
                                                        const MultipartLimits& limits) {
  if (body.size() > limits.max_total_bytes) {
    return core::fail(core::Error::payloadTooLarge("errors.multipart.too_large")
                          .with("max", std::to_string(limits.max_total_bytes)));
  }
  if (!isValidBoundary(boundary)) {
    return core::fail(core::Error::invalid("errors.multipart.bad_boundary"));
  }
  const std::string dash_boundary = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + dash_boundary;

  // The first delimiter: at the very start, or after a preamble and its CR LF.
  std::size_t pos = 0;
  if (body.starts_with(dash_boundary)) {
    pos = dash_boundary.size();
  } else {
    auto window = body.substr(0, kMaxOutsideBytes + delimiter.size());
    auto first = window.find(delimiter);
    if (first == std::string_view::npos) {
      if (window.size() < body.size()) {
        return core::fail(core::Error::invalid("errors.multipart.preamble_too_long")
                              .with("max", std::to_string(kMaxOutsideBytes)));
      }
      return core::fail(core::Error::invalid("errors.multipart.truncated"));
    }
    pos = first + delimiter.size();
  }

  std::vector<MultipartPart> parts;
  while (true) {
    // Just after a delimiter: CR LF and a part, or "--" and the end.
    auto after = body.substr(pos, 2);
    if (after == "--") {
      if (parts.empty()) return core::fail(core::Error::invalid("errors.multipart.no_parts"));
      auto epilogue = body.substr(pos + 2);
      if (!epilogue.empty() && !epilogue.starts_with("\r\n")) {
        return core::fail(core::Error::invalid("errors.multipart.bad_delimiter"));
      }
      if (epilogue.size() > kMaxOutsideBytes + 2) {
        return core::fail(core::Error::invalid("errors.multipart.epilogue_too_long")
                              .with("max", std::to_string(kMaxOutsideBytes)));
      }
      return parts;
    }
    if (after != "\r\n") {
      // The body ends inside a delimiter line, or the line goes on (transport padding, a bare LF,
      // or text after the boundary, which must not occur inside a part).
      if (after.size() < 2) return core::fail(core::Error::invalid("errors.multipart.truncated"));
      return core::fail(core::Error::invalid("errors.multipart.bad_delimiter"));
    }
    pos += 2;
    if (parts.size() >= limits.max_parts) {
      return core::fail(core::Error::invalid("errors.multipart.too_many_parts")
                            .with("max", std::to_string(limits.max_parts)));
    }
    auto part = readPart(body, pos, delimiter, limits);
    if (!part) return core::fail(std::move(part.error()));
    parts.push_back(std::move(*part));
  }
}

}  // namespace portico::http
