#!/usr/bin/env python3
"""Every message a person reads is a key with a translation in every language.

Fails (exit 1, one line per fault) when:
- en, sv and de do not have the same keys, or a text is empty;
- a translation does not name the same {placeholders} as the English text;
- a plural text ({"count": "<argument>", "one": "…", "other": "…"}, see web::Views::message) is
  not plural in every language, lacks a form, has a form that does not name the same
  {placeholders} as English's "other" form, or counts by an argument that English does not count
  by or that its forms do not name;
- a template shows a translation ({{t.section.key}}) that English does not have (a section of
  texts only opens a block: {{#t.section}}), or a plural text (a template cannot choose a form);
- a service's error (core::Error::invalid("…"), rateLimited(n, "…"), …), a literal key given to
  translate()/message(), or a notice or confirmation ("notices.…", "confirm.…": core::Message
  keys written as literals) is not a key of the translations;
- an audit event recorded in src/ (a dotted literal, or "logout", in an audit_.record(…),
  record(actor, staff, …) or audit(actor, caller, …) statement, ternaries included) has no label
  under audit.event.<code>, or a detail key written there ({"old_role", …}) none under
  audit.detail.<key>: the audit pages show labels, never codes.

usage: check_keys.py [project root]
"""
import json
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
faults = []


plural_forms = ("one", "other")


def is_plural(node):
    """A plural text: an object of forms (and the argument that counts), not a section."""
    return (isinstance(node, dict) and any(f in node for f in plural_forms)
            and set(node) <= {"count", *plural_forms})


def leaves(node, prefix=""):
    out = {}
    for k, v in node.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and not is_plural(v):
            out.update(leaves(v, key + "."))
        else:
            out[key] = v
    return out


langs = {l: leaves(json.loads((root / "i18n" / f"{l}.json").read_text())) for l in ("en", "sv", "de")}
en = langs["en"]
sections = {k.rsplit(".", i)[0] for k in en for i in range(1, k.count(".") + 1)}
placeholder = re.compile(r"\{([a-z_]+)\}")


def names(text):
    return set(placeholder.findall(text))


def plural_faults(lang, key, text, english):
    """The faults of `text`, a translation of `key` that is plural or whose English is."""
    where = f"i18n/{lang}.json: {key}"
    if not is_plural(text):
        return [f"{where} is one text, but plural in English (\"one\" and \"other\" forms)"]
    if english is not None and not is_plural(english):
        return [f"{where} is plural, but one text in English"]
    out = []
    for form in plural_forms:
        if not isinstance(text.get(form), str) or not text[form].strip():
            out.append(f"{where} has no \"{form}\" form")
    if out:
        return out
    reference = english if english is not None and isinstance(english.get("other"), str) else text
    wanted = names(reference["other"])
    for form in plural_forms:
        if names(text[form]) != wanted:
            out.append(f"{where}.{form} names {sorted(names(text[form]))}, "
                       f"English {sorted(wanted)}")
    count = text.get("count")
    if not isinstance(count, str):
        out.append(f"{where} names no argument to count by (\"count\")")
    elif english is not None and count != english.get("count"):
        out.append(f"{where} counts by {count}, English by {english.get('count')}")
    elif count not in wanted:
        out.append(f"{where} counts by {count}, which its forms do not name")
    return out


for lang, texts in langs.items():
    for key in sorted(set(en) - set(texts)):
        faults.append(f"i18n/{lang}.json: no translation of {key}")
    for key in sorted(set(texts) - set(en)):
        faults.append(f"i18n/{lang}.json: {key} is not in i18n/en.json")
    for key, text in texts.items():
        if is_plural(text) or is_plural(en.get(key)):
            faults.extend(plural_faults(lang, key, text, en.get(key)))
        elif not isinstance(text, str) or not text.strip():
            faults.append(f"i18n/{lang}.json: {key} is empty")
        elif key in en and set(placeholder.findall(text)) != set(placeholder.findall(en[key])):
            faults.append(f"i18n/{lang}.json: {key} names {sorted(set(placeholder.findall(text)))}, "
                          f"English {sorted(set(placeholder.findall(en[key])))}")

