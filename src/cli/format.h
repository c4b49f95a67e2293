// Human output of the CLI: amounts at their currency's scale with thousands
// separators ("1,234,567.89 CNY") and plain-text tables. `--json` output does
// not go through here (it keeps minor units).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/jcs.h"

namespace vt::cli {

// `minor` units of `currency` as "1,234.56 CNY" (ISO 4217 scale); an unknown
// code prints the minor units and the code ("123456 XXX (minor units)").
std::string Money(int64_t minor, const std::string& currency);
// As Money, without the currency code ("1,234.56").
std::string MoneyAmount(int64_t minor, const std::string& currency);
// A JSON integer member read as minor units (0 if absent or not an integer).
int64_t MinorOf(const Json& j, const std::string& key);

// A JSON object as a two-column "name  value" table: strings unquoted, numbers
// and booleans as written, nested values as compact JSON.
std::string FieldsTable(const Json& object, const std::string& indent = "");

// A plain-text table: a header row, then rows; columns are padded to their
// widest cell, and columns whose header is in `right` are right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header, std::vector<size_t> right = {})
      : header_(std::move(header)), right_(std::move(right)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  // The table, each line indented by `indent` and ended by "\n".
  std::string Render(const std::string& indent = "") const;

 private:
  std::vector<std::string> header_;
  std::vector<size_t> right_;  // indexes of right-aligned columns
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace vt::cli
