#include "storage/list_sql.h"

namespace portico::storage {

std::string likeContaining(std::string_view text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  }
  return out + "%";
}

ListSql& ListSql::in(std::string_view column, const std::vector<std::int64_t>& ids) {
  text_ += column;
  std::string list;
  for (auto id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);
  if (d_ == Dialect::Postgres) {
    text_ += " = ANY (?::bigint[])";
    return arg("{" + list + "}");
  }
  text_ += " IN (SELECT value FROM json_each(?))";
  return arg("[" + list + "]");
}

ListSql& ListSql::customerScope(std::string_view company_column, std::string_view site_column,
                                const std::vector<std::int64_t>& companies,
                                const std::vector<std::int64_t>& sites,
                                const std::vector<std::int64_t>& own_companies,
                                const std::vector<std::int64_t>& own_sites,
                                const std::function<void(ListSql&)>& own) {
  std::vector<std::function<void()>> terms;
  if (!companies.empty()) terms.emplace_back([&] { in(company_column, companies); });
  if (!sites.empty()) terms.emplace_back([&] { in(site_column, sites); });
  if (!own_companies.empty() || !own_sites.empty()) {
    terms.emplace_back([&] {
      sql("((");
      if (!own_companies.empty()) in(company_column, own_companies);
      if (!own_companies.empty() && !own_sites.empty()) sql(" OR ");
      if (!own_sites.empty()) in(site_column, own_sites);
      sql(") AND ");
      own(*this);
      sql(")");
    });
  }
  if (terms.empty()) return sql(" WHERE 1 = 0");
  sql(" WHERE (");
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) sql(" OR ");
    terms[i]();
  }
  return sql(")");
}

}  // namespace portico::storage
