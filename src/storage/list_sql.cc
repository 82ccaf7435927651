#include "storage/list_sql.h"

namespace portico::storage {

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

}  // namespace portico::storage
