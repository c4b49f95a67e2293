// Human output helpers (format.h).
#include "cli/format.h"

#include <algorithm>

#include "settlement/explain.h"
#include "settlement/money.h"

namespace vt::cli {

std::string Money(int64_t minor, const std::string& currency) {
  auto c = settlement::FindCurrency(currency);
  if (!c.ok()) return std::to_string(minor) + " " + currency + " (minor units)";
  return settlement::FormatMoney(minor, *c);
}

std::string MoneyAmount(int64_t minor, const std::string& currency) {
  std::string s = Money(minor, currency);
  size_t sp = s.find(' ');
  return sp == std::string::npos ? s : s.substr(0, sp);
}

int64_t MinorOf(const Json& j, const std::string& key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number_integer()) return 0;
  return j[key].get<int64_t>();
}

namespace {

// Display width: UTF-8 code points (CJK names count one column each; good enough
// for alignment in the common case).
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string Table::Render(const std::string& indent) const {
  std::vector<size_t> w(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < w.size(); ++i) w[i] = std::max(w[i], Width(row[i]));
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out = indent;
    for (size_t i = 0; i < w.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      std::string pad(w[i] - Width(cell), ' ');
      bool right = std::find(right_.begin(), right_.end(), i) != right_.end();
      out += right ? pad + cell : cell + (i + 1 < w.size() ? pad : "");
      if (i + 1 < w.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header_);
  for (const auto& r : rows_) out += line(r);
  return out;
}

std::string FieldsTable(const Json& object, const std::string& indent) {
  if (!object.is_object()) return object.dump() + "\n";
  Table t({"field", "value"});
  for (const auto& [k, v] : object.items())
    t.Add({k, v.is_string() ? v.get<std::string>() : v.dump()});
  return t.Render(indent);
}

}  // namespace vt::cli
