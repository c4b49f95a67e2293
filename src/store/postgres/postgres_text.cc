// Text helpers of the PostgreSQL driver: placeholder rewriting and connection
// strings described without secrets (store/sql_internal.h).
#include <libpq-fe.h>

#include <cctype>
#include <map>
#include <memory>

#include "store/sql_internal.h"

namespace vt::store::internal {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Index just past the quoted section that starts at `i` with `quote`; `backslash`
// enables E'...' escapes. Doubled quotes stay inside. Unterminated: sql.size().
size_t SkipQuoted(std::string_view sql, size_t i, char quote, bool backslash) {
  for (++i; i < sql.size(); ++i) {
    if (backslash && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return sql.size();
}

size_t SkipBlockComment(std::string_view sql, size_t i) {
  int depth = 0;  // PostgreSQL block comments nest
  while (i < sql.size()) {
    if (sql.substr(i, 2) == "/*") {
      ++depth;
      i += 2;
    } else if (sql.substr(i, 2) == "*/") {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return sql.size();
}

// If a dollar quote ($$ or $tag$) opens at `i`, the index past its close; else npos.
size_t SkipDollarQuoted(std::string_view sql, size_t i) {
  if (i > 0 && IsIdentChar(sql[i - 1])) return std::string_view::npos;  // part of a name
  size_t j = i + 1;
  if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) {
    return std::string_view::npos;  // $1: a positional parameter
  }
  while (j < sql.size() && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
  if (j >= sql.size() || sql[j] != '$') return std::string_view::npos;
  std::string_view tag = sql.substr(i, j - i + 1);
  size_t close = sql.find(tag, j + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

// The end of the non-code section (literal, identifier, comment) starting at `i`, or
// npos if code starts there.
size_t SkipNonCode(std::string_view sql, size_t i) {
  char c = sql[i];
  if (c == '\'') {
    bool escapes =
        i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
    return SkipQuoted(sql, i, '\'', escapes);
  }
  if (c == '"') return SkipQuoted(sql, i, '"', false);
  if (sql.substr(i, 2) == "--") {
    size_t nl = sql.find('\n', i);
    return nl == std::string_view::npos ? sql.size() : nl + 1;
  }
  if (sql.substr(i, 2) == "/*") return SkipBlockComment(sql, i);
  if (c == '$') return SkipDollarQuoted(sql, i);
  return std::string_view::npos;
}

using ConnInfoPtr = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

ConnInfoPtr Parse(const std::string& conninfo, std::string* error) {
  char* err = nullptr;
  ConnInfoPtr opts(PQconninfoParse(conninfo.c_str(), &err), &PQconninfoFree);
  if (err != nullptr) {
    *error = err;
    while (!error->empty() && error->back() == '\n') error->pop_back();
    PQfreemem(err);
  }
  return opts;
}

std::string Quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::pair<std::string, int> RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  while (i < sql.size()) {
    size_t end = SkipNonCode(sql, i);
    if (end != std::string_view::npos) {
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (sql[i] == '?') {
      out += '$' + std::to_string(++n);
      ++i;
    } else {
      out += sql[i++];
    }
  }
  return {out, n};
}

std::string DescribePostgres(const std::string& conninfo) {
  std::string error;
  ConnInfoPtr opts = Parse(conninfo, &error);
  if (!opts) return "(invalid connection string)";
  std::string out;
  for (const char* key : {"host", "hostaddr", "port", "dbname", "user"}) {
    for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
      if (std::string_view(o->keyword) != key || o->val == nullptr || *o->val == '\0') continue;
      if (!out.empty()) out += ' ';
      out += std::string(key) + "=" + o->val;
    }
  }
  return out.empty() ? "(libpq defaults)" : out;
}

Status CheckPostgresConnInfo(const std::string& conninfo) {
  std::string error;
  if (!Parse(conninfo, &error))
    return InvalidArgumentError("bad PostgreSQL connection string: " + error);
  return OkStatus();
}

StatusOr<std::string> PostgresWithSearchPath(const std::string& conninfo,
                                             const std::string& schema) {
  if (!IsPlainIdentifier(schema)) return InvalidArgumentError("schema must be a plain identifier");
  std::string error;
  ConnInfoPtr opts = Parse(conninfo, &error);
  if (!opts) return InvalidArgumentError("bad PostgreSQL connection string: " + error);
  std::string out, options;
  for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (std::string_view(o->keyword) == "options") {
      options = std::string(o->val) + " ";
    } else {
      out += std::string(o->keyword) + "=" + Quote(o->val) + " ";
    }
  }
  return out + "options=" + Quote(options + "-c search_path=" + schema);
}

}  // namespace vt::store::internal
