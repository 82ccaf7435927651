// The NDJSON splitter of the bulk call and the content type it answers to (no server).
#include "integration/ndjson.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "identity/guard.h"
#include "integration/idempotency.h"

namespace portico::integration {
namespace {

std::vector<std::pair<std::size_t, std::string>> split(std::string_view body,
                                                       std::size_t max = 100) {
  auto lines = splitNdjson(body, max);
  EXPECT_TRUE(lines.has_value());
  std::vector<std::pair<std::size_t, std::string>> out;
  for (const auto& l : lines.value_or(std::vector<NdjsonLine>{})) {
    out.emplace_back(l.number, std::string(l.text));
  }
  return out;
}

using Lines = std::vector<std::pair<std::size_t, std::string>>;

TEST(NdjsonTest, SplitsLinesAndNumbersThemFromOne) {
  EXPECT_EQ(split("{\"a\":1}\n{\"b\":2}\n"), (Lines{{1, "{\"a\":1}"}, {2, "{\"b\":2}"}}));
  // The last line needs no line break; CR LF is a line break too.
  EXPECT_EQ(split("{}\r\n[1]"), (Lines{{1, "{}"}, {2, "[1]"}}));
  EXPECT_EQ(split(""), Lines{});
}

TEST(NdjsonTest, SkipsBlankLinesButKeepsTheirNumbers) {
  EXPECT_EQ(split("\n  \t\n{}\n\r\n\n{\"x\":1}\n\n"), (Lines{{3, "{}"}, {6, "{\"x\":1}"}}));
}

TEST(NdjsonTest, KeepsWhatIsNotJsonForTheLineToReport) {
  // A line that is not JSON, or a lone CR inside a line, is still a line of its own.
  EXPECT_EQ(split("not json\n{\"a\":\"b\rc\"}\n"),
            (Lines{{1, "not json"}, {2, "{\"a\":\"b\rc\"}"}}));
  auto bad = identity::parseJsonObject("not json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().key, "errors.identity.bad_json");
  EXPECT_FALSE(identity::parseJsonObject("[1]"));
  EXPECT_FALSE(identity::parseJsonObject(R"({"a":1,"a":2})"));
  EXPECT_TRUE(identity::parseJsonObject(R"({"a":1,"b":{"a":2}})"));
}

TEST(NdjsonTest, RefusesMoreThanTheMaximumOfRecordLines) {
  std::string body;
  for (int i = 0; i < 5; ++i) body += "{}\n\n";
  EXPECT_TRUE(splitNdjson(body, 5).has_value());
  EXPECT_FALSE(splitNdjson(body + "{}", 5).has_value());
  EXPECT_TRUE(splitNdjson(body + "\n \n", 5).has_value());  // blank lines do not count
}

TEST(NdjsonTest, FindsDuplicateKeysInLargeObjectsToo) {
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i) + "\":1,";
  EXPECT_TRUE(identity::parseJsonObject(many + "\"last\":1}"));
  EXPECT_FALSE(identity::parseJsonObject(many + "\"k3\":1}"));
}

TEST(NdjsonTest, KnowsItsContentType) {
  EXPECT_TRUE(isNdjsonContentType("application/x-ndjson"));
  EXPECT_TRUE(isNdjsonContentType("Application/X-NDJSON; charset=utf-8"));
  EXPECT_FALSE(isNdjsonContentType("application/json"));
  EXPECT_FALSE(isNdjsonContentType(""));
  EXPECT_FALSE(isNdjsonContentType("application/x-ndjsonx"));
}

TEST(IdempotencyTest, AStoredAnswerComesBackAsItWas) {
  auto error = http::jsonError(
      core::Error::invalid("errors.directory.field_too_long", "name").with("max", "200"));
  auto back = Idempotency::decode(error.status, Idempotency::encode(error));
  EXPECT_EQ(back.status, 400);
  EXPECT_EQ(back.body, error.body);
  EXPECT_EQ(back.header("content-type"), "application/json; charset=utf-8");
  ASSERT_TRUE(back.error);
  EXPECT_EQ(back.error->code, core::ErrorCode::InvalidInput);
  EXPECT_EQ(back.error->field, "name");
  EXPECT_EQ(back.error->args, (core::MessageArgs{{"max", "200"}}));

  auto ok = http::Response::json(201, R"({"id":7,"name":"Åsa"})");
  back = Idempotency::decode(201, Idempotency::encode(ok));
  EXPECT_EQ(back.body, ok.body);
  EXPECT_FALSE(back.error);
  EXPECT_FALSE(back.message);
}

}  // namespace
}  // namespace portico::integration
