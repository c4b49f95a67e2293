// The revenue CSV format (revenue_csv.h).
#include "app/money/revenue_csv.h"

#include "settlement/money.h"
#include "settlement/statement.h"

namespace vt::app {
namespace {

using settlement::RevenueLine;

constexpr const char* kCsvColumns[] = {"idempotency_key", "work",        "amount_minor",
                                       "currency",        "territory",   "channel",
                                       "period",          "external_ref"};
constexpr size_t kCsvColumnCount = 8;

Status CsvError(int64_t row, const std::string& column, const std::string& msg) {
  std::string where = "row " + std::to_string(row) + (column.empty() ? "" : ", column " + column);
  return InvalidArgumentError(where + ": " + msg).WithField(where);
}

// "lines[0].currency" -> "currency".
std::string FieldName(const std::string& path) {
  size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

StatusOr<int64_t> ParseInt(const std::string& s) {
  if (s.empty() || s.size() > 20) return InvalidArgumentError("not an integer");
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return InvalidArgumentError("not an integer");
  __int128 v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return InvalidArgumentError("not an integer");
    v = v * 10 + (s[i] - '0');
    if (v > settlement::kMaxAmount) return OutOfRangeError("beyond the 2^53-1 limit");
  }
  return static_cast<int64_t>(s[0] == '-' ? -v : v);
}

}  // namespace
StatusOr<bool> RevenueCsvReader::ReadRecord(std::vector<std::string>* fields) {
  fields->clear();
  std::string line;
  if (!std::getline(in_, line)) return false;
  ++row_;
  // A UTF-8 byte order mark (what spreadsheet programs write first) is not part of
  // the header.
  if (row_ == 0 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (;;) {
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur += c;
        }
      } else if (c == '"' && cur.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == ',') {
        fields->push_back(std::move(cur));
        cur.clear();
        was_quoted = false;
      } else if (c == '\r' && i + 1 == line.size()) {
      } else if (c == '"') {
        return CsvError(row_, "", "stray quote in an unquoted field");
      } else {
        cur += c;
      }
    }
    if (!quoted) break;
    if (!std::getline(in_, line)) return CsvError(row_, "", "unterminated quoted field");
    cur += '\n';
  }
  fields->push_back(std::move(cur));
  return true;
}

StatusOr<bool> RevenueCsvReader::Next(RevenueLine* out, std::string* agreement) {
  std::vector<std::string> f;
  if (row_ < 0) {
    VT_ASSIGN_OR_RETURN(bool any, ReadRecord(&f));
    if (!any)
      return CsvError(0, "", "empty file: expected the header " + std::string(kRevenueCsvHeader));
    has_agreement_ = f.size() == kCsvColumnCount + 1 && f.back() == "agreement";
    bool ok = f.size() == kCsvColumnCount + (has_agreement_ ? 1 : 0);
    for (size_t i = 0; ok && i < kCsvColumnCount; ++i) ok = f[i] == kCsvColumns[i];
    if (!ok)
      return CsvError(0, "", "header must be " + std::string(kRevenueCsvHeader) + "[,agreement]");
  }
  VT_ASSIGN_OR_RETURN(bool any, ReadRecord(&f));
  while (any && f.size() == 1 && f[0].empty()) {
    VT_ASSIGN_OR_RETURN(any, ReadRecord(&f));  // blank lines
  }
  if (!any) return false;
  const size_t columns = kCsvColumnCount + (has_agreement_ ? 1 : 0);
  if (f.size() != columns)
    return CsvError(
        row_, "",
        "has " + std::to_string(f.size()) + " fields, expected " + std::to_string(columns));
  std::string named = has_agreement_ ? f[kCsvColumnCount] : "";
  RevenueLine l;
  l.idempotency_key = f[0];
  l.work = f[1];
  auto amount = ParseInt(f[2]);
  if (!amount.ok()) return CsvError(row_, "amount_minor", std::string(amount.status().message()));
  l.amount = *amount;
  l.currency = f[3];
  l.territory = f[4];
  l.channel = f[5];
  l.period = f[6];
  l.external_ref = f[7];
  Status s = settlement::ValidateRevenueLine(l, "");
  if (s.ok() && l.work.empty() && named.empty())
    s = InvalidArgumentError("work is required (or name the agreement in an agreement column)")
            .WithField("work");
  if (!s.ok()) return CsvError(row_, FieldName(s.field()), std::string(s.message()));
  *out = std::move(l);
  if (agreement) *agreement = std::move(named);
  return true;
}

std::string RevenueCsvHeaderLine() { return std::string(kRevenueCsvHeader) + "\r\n"; }

std::string RevenueCsvRow(const RevenueLine& l) {
  using settlement::CsvField;
  return CsvField(l.idempotency_key) + "," + CsvField(l.work) + "," + std::to_string(l.amount) +
         "," + CsvField(l.currency) + "," + CsvField(l.territory) + "," + CsvField(l.channel) +
         "," + CsvField(l.period) + "," + CsvField(l.external_ref) + "\r\n";
}

}  // namespace vt::app
