#include "api/problem.h"

namespace vt::api {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kOutOfRange:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kAborted:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnimplemented:
      return 501;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDeadlineExceeded:
      return 504;
    case StatusCode::kDataLoss:
      return 500;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {
const char* TitleFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return "Invalid request";
    case StatusCode::kOutOfRange:
      return "Value out of range";
    case StatusCode::kUnauthenticated:
      return "Authentication required";
    case StatusCode::kPermissionDenied:
      return "Forbidden";
    case StatusCode::kNotFound:
      return "Not found";
    case StatusCode::kAlreadyExists:
      return "Already exists";
    case StatusCode::kFailedPrecondition:
      return "Conflict with the current state";
    case StatusCode::kAborted:
      return "Concurrent modification";
    case StatusCode::kResourceExhausted:
      return "Too large";
    case StatusCode::kUnimplemented:
      return "Not implemented";
    case StatusCode::kUnavailable:
      return "Service unavailable";
    case StatusCode::kDeadlineExceeded:
      return "Timed out";
    default:
      return "Internal error";
  }
}
}  // namespace

Json ProblemFor(const Status& s) {
  Json p = Json::object();
  if (!s.details().empty()) {
    auto d = Json::parse(s.details(), nullptr, /*allow_exceptions=*/false);
    if (d.is_object()) p = d;
  }
  int http = HttpStatusFor(s.code());
  p["type"] = "urn:vtrust:problem:" + std::string(StatusCodeName(s.code()));
  p["title"] = TitleFor(s.code());
  p["status"] = http;
  p["detail"] = http == 500 ? "internal error; see the server log" : s.message();
  if (!s.field().empty()) p["field"] = s.field();
  return p;
}

}  // namespace vt::api
