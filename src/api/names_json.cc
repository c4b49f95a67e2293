#include "api/names_json.h"

#include "domain/names.h"

namespace vt::api {

Json WithNameReview(Json body, const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    std::string_view review = domain::NameReview(n);
    if (!review.empty()) {
      body["name_review"] = std::string(review);
      break;
    }
  }
  return body;
}

}  // namespace vt::api
