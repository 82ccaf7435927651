#include "http/router.h"

#include <gtest/gtest.h>

namespace portico::http {
namespace {

Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

TEST(RouterTest, MatchesLiteralsBeforeParameters) {
  Router r;
  r.add({"GET", "/api/v1/companies/{id}", named("one")});
  r.add({"GET", "/api/v1/companies/mine", named("mine")});
  r.add({"GET", "/api/v1/companies/{id}/users/{user_id}", named("user")});
  std::unordered_map<std::string, std::string> params;
  auto m = r.match("GET", "/api/v1/companies/42", params);
  ASSERT_EQ(m.outcome, Router::Outcome::Found);
  EXPECT_EQ(m.route->pattern, "/api/v1/companies/{id}");
  EXPECT_EQ(params["id"], "42");
  params.clear();
  m = r.match("GET", "/api/v1/companies/mine", params);
  EXPECT_EQ(m.route->pattern, "/api/v1/companies/mine");
  params.clear();
  m = r.match("GET", "/api/v1/companies/7/users/9", params);
  EXPECT_EQ(params["id"], "7");
  EXPECT_EQ(params["user_id"], "9");
}

TEST(RouterTest, UnknownPathAndWrongMethod) {
  Router r;
  r.add({"GET", "/a", named("a")});
  r.add({"POST", "/a", named("a")});
  std::unordered_map<std::string, std::string> params;
  EXPECT_EQ(r.match("GET", "/b", params).outcome, Router::Outcome::NotFound);
  auto m = r.match("DELETE", "/a", params);
  EXPECT_EQ(m.outcome, Router::Outcome::MethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, POST");
  EXPECT_EQ(r.match("HEAD", "/a", params).outcome, Router::Outcome::Found);
}

TEST(RouterTest, ALiteralThatLeadsNowhereFallsBackToTheParameter) {
  Router r;
  r.add({"POST", "/integration/{kind}", named("upsert")});
  r.add({"POST", "/integration/{kind}/bulk", named("bulk")});
  r.add({"POST", "/integration/companies/{external_id}/admin-signup", named("signup")});
  r.add({"GET", "/integration/events", named("events")});
  std::unordered_map<std::string, std::string> params;
  auto m = r.match("POST", "/integration/companies", params);
  ASSERT_EQ(m.outcome, Router::Outcome::Found);
  EXPECT_EQ(m.route->pattern, "/integration/{kind}");
  EXPECT_EQ(params["kind"], "companies");
  params.clear();
  m = r.match("POST", "/integration/companies/bulk", params);
  ASSERT_EQ(m.outcome, Router::Outcome::Found);
  EXPECT_EQ(m.route->pattern, "/integration/{kind}/bulk");
  EXPECT_EQ(params.size(), 1u);  // nothing bound on the literal branch that was left
  EXPECT_EQ(params["kind"], "companies");
  params.clear();
  m = r.match("POST", "/integration/companies/C-1/admin-signup", params);
  ASSERT_EQ(m.outcome, Router::Outcome::Found);
  EXPECT_EQ(params["external_id"], "C-1");
  // The literal still wins where it has the method; without it, the parameter's route answers.
  params.clear();
  EXPECT_EQ(r.match("GET", "/integration/events", params).route->pattern, "/integration/events");
  EXPECT_EQ(r.match("POST", "/integration/events", params).route->pattern, "/integration/{kind}");
  m = r.match("DELETE", "/integration/events", params);
  EXPECT_EQ(m.outcome, Router::Outcome::MethodNotAllowed);
  EXPECT_EQ(m.allow, "GET");
  EXPECT_EQ(r.match("POST", "/integration/companies/C-1", params).outcome,
            Router::Outcome::NotFound);
}

TEST(RouterTest, RemembersTheLargestBodyLimitOfAnyRoute) {
  Router r;
  r.add({"POST", "/a", named("a")});
  EXPECT_EQ(r.largestBodyLimit(), 0u);
  r.add({"POST", "/b", named("b"), Execution::Worker, 10u << 20});
  r.add({"POST", "/c", named("c"), Execution::Inline, 1u << 20});
  EXPECT_EQ(r.largestBodyLimit(), 10u << 20);
}

TEST(RouterTest, DuplicateRouteIsABug) {
  Router r;
  r.add({"GET", "/a", named("a")});
  EXPECT_THROW(r.add({"GET", "/a", named("b")}), std::logic_error);
}

}  // namespace
}  // namespace portico::http

namespace portico::http {
namespace {

TEST(RequestTest, IdParamAcceptsOnlyPositiveDecimalIds) {
  Request r;
  for (const auto& [raw, want] :
       std::vector<std::pair<std::string, std::int64_t>>{{"42", 42},
                                                         {"0", 0},
                                                         {"-1", 0},
                                                         {"1x", 0},
                                                         {"abc", 0},
                                                         {"", 0},
                                                         {"99999999999999999999", 0},
                                                         {"+5", 0}}) {
    r.path_params["id"] = raw;
    EXPECT_EQ(r.idParam("id"), want) << raw;
  }
}

}  // namespace
}  // namespace portico::http
