// PostgreSQL parameter encoding and result decoding (store/postgres_internal.h).
#include <charconv>
#include <cmath>

#include "store/postgres/postgres_internal.h"

namespace vt::store::internal {
namespace {

constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kOidOid = 26, kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

std::string FormatDouble(double d) {
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact representation
  return std::string(buf, r.ptr);
}

StatusOr<Value> DecodeNumber(std::string_view s, Oid type) {
  int64_t i = 0;
  auto ri = std::from_chars(s.data(), s.data() + s.size(), i);
  bool is_int = ri.ec == std::errc() && ri.ptr == s.data() + s.size();
  if (is_int && type != kFloat4Oid && type != kFloat8Oid) return Value(i);
  if (type != kNumericOid && type != kFloat4Oid && type != kFloat8Oid) {
    return InternalError("cannot decode integer column value '" + std::string(s) + "'");
  }
  double d = 0;
  auto rd = std::from_chars(s.data(), s.data() + s.size(), d);
  if (rd.ec != std::errc() || rd.ptr != s.data() + s.size()) {
    return InternalError("cannot decode numeric column value '" + std::string(s) + "'");
  }
  return Value(d);
}

StatusOr<Value> DecodeCell(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return Value();
  std::string_view s(PQgetvalue(res, row, col), PQgetlength(res, row, col));
  switch (Oid type = PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return DecodeNumber(s, type);
    case kBoolOid:
      return Value(int64_t{s == "t" ? 1 : 0});
    case kByteaOid: {
      size_t n = 0;
      unsigned char* raw =
          PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(res, row, col)), &n);
      if (raw == nullptr) return InternalError("cannot decode bytea column");
      Blob b{std::string(reinterpret_cast<const char*>(raw), n)};
      PQfreemem(raw);
      return Value(std::move(b));
    }
    default:
      return Value(std::string(s));
  }
}

}  // namespace

EncodedParams EncodeParams(const std::vector<Value>& params) {
  EncodedParams e;
  size_t n = params.size();
  e.text.resize(n);
  e.values.assign(n, nullptr);
  e.lengths.assign(n, 0);
  e.formats.assign(n, 0);
  e.types.assign(n, 0);  // 0: let the server infer (as for an untyped literal)
  for (size_t i = 0; i < n; ++i) {
    const Value& v = params[i];
    if (const auto* x = std::get_if<int64_t>(&v)) {
      e.text[i] = std::to_string(*x);
      e.types[i] = kInt8Oid;
    } else if (const auto* d = std::get_if<double>(&v)) {
      e.text[i] = FormatDouble(*d);
      e.types[i] = kFloat8Oid;
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      e.values[i] = s->c_str();  // NUL-free: CheckParams ran
      continue;
    } else if (const auto* b = std::get_if<Blob>(&v)) {
      e.values[i] = b->bytes.data();  // never null, so an empty blob is not NULL
      e.lengths[i] = static_cast<int>(b->bytes.size());
      e.formats[i] = 1;
      e.types[i] = kByteaOid;
      continue;
    } else {
      continue;  // NULL
    }
    e.values[i] = e.text[i].c_str();
  }
  return e;
}

StatusOr<std::vector<Row>> DecodeRows(const PGresult* res) {
  std::vector<Row> rows;
  int nrows = PQntuples(res), ncols = PQnfields(res);
  rows.reserve(nrows);
  for (int r = 0; r < nrows; ++r) {
    std::vector<Value> values;
    values.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      VT_ASSIGN_OR_RETURN(Value v, DecodeCell(res, r, c));
      values.push_back(std::move(v));
    }
    rows.emplace_back(std::move(values));
  }
  return rows;
}

int64_t ChangedRows(PGresult* res) {
  std::string_view tag = PQcmdStatus(res);
  if (!tag.starts_with("INSERT") && !tag.starts_with("UPDATE") && !tag.starts_with("DELETE") &&
      !tag.starts_with("MERGE")) {
    return 0;
  }
  std::string_view n = PQcmdTuples(res);
  int64_t v = 0;
  std::from_chars(n.data(), n.data() + n.size(), v);
  return v;
}

}  // namespace vt::store::internal
