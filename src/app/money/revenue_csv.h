// The revenue CSV format, for import and verification (docs/settlement.md,
// "Revenue lines").
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "base/status.h"
#include "settlement/lines.h"

namespace vt::app {

// Header (this order): idempotency_key,work,amount_minor,currency,territory,channel,
// period,external_ref, optionally followed by "agreement" (the agreement a row's
// revenue is for: the server then files it under that agreement's work, and
// `work` may be empty). RFC 4180 fields (quotes, CRLF or LF); a UTF-8 byte order
// mark before the header is skipped.
inline constexpr const char* kRevenueCsvHeader =
    "idempotency_key,work,amount_minor,currency,territory,channel,period,external_ref";

class RevenueCsvReader {
 public:
  // Reads from `in` (not owned; must outlive the reader).
  explicit RevenueCsvReader(std::istream& in) : in_(in) {}
  // The next line: true and *out filled, false at end of file. InvalidArgument
  // naming "row N, column NAME" (N counts data rows from 1; the header is row 0)
  // for a bad header, field count, amount or line field.
  // `agreement`, if given, receives the row's agreement column ("" if none).
  StatusOr<bool> Next(settlement::RevenueLine* out, std::string* agreement = nullptr);
  int64_t row() const { return row_; }
  // Whether the header has the agreement column.
  bool has_agreement() const { return has_agreement_; }

 private:
  StatusOr<bool> ReadRecord(std::vector<std::string>* fields);
  std::istream& in_;
  int64_t row_ = -1;
  bool has_agreement_ = false;
};

// One CSV data row for `line` (CRLF-terminated), and the header line.
std::string RevenueCsvRow(const settlement::RevenueLine& line);
std::string RevenueCsvHeaderLine();

}  // namespace vt::app
