// Character records: JSON forms, partial updates and validation.
#include <algorithm>
#include <set>

#include "app/core/domain_names.h"
#include "app/identity/characters.h"
#include "domain/names.h"

namespace vt::app {
namespace {

Status ShapeError(const std::string& field, const std::string& want) {
  return InvalidArgumentError(field + " must be " + want).WithField(field);
}

StatusOr<std::string> GetString(const Json& j, const std::string& field) {
  if (!j.is_string()) return ShapeError(field, "a string");
  return j.get<std::string>();
}

bool IsLangTag(const std::string& s) {
  return !s.empty() && s.size() <= 35 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") ==
             std::string::npos;
}

// 64 hex digits, returned in lower case.
StatusOr<std::string> NormalizeHex256(const std::string& s, const std::string& field) {
  if (s.size() != 64 || s.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    return InvalidArgumentError(field + " must be 64 hexadecimal digits").WithField(field);
  std::string out = s;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Status ParseField(const std::string& key, const Json& v, CharacterInput& in) {
  if (key == "name") {
    VT_ASSIGN_OR_RETURN(in.name, GetString(v, "name"));
  } else if (key == "names") {
    if (!v.is_object()) return ShapeError("names", "an object of language tag to name");
    in.names.clear();
    for (const auto& [lang, n] : v.items()) {
      VT_ASSIGN_OR_RETURN(in.names[lang], GetString(n, "names." + lang));
    }
  } else if (key == "description") {
    VT_ASSIGN_OR_RETURN(in.description, GetString(v, "description"));
  } else if (key == "creators") {
    if (!v.is_array()) return ShapeError("creators", "an array of strings");
    in.creators.clear();
    for (size_t i = 0; i < v.size(); ++i) {
      VT_ASSIGN_OR_RETURN(auto c, GetString(v[i], "creators[" + std::to_string(i) + "]"));
      in.creators.push_back(std::move(c));
    }
  } else if (key == "likeness") {
    if (!v.is_array()) return ShapeError("likeness", "an array of {kind, sha256, sm3}");
    in.likeness.clear();
    for (size_t i = 0; i < v.size(); ++i) {
      std::string f = "likeness[" + std::to_string(i) + "]";
      if (!v[i].is_object()) return ShapeError(f, "an object {kind, sha256, sm3}");
      Fingerprint fp;
      for (const char* k : {"kind", "sha256", "sm3"}) {
        if (!v[i].contains(k)) return ShapeError(f + "." + k, "present");
      }
      for (const auto& [k, x] : v[i].items()) {
        if (k != "kind" && k != "sha256" && k != "sm3")
          return InvalidArgumentError("unknown property " + f + "." + k).WithField(f + "." + k);
      }
      VT_ASSIGN_OR_RETURN(fp.kind, GetString(v[i]["kind"], f + ".kind"));
      VT_ASSIGN_OR_RETURN(fp.sha256, GetString(v[i]["sha256"], f + ".sha256"));
      VT_ASSIGN_OR_RETURN(fp.sm3, GetString(v[i]["sm3"], f + ".sm3"));
      in.likeness.push_back(std::move(fp));
    }
  } else if (key == "ai_driven") {
    if (!v.is_boolean()) return ShapeError("ai_driven", "true or false");
    in.ai_driven = v.get<bool>();
  } else if (key == "digital_human_code") {
    VT_ASSIGN_OR_RETURN(in.digital_human_code, GetString(v, "digital_human_code"));
  } else {
    return InvalidArgumentError("unknown property '" + key + "'").WithField(key);
  }
  return OkStatus();
}

}  // namespace

Json Fingerprint::ToJson() const { return {{"kind", kind}, {"sha256", sha256}, {"sm3", sm3}}; }

Json Character::ToJson() const {
  Json likeness = Json::array();
  for (const auto& f : data.likeness) likeness.push_back(f.ToJson());
  Json j = {{"id", id},
            {"urn", urn},
            {"owner_org", owner_org},
            {"name", data.name},
            {"names", data.names},
            {"description", data.description},
            {"creators", data.creators},
            {"likeness", likeness},
            {"ai_driven", data.ai_driven},
            {"digital_human_code", nullptr},
            {"status", store::CharacterStatusName(status)},
            {"created_at", created_at},
            {"updated_at", updated_at},
            {"retired_at", nullptr},
            {"created_by", created_by}};
  if (!data.digital_human_code.empty()) j["digital_human_code"] = data.digital_human_code;
  if (retired_at) j["retired_at"] = *retired_at;
  return j;
}

StatusOr<CharacterInput> CharacterInputFromJson(const Json& j) {
  if (!j.is_object()) return ShapeError("", "a JSON object");
  if (!j.contains("name")) return ShapeError("name", "present");
  CharacterInput in;
  for (const auto& [k, v] : j.items()) {
    if (k == "owner_org") continue;  // handled by the caller
    VT_RETURN_IF_ERROR(ParseField(k, v, in));
  }
  return in;
}

Status ApplyCharacterPatch(const Json& patch, CharacterInput& in) {
  if (!patch.is_object() || patch.empty())
    return ShapeError("", "a non-empty JSON object of fields to change");
  for (const auto& [k, v] : patch.items()) VT_RETURN_IF_ERROR(ParseField(k, v, in));
  return OkStatus();
}

Status ValidateCharacterInput(CharacterInput& in) {
  if (std::string why = NameProblem(in.name); !why.empty())
    return InvalidArgumentError("name " + why).WithField("name");
  if (in.names.size() > 50)
    return InvalidArgumentError("names may hold at most 50 languages").WithField("names");
  for (const auto& [lang, n] : in.names) {
    if (!IsLangTag(lang))
      return InvalidArgumentError("'" + lang + "' is not a language tag (BCP 47)")
          .WithField("names");
    if (std::string why = NameProblem(n); !why.empty())
      return InvalidArgumentError("names." + lang + " " + why).WithField("names." + lang);
  }
  if (!in.description.empty() && !IsValidName(in.description, 4000))
    return InvalidArgumentError("description must be at most 4000 characters of text")
        .WithField("description");
  if (in.creators.size() > 50)
    return InvalidArgumentError("at most 50 creators").WithField("creators");
  for (size_t i = 0; i < in.creators.size(); ++i) {
    if (std::string why = NameProblem(in.creators[i]); !why.empty())
      return InvalidArgumentError("creators[" + std::to_string(i) + "] " + why)
          .WithField("creators[" + std::to_string(i) + "]");
  }
  if (in.likeness.size() > 100)
    return InvalidArgumentError("at most 100 likeness fingerprints").WithField("likeness");
  std::set<std::string> seen;
  for (size_t i = 0; i < in.likeness.size(); ++i) {
    Fingerprint& f = in.likeness[i];
    std::string p = "likeness[" + std::to_string(i) + "]";
    if (std::find(std::begin(kLikenessKinds), std::end(kLikenessKinds), f.kind) ==
        std::end(kLikenessKinds))
      return InvalidArgumentError("unknown likeness kind '" + f.kind + "' (face, model3d, voice)")
          .WithField(p + ".kind");
    VT_ASSIGN_OR_RETURN(f.sha256, NormalizeHex256(f.sha256, p + ".sha256"));
    VT_ASSIGN_OR_RETURN(f.sm3, NormalizeHex256(f.sm3, p + ".sm3"));
    if (!seen.insert(f.kind + ":" + f.sha256).second)
      return InvalidArgumentError(p + " is listed twice").WithField(p);
  }
  const std::string& code = in.digital_human_code;
  if (!code.empty() &&
      (code.size() > 64 ||
       code.find_first_not_of(
           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/") !=
           std::string::npos))
    return InvalidArgumentError(
               "digital_human_code must be 1-64 characters of A-Z, a-z, 0-9 "
               "and -_.:/")
        .WithField("digital_human_code");
  return OkStatus();
}

}  // namespace vt::app
