#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "storage/db.h"

namespace portico::storage {

// `text` as a LIKE pattern (with ESCAPE '\\') that finds it anywhere, its own %, _ and \ taken
// literally, ASCII letters in lower case (compare with lower(column)).
std::string likeContaining(std::string_view text);

// A list's statement, made of only the conditions in use, so that the database can use its
// indexes for the scope and the filters; its parameters in order. The statement's text depends
// only on which conditions are in use, so the connection's cache of prepared statements holds a
// few of them.
//   ListSql s(conn.dialect());
//   s.sql(" WHERE").in(" d.company_id", companies);
//   if (status) s.sql(" AND d.status = ?").arg(*status);
//   Query q(conn, "SELECT … FROM documents d" + s.text()); s.bindTo(q);
class ListSql {
 public:
  explicit ListSql(Dialect d) : d_(d) {}
  ListSql& sql(std::string_view text) {
    text_ += text;
    return *this;
  }
  ListSql& arg(std::int64_t value) {
    params_.emplace_back(value);
    return *this;
  }
  ListSql& arg(std::string value) {
    params_.emplace_back(std::move(value));
    return *this;
  }
  // "<column> IN <ids>" with the ids in one parameter, however many.
  ListSql& in(std::string_view column, const std::vector<std::int64_t>& ids);
  // " WHERE (…)": the records a customer sees, the union of every record of `companies` and of
  // `sites`, and of their own records (`own`, which appends its condition) of `own_companies`
  // and `own_sites`; with none of the four, " WHERE 1 = 0". The columns name the record's
  // company and site ("c.company_id", "c.site_id").
  ListSql& customerScope(std::string_view company_column, std::string_view site_column,
                         const std::vector<std::int64_t>& companies,
                         const std::vector<std::int64_t>& sites,
                         const std::vector<std::int64_t>& own_companies,
                         const std::vector<std::int64_t>& own_sites,
                         const std::function<void(ListSql&)>& own);
  Dialect dialect() const { return d_; }
  const std::string& text() const { return text_; }
  void bindTo(Query& q) const {
    for (const auto& p : params_) std::visit([&q](const auto& v) { q.bind(v); }, p);
  }

 private:
  Dialect d_;
  std::string text_;
  std::vector<std::variant<std::int64_t, std::string>> params_;
};

}  // namespace portico::storage
