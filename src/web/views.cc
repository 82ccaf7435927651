#include "web/views.h"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/embedded.h"

namespace portico::web::templates {
std::span<const core::EmbeddedFile> embeddedFiles();
}
namespace portico::web::i18n {
std::span<const core::EmbeddedFile> embeddedFiles();
}

namespace portico::web {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

data toData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      data d{data::type::object};
      for (const auto& [k, v] : j.items()) {
        d.set(k, toData(v));
      }
      return d;
    }
    case nlohmann::json::value_t::array: {
      data d{data::type::list};
      for (const auto& v : j) {
        d.push_back(toData(v));
      }
      return d;
    }
    case nlohmann::json::value_t::string:
      return data(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return j.get<bool>() ? data(data::type::bool_true) : data(data::type::bool_false);
    case nlohmann::json::value_t::null:
      return data(data::type::bool_false);
    default:
      return data(j.dump());
  }
}

// A plural text: an object with an "other" text (and, checked by tests/i18n/check_keys.py, a
// "one" text and the "count" argument that chooses).
bool isPlural(const nlohmann::json& node) {
  return node.is_object() && node.contains("other") && node["other"].is_string();
}

// The form of plural text `node` that its counting argument calls for: "one" for exactly "1"
// (the rule of every language the UI speaks), else "other" (and when the argument is missing).
const char* pluralForm(const nlohmann::json& node, const core::MessageArgs& args) {
  auto count = node.find("count");
  auto one = node.find("one");
  if (count == node.end() || !count->is_string() || one == node.end() || !one->is_string()) {
    return "other";
  }
  const auto& name = count->get_ref<const std::string&>();
  auto arg = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
  return arg != args.end() && arg->second == "1" ? "one" : "other";
}

}  // namespace

std::string negotiateLanguage(std::string_view header) {
  std::string best = "en";
  double best_q = -1;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    double q = 1.0;
    auto semi = item.find(';');
    auto tag = item.substr(0, semi);
    if (semi != std::string_view::npos) {
      auto params = item.substr(semi + 1);
      auto qpos = params.find("q=");
      if (qpos != std::string_view::npos) {
        try {
          q = std::stod(std::string(params.substr(qpos + 2)));
        } catch (...) {
          q = 0;
        }
      }
    }
    std::string primary(tag.substr(0, tag.find('-')));
    for (auto& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto lang : kLanguages) {
      if (primary == lang && q > best_q) {
        best = std::string(lang);
        best_q = q;
      }
    }
  }
  return best;
}

struct Views::Impl {
  std::map<std::string, std::unique_ptr<mustache>, std::less<>> templates;
  std::map<std::string, nlohmann::json, std::less<>> translations;
  // Per language {"t": translations, "lang": code}: the bottom of every render's context stack,
  // built once (copying ~900 nodes into each render was most of a page's cost).
  std::map<std::string, data, std::less<>> translation_data;
};

Views::Views() : impl_(std::make_unique<Impl>()) {
  for (const auto& f : templates::embeddedFiles()) {
    std::string name(f.name.substr(0, f.name.rfind(".mustache")));
    auto t = std::make_unique<mustache>(std::string(f.data));
    if (!t->is_valid()) {
      throw std::runtime_error("template " + name + ": " + t->error_message());
    }
    impl_->templates.emplace(name, std::move(t));
  }
  nlohmann::json english;
  for (const auto& f : i18n::embeddedFiles()) {
    std::string lang(f.name.substr(0, f.name.find('.')));
    impl_->translations[lang] = nlohmann::json::parse(f.data);
  }
  english = impl_->translations["en"];
  for (auto& [lang, j] : impl_->translations) {
    nlohmann::json merged = english;
    merged.merge_patch(j);  // a key missing in a language falls back to English
    j = merged;
    data base{data::type::object};
    base.set("t", toData(merged));
    base.set("lang", lang);
    impl_->translation_data.emplace(lang, std::move(base));
  }
}

Views::~Views() = default;

std::string Views::render(std::string_view name, std::string_view lang,
                          const nlohmann::json& values) const {
  auto it = impl_->templates.find(name);
  if (it == impl_->templates.end()) {
    throw std::out_of_range("no template " + std::string(name));
  }
  auto t = impl_->translation_data.find(lang);
  if (t == impl_->translation_data.end()) {
    t = impl_->translation_data.find("en");
  }
  // Names are looked up in the page's values first, then in the translations below them.
  data d = toData(values.is_object() ? values : nlohmann::json::object());
  kainjow::mustache::context<std::string> ctx(&t->second);
  ctx.push(&d);
  return it->second->render(ctx);
}

std::string Views::page(std::string_view name, std::string_view lang,
                        const nlohmann::json& values) const {
  nlohmann::json layout = values;
  layout["content"] = render(name, lang, values);
  return render("layout", lang, layout);
}

const nlohmann::json* Views::lookup(std::string_view lang, std::string_view key) const {
  auto in = [&](std::string_view l) -> const nlohmann::json* {
    auto it = impl_->translations.find(l);
    if (it == impl_->translations.end()) return nullptr;
    const nlohmann::json* node = &it->second;
    std::string_view rest = key;
    while (!rest.empty()) {
      auto dot = rest.find('.');
      std::string part(rest.substr(0, dot));
      rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
      if (!node->is_object() || !node->contains(part)) return nullptr;
      node = &(*node)[part];
    }
    return node->is_string() || isPlural(*node) ? node : nullptr;
  };
  if (auto node = in(lang)) return node;
  return in("en");
}

std::string Views::translate(std::string_view lang, std::string_view key) const {
  const nlohmann::json* node = lookup(lang, key);
  if (!node) return std::string(key);
  return node->is_string() ? node->get<std::string>() : (*node)["other"].get<std::string>();
}

std::string Views::message(std::string_view lang, std::string_view key,
                           const core::MessageArgs& args) const {
  const nlohmann::json* node = lookup(lang, key);
  std::string text;
  if (!node) {
    text = std::string(key);
  } else if (node->is_string()) {
    text = node->get<std::string>();
  } else {
    text = (*node)[pluralForm(*node, args)].get<std::string>();
  }
  std::string out;
  out.reserve(text.size());
  // One pass, so that an argument's value is never scanned for placeholders itself.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      auto close = text.find('}', i + 1);
      if (close != std::string::npos) {
        std::string_view name(text.data() + i + 1, close - i - 1);
        auto arg =
            std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
        if (arg != args.end()) {
          out += arg->second;
          i = close;
          continue;
        }
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace portico::web
