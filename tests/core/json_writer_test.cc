#include "core/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace portico::core {
namespace {

TEST(JsonWriterTest, NestedObjectsAndArraysGetTheirCommas) {
  std::string out;
  JsonWriter w(out);
  w.beginObject().field("id", 7).field("name", "Ada \"Lovelace\"").key("tags").beginArray();
  w.value("a").value(std::string("b")).beginObject().endObject().beginArray().endArray();
  w.endArray().field("ok", true).field("none", std::optional<std::string>{});
  w.field("some", std::optional<std::int64_t>{-3}).key("raw").raw(R"({"x":1})").endObject();
  EXPECT_EQ(out,
            R"({"id":7,"name":"Ada \"Lovelace\"","tags":["a","b",{},[]],"ok":true,"none":null,)"
            R"("some":-3,"raw":{"x":1}})");
  auto parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed["tags"].size(), 4u);
  EXPECT_EQ(parsed["raw"]["x"], 1);
}

TEST(JsonWriterTest, StringsAreEscapedAndReadBackTheSame) {
  std::string text = "line\nbreak\t<b>&\x01 Grüße 🙂 back\\slash";
  std::string out;
  JsonWriter(out).beginArray().value(text).endArray();
  EXPECT_EQ(out.find('<'), std::string::npos);  // safe inside HTML
  EXPECT_EQ(nlohmann::json::parse(out)[0].get<std::string>(), text);
}

TEST(JsonWriterTest, EmptyContainersAndBareValues) {
  std::string out;
  JsonWriter(out).beginArray().endArray();
  EXPECT_EQ(out, "[]");
  out.clear();
  JsonWriter(out).value(false);
  EXPECT_EQ(out, "false");
}

}  // namespace
}  // namespace portico::core
