// Bulk-write helpers (ledger_sql.h).
#include "app/money/ledger_sql.h"

namespace vt::app {

std::string PgTextArray(const std::vector<std::optional<std::string>>& elems) {
  std::string s = "{";
  for (size_t i = 0; i < elems.size(); ++i) {
    if (i) s += ',';
    if (!elems[i]) {
      s += "NULL";
      continue;
    }
    s += '"';
    for (char ch : *elems[i]) {
      if (ch == '"' || ch == '\\') s += '\\';
      s += ch;
    }
    s += '"';
  }
  s += '}';
  return s;
}

std::string PgIntArray(const std::vector<int64_t>& elems) {
  std::string s = "{";
  for (size_t i = 0; i < elems.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(elems[i]);
  }
  s += '}';
  return s;
}

std::string RowPlaceholders(size_t n, const std::string& one) {
  std::string s;
  s.reserve(n * (one.size() + 1));
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ',';
    s += one;
  }
  return s;
}

}  // namespace vt::app
