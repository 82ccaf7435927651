// Text search and sorting of the cases list, end to end on a real server: what a search matches
// (number, subject, description, public comments; internal notes for staff only), that it stays
// inside what the caller may see, the counts that follow it, and cursor paging in every order.
#include <gtest/gtest.h>

#include <algorithm>

#include "modules/cases/case_fixture.h"

namespace portico::testing {
namespace {

using nlohmann::json;

class CaseSearchTest : public CaseTest {
 protected:
  CaseSearchTest() {
    printer = open(ada, {{"subject", "Printer jams on the second floor"},
                         {"description", "Paper gets stuck in tray 2."},
                         {"priority", "low"}});
    coffee = open(bob, {{"subject", "Coffee machine leaks"},
                        {"description", "A puddle every morning."},
                        {"priority", "urgent"}});
    badge = open(ada, {{"subject", "Badge reader"},
                       {"description", "The door does not open."},
                       {"priority", "high"}});
    theirs = open(
        olga,
        {{"company_id", other_company}, {"subject", "Printer toner"}, {"description", "Empty."}});
    comment(bob, id(badge), "The reader blinks orange since the firmware update.");
    note(id(coffee), "Valve recall batch 17, replace under warranty");
  }
  static std::int64_t id(const json& c) { return c["id"].get<std::int64_t>(); }
  void comment(const std::string& token, std::int64_t case_id, const std::string& body) {
    server.clock().advance(60);
    ASSERT_EQ(call("POST", casePath(case_id) + "/comments", token, {{"body", body}}).status, 201);
  }
  void note(std::int64_t case_id, const std::string& body) {
    server.clock().advance(60);
    ASSERT_EQ(
        call("POST", casePath(case_id) + "/comments", support, {{"body", body}, {"internal", true}})
            .status,
        201);
  }
  std::vector<std::int64_t> found(const std::string& token, const std::string& q,
                                  const std::string& more = "") {
    return listed(token, "?q=" + http::percentEncode(q) + more);
  }
  json printer, coffee, badge, theirs;
};

TEST_F(CaseSearchTest, ASearchMatchesWordsAndTheirBeginningsInTheCasesText) {
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(found(ada, "printer"), V{id(printer)});            // subject
  EXPECT_EQ(found(ada, "PRINT"), V{id(printer)});              // a beginning, any case
  EXPECT_EQ(found(ada, "puddle"), V{id(coffee)});              // description
  EXPECT_EQ(found(ada, "firmware"), V{id(badge)});             // a public comment
  EXPECT_EQ(found(ada, badge["number"]), V{id(badge)});        // "T-1003"
  EXPECT_EQ(found(ada, "reader orange"), V{id(badge)});        // every word is needed
  EXPECT_TRUE(found(ada, "reader printer").empty());           // no case has both
  EXPECT_TRUE(found(ada, "!!! ---").empty());                  // no words: nothing
  EXPECT_EQ(found(ada, "door", "&status=new"), V{id(badge)});  // with the other filters
  EXPECT_TRUE(found(ada, "door", "&status=closed").empty());
  // The counts follow the search.
  auto page = call("GET", "/api/v1/cases?q=printer", ada).json();
  EXPECT_EQ(page["counts"]["new"], 1);
  EXPECT_EQ(page["counts"]["open"], 0);
}

TEST_F(CaseSearchTest, ASearchStaysInsideWhatTheCallerMaySee) {
  using V = std::vector<std::int64_t>;
  // Company B's printer case is not Ada's; company A's is not Olga's.
  EXPECT_EQ(found(ada, "printer"), V{id(printer)});
  EXPECT_EQ(found(olga, "printer"), V{id(theirs)});
  EXPECT_TRUE(found(olga, "firmware").empty());
  // An internal note's words: staff of the inbox find the case by them, customers never do.
  EXPECT_TRUE(found(ada, "recall").empty());
  EXPECT_TRUE(found(bob, "warranty").empty());
  EXPECT_EQ(found(support, "recall warranty"), V{id(coffee)});
  // Staff search the whole organization.
  auto both = found(support, "printer");
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, (V{id(printer), id(theirs)}));
  // A member who sees only their own cases finds only those.
  setBob({{"visibility", "own"}});
  EXPECT_EQ(found(bob, "coffee"), V{id(coffee)});
  EXPECT_TRUE(found(bob, "printer").empty());
}

TEST_F(CaseSearchTest, EveryOrderPagesWithACursorWithoutRepeatsOrGaps) {
  using V = std::vector<std::int64_t>;
  auto walk = [&](const std::string& sort) {
    V ids;
    std::string cursor;
    for (int guard = 0; guard < 10; ++guard) {
      auto r = call("GET", "/api/v1/cases?limit=1&sort=" + sort + cursor, ada);
      EXPECT_EQ(r.status, 200) << r.body;
      auto page = r.json();
      for (const auto& c : page["items"]) ids.push_back(c["id"].get<std::int64_t>());
      if (page["next_cursor"].is_null()) break;
      cursor = "&cursor=" + http::percentEncode(page["next_cursor"].get<std::string>());
    }
    return ids;
  };
  EXPECT_EQ(walk("newest"), (V{id(badge), id(coffee), id(printer)}));
  EXPECT_EQ(walk("oldest"), (V{id(printer), id(coffee), id(badge)}));
  EXPECT_EQ(walk("priority"), (V{id(coffee), id(badge), id(printer)}));  // urgent, high, low
  // Recently updated first: a comment brings the printer case to the top.
  comment(ada, id(printer), "Still jamming.");
  EXPECT_EQ(walk("updated"), (V{id(printer), id(coffee), id(badge)}));
  // Search and sort together.
  EXPECT_EQ(listed(ada, "?q=the&sort=oldest"), (V{id(printer), id(badge)}));
}

TEST_F(CaseSearchTest, BadSearchesSortsAndCursorsAreRefused) {
  auto refused = [&](const std::string& query, const std::string& field) {
    auto r = call("GET", "/api/v1/cases" + query, ada);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], field) << query;
  };
  refused("?q=" + std::string(201, 'a'), "q");
  refused("?sort=alphabetical", "sort");
  refused("?cursor=abc", "cursor");
  refused("?sort=updated&cursor=12", "cursor");  // a cursor of another order
  refused("?cursor=0", "cursor");
  EXPECT_EQ(call("GET", "/api/v1/cases?q=" + std::string(200, 'a'), ada).status, 200);
  // A query that is not UTF-8 is refused before it is searched (searchWords copes anyway:
  // fuzz/case_query.cc).
  EXPECT_EQ(call("GET", "/api/v1/cases?q=%EA1%20printer", ada).status, 400);
}

TEST_F(CaseSearchTest, ThePagesSearchAndSort) {
  auto customer = signIn("bob@a.example", bob_secret);
  auto page = customer.get("/cases?q=puddle").body;
  EXPECT_NE(page.find("Coffee machine leaks"), std::string::npos);
  EXPECT_EQ(page.find("Printer jams"), std::string::npos);
  EXPECT_NE(page.find("value=\"puddle\""), std::string::npos);  // the box keeps the words
  auto none = customer.get("/cases?q=volcano").body;
  EXPECT_NE(none.find("No case matches your search."), std::string::npos);
  auto sorted = customer.get("/cases?sort=priority").body;
  EXPECT_LT(sorted.find("Coffee machine leaks"), sorted.find("Printer jams"));
  EXPECT_NE(sorted.find("<option value=\"priority\" selected>"), std::string::npos);
}

}  // namespace
}  // namespace portico::testing
