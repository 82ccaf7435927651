#include "modules/cases/case_templates/case_template.h"

#include <array>
#include <utility>

namespace portico::cases {

std::string_view templateKindName(TemplateKind k) {
  return k == TemplateKind::Case ? "case" : "reply";
}

std::optional<TemplateKind> parseTemplateKind(std::string_view name) {
  if (name == "reply") return TemplateKind::Reply;
  if (name == "case") return TemplateKind::Case;
  return std::nullopt;
}

std::string fillTemplate(std::string_view text, const Case& c, const std::optional<Person>& me) {
  const std::array<std::pair<std::string_view, std::string>, 7> vars = {{
      {"case_number", caseNumberText(c.number)},
      {"subject", c.subject},
      {"company", c.company_name},
      {"requester_first_name", c.requester ? c.requester->first_name : ""},
      {"requester_name", c.requester ? displayName(*c.requester) : ""},
      {"my_first_name", me ? me->first_name : ""},
      {"my_name", me ? displayName(*me) : ""},
  }};
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    auto open = text.find('{', at);
    if (open == std::string_view::npos) break;
    auto close = text.find('}', open + 1);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    auto name = text.substr(open + 1, close - open - 1);
    bool known = false;
    for (const auto& [var, value] : vars) {
      if (name == var) {
        out += value;
        known = true;
        break;
      }
    }
    if (known) {
      at = close + 1;
    } else {
      out += '{';  // not a variable: keep it, and look for one right after the brace
      at = open + 1;
    }
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace portico::cases
