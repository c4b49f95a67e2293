// Status and StatusOr: the one error currency of vtrust.
//
// Expected failures (bad input, missing rows, conflicts, I/O) are values of these
// types; broken invariants abort. Codes follow absl's canonical codes, and each maps
// one-to-one onto an HTTP status in api/problem.h. A Status can name the offending
// field (for problem documents) and carry a small JSON object of details (for
// example the log entry a duplicate claim points at).
#pragma once

#include <cassert>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vt {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller sent something malformed or out of range (400/422)
  kUnauthenticated,     // no or bad credentials (401)
  kPermissionDenied,    // authenticated, but not allowed (403)
  kNotFound,            // (404)
  kAlreadyExists,       // a uniqueness rule refused the write (409)
  kFailedPrecondition,  // the system is not in a state that allows this (409)
  kAborted,             // concurrency conflict; retrying may succeed (409)
  kOutOfRange,          // (400)
  kResourceExhausted,   // too large, too many (413/429)
  kUnavailable,         // transient: retry later (503)
  kDeadlineExceeded,    // (504)
  kUnimplemented,       // (501)
  kDataLoss,            // stored state is corrupt (500)
  kInternal,            // a bug or an unexpected environment failure (500)
};

// Stable lower-case name of a code, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The input field the error is about ("name", "members[2].role"), or empty.
  const std::string& field() const { return field_; }
  // A serialized JSON object with extra, machine-readable details, or empty.
  const std::string& details() const { return details_; }

  Status&& WithField(std::string field) && {
    field_ = std::move(field);
    return std::move(*this);
  }
  Status&& WithDetails(std::string json_object) && {
    details_ = std::move(json_object);
    return std::move(*this);
  }
  // Prefixes the message with context: "loading key: <message>".
  Status&& Annotate(std::string_view context) &&;

  // "invalid_argument: message [field]".
  std::string ToString() const;
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
  std::string details_;
};

inline Status OkStatus() { return Status(); }
Status InvalidArgumentError(std::string msg);
Status UnauthenticatedError(std::string msg);
Status PermissionDeniedError(std::string msg);
Status NotFoundError(std::string msg);
Status AlreadyExistsError(std::string msg);
Status FailedPreconditionError(std::string msg);
Status AbortedError(std::string msg);
Status OutOfRangeError(std::string msg);
Status ResourceExhaustedError(std::string msg);
Status UnavailableError(std::string msg);
Status UnimplementedError(std::string msg);
Status DataLossError(std::string msg);
Status InternalError(std::string msg);

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const T& value) : v_(value) {}            // NOLINT: implicit by design
  StatusOr(T&& value) : v_(std::move(value)) {}      // NOLINT
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) std::abort();     // an OK status carries no value
  }
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Status> &&
           !std::is_same_v<std::decay_t<U>, StatusOr>) StatusOr(U&& value)
      : v_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const& {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  Status status() && { return ok() ? Status() : std::move(std::get<Status>(v_)); }

  // Precondition: ok(). Violations abort.
  const T& value() const& {
    Check();
    return std::get<T>(v_);
  }
  T& value() & {
    Check();
    return std::get<T>(v_);
  }
  T&& value() && {
    Check();
    return std::move(std::get<T>(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  T value_or(T fallback) const& { return ok() ? std::get<T>(v_) : std::move(fallback); }

 private:
  void Check() const {
    if (!ok()) std::abort();
  }
  std::variant<Status, T> v_;
};

namespace internal {
inline Status AsStatus(Status s) { return s; }
template <typename T>
Status AsStatus(StatusOr<T>&& s) {
  return std::move(s).status();
}
}  // namespace internal

}  // namespace vt

#define VT_CONCAT_INNER_(a, b) a##b
#define VT_CONCAT_(a, b) VT_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define VT_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::vt::Status vt_status_ = (expr);        \
    if (!vt_status_.ok()) return vt_status_; \
  } while (0)

// `lhs = value of expr` (a StatusOr), or returns its error from the enclosing function.
#define VT_ASSIGN_OR_RETURN(lhs, expr) \
  VT_ASSIGN_OR_RETURN_IMPL_(VT_CONCAT_(vt_statusor_, __LINE__), lhs, expr)
#define VT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = std::move(tmp).value()