for template in sorted((root / "templates").rglob("*.mustache")):
    for sigil, ref in re.findall(r"\{\{\{?([#^/]?)\s*t\.([A-Za-z0-9_.]+)", template.read_text()):
        if ref in en and is_plural(en[ref]):
            faults.append(f"{template.relative_to(root)}: {{{{t.{ref}}}}} is a plural text: a "
                          "template cannot choose its form (give the page the message instead)")
            continue
        if ref in en or (sigil and ref in sections):
            continue
        what = "is a section of texts, not a text" if ref in sections else "has no translation"
        faults.append(f"{template.relative_to(root)}: {{{{t.{ref}}}}} {what}")

key_shape = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
factories = re.compile(
    r"Error::(?:invalid|notFound|conflict|unauthenticated|forbidden|unavailable|internal|"
    r"payloadTooLarge)\(\s*\"((?:[^\"\\]|\\.)*)\"|Error::rateLimited\(\s*[^,()]+(?:\([^()]*\))?,"
    r"\s*\"((?:[^\"\\]|\\.)*)\"|\.key = \"((?:[^\"\\]|\\.)*)\"")
messages = re.compile(r"\"((?:notices|confirm|messages)\.[a-z0-9_.]+)\"")
lookups = re.compile(
    r"\b(?:translate|message|t)\(\s*[\w.>()\-]+,\s*\"((?:[^\"\\]|\\.)*)\"(?=\s*[,)])")
for source in sorted((root / "src").rglob("*")):
    if source.suffix not in (".cc", ".h"):
        continue
    text = re.sub(r"(?m)^[ \t]*//.*$", "", source.read_text())  # comments (line numbers kept)
    for m in factories.finditer(text):
        key = next(g for g in m.groups() if g is not None)
        line = text.count("\n", 0, m.start()) + 1
        where = f"{source.relative_to(root)}:{line}"
        if not key_shape.match(key):
            faults.append(f"{where}: error message \"{key}\" is not a message key")
        elif key not in en:
            faults.append(f"{where}: message key {key} has no translation")
    for m in messages.finditer(text):
        if m.group(1) not in en:
            line = text.count("\n", 0, m.start()) + 1
            faults.append(f"{source.relative_to(root)}:{line}: {m.group(1)} has no translation")
    for m in lookups.finditer(text):
        key = m.group(1)
        if key_shape.match(key) and key not in en and key not in sections:
            line = text.count("\n", 0, m.start()) + 1
            faults.append(f"{source.relative_to(root)}:{line}: {key} has no translation")

# The audit events and detail keys: each statement that records one, from the call to its closing
# parenthesis. An event is a literal of dotted shape (or one of kUndotted) after "{", "?", ":" or
# ","; a detail key is a literal of another shape that opens a pair ({"key", value}).
audit_call = re.compile(r"\b(?:audit_?\.record|record|audit)\(")
literal = r"\"((?:[^\"\\]|\\.)*)\""
event_literal = re.compile(r"[{?:,]\s*" + literal)
detail_key = re.compile(r"\{\s*" + literal + r"\s*,")
undotted_events = {"logout"}


def statements(text):
    for m in audit_call.finditer(text):
        i, depth = m.end(), 1
        while depth and i < len(text):
            if text[i] == '"':  # skip the literal: it may hold parentheses
                i += 1
                while i < len(text) and text[i] != '"':
                    i += 2 if text[i] == "\\" else 1
            elif text[i] == "(":
                depth += 1
            elif text[i] == ")":
                depth -= 1
            i += 1
        yield m.start(), text[m.start():i]


events_seen = set()
for source in sorted((root / "src").rglob("*.cc")):
    text = re.sub(r"(?m)^[ \t]*//.*$", "", source.read_text())
    for at, statement in statements(text):
        line = text.count("\n", 0, at) + 1
        where = f"{source.relative_to(root)}:{line}"
        for m in event_literal.finditer(statement):
            code = m.group(1)
            if not key_shape.match(code) and code not in undotted_events:
                continue
            events_seen.add(code)
            if f"audit.event.{code}" not in en:
                faults.append(f"{where}: audit event {code} has no label (audit.event.{code})")
        for m in detail_key.finditer(statement):
            key = m.group(1)
            if key_shape.match(key) or key in undotted_events:
                continue
            if f"audit.detail.{key}" not in en:
                faults.append(f"{where}: audit detail {key} has no label (audit.detail.{key})")
if not events_seen:
    faults.append("src/: no audit event found: the scan of the record statements is broken")

for f in faults:
    print(f)
print(f"{len(faults)} fault(s)" if faults else "every message key is translated")
sys.exit(1 if faults else 0)
