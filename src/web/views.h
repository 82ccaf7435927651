#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/error.h"

namespace portico::web {

// The languages of the UI; the first is the fallback.
inline constexpr std::string_view kLanguages[] = {"en", "sv", "de"};

// Picks a supported language from an Accept-Language header ("sv-SE,sv;q=0.9,en;q=0.8"), or "en".
std::string negotiateLanguage(std::string_view accept_language);

// Logic-free Mustache templates (kainjow), compiled into the binary from templates/, with the
// translations of i18n/<lang>.json available as {{t.section.key}}. {{x}} is HTML-escaped;
// {{{x}}} is used only for markup we produced ourselves. Thread-safe after construction.
class Views {
 public:
  Views();
  ~Views();
  Views(const Views&) = delete;
  Views& operator=(const Views&) = delete;

  // Renders template `name` ("login" → templates/login.mustache) with `data` and the translations
  // of `lang`. Throws std::out_of_range for an unknown template (a bug).
  std::string render(std::string_view name, std::string_view lang,
                     const nlohmann::json& data) const;
  // Renders `name` inside templates/layout.mustache: a whole HTML page.
  std::string page(std::string_view name, std::string_view lang, const nlohmann::json& data) const;
  // The translation of "section.key" in `lang`, falling back to English, then to the key itself;
  // of a plural text (see message()), its "other" form.
  std::string translate(std::string_view lang, std::string_view key) const;
  // The translation of message `key` with each "{name}" replaced by its argument's value.
  //
  // Plurals. A message that names a number may be translated as an object of two forms instead
  // of a string, with the argument that chooses between them:
  //   "too_many_attempts": {"count": "seconds",
  //                         "one": "Too many attempts; try again in {seconds} second",
  //                         "other": "Too many attempts; try again in {seconds} seconds"}
  // The "one" form is used when that argument is exactly "1", the "other" form for any other
  // value (or none): the rule of English, Swedish and German alike. The text names its counting
  // argument because a message may name several numbers ("At most {max} invitations an hour; try
  // again in {minutes} minutes" counts by minutes). tests/i18n/check_keys.py checks that every
  // language has both forms, that each names the same placeholders as English, and that "count"
  // is one of them; a template ({{t.…}}) cannot choose a form, so it may not show a plural text.
  std::string message(std::string_view lang, std::string_view key,
                      const core::MessageArgs& args) const;
  // The message of an error in `lang`.
  std::string message(std::string_view lang, const core::Error& error) const {
    return message(lang, error.key, error.args);
  }

 private:
  // The translation of `key` in `lang` (else English): a string or a plural text; null if none.
  const nlohmann::json* lookup(std::string_view lang, std::string_view key) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portico::web
