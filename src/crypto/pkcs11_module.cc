#include "crypto/pkcs11_module.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <vector>

namespace vt::crypto::internal {
namespace {

struct CkrEntry {
  CK_RV rv;
  const char* name;
  Status (*make)(std::string);
};

#define VT_CKR(code, make) \
  { code, #code, make }
const CkrEntry kCkr[] = {
    VT_CKR(CKR_PIN_INCORRECT, PermissionDeniedError),
    VT_CKR(CKR_PIN_INVALID, PermissionDeniedError),
    VT_CKR(CKR_PIN_LEN_RANGE, PermissionDeniedError),
    VT_CKR(CKR_PIN_EXPIRED, PermissionDeniedError),
    VT_CKR(CKR_PIN_LOCKED, PermissionDeniedError),
    VT_CKR(CKR_USER_PIN_NOT_INITIALIZED, FailedPreconditionError),
    VT_CKR(CKR_DEVICE_REMOVED, UnavailableError),
    VT_CKR(CKR_DEVICE_ERROR, UnavailableError),
    VT_CKR(CKR_DEVICE_MEMORY, UnavailableError),
    VT_CKR(CKR_TOKEN_NOT_PRESENT, UnavailableError),
    VT_CKR(CKR_TOKEN_NOT_RECOGNIZED, UnavailableError),
    VT_CKR(CKR_SESSION_CLOSED, UnavailableError),
    VT_CKR(CKR_SESSION_HANDLE_INVALID, UnavailableError),
    VT_CKR(CKR_USER_NOT_LOGGED_IN, UnavailableError),
    VT_CKR(CKR_CRYPTOKI_NOT_INITIALIZED, UnavailableError),
    VT_CKR(CKR_MECHANISM_INVALID, UnimplementedError),
    VT_CKR(CKR_CURVE_NOT_SUPPORTED, UnimplementedError),
    VT_CKR(CKR_DOMAIN_PARAMS_INVALID, UnimplementedError),
    VT_CKR(CKR_KEY_HANDLE_INVALID, NotFoundError),
    VT_CKR(CKR_OBJECT_HANDLE_INVALID, NotFoundError),
    VT_CKR(CKR_ATTRIBUTE_SENSITIVE, PermissionDeniedError),
    VT_CKR(CKR_TOKEN_WRITE_PROTECTED, FailedPreconditionError),
    VT_CKR(CKR_SESSION_READ_ONLY, FailedPreconditionError),
    VT_CKR(CKR_TEMPLATE_INCONSISTENT, InternalError),
    VT_CKR(CKR_ATTRIBUTE_VALUE_INVALID, InternalError),
    VT_CKR(CKR_FUNCTION_FAILED, InternalError),
    VT_CKR(CKR_GENERAL_ERROR, InternalError),
};
#undef VT_CKR

const CkrEntry* Lookup(CK_RV rv) {
  for (const auto& e : kCkr) {
    if (e.rv == rv) return &e;
  }
  return nullptr;
}

std::string TrimPadded(const unsigned char* field, size_t n) {
  std::string s(reinterpret_cast<const char*>(field), n);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

}  // namespace

std::string CkrName(CK_RV rv) {
  if (const CkrEntry* e = Lookup(rv)) return e->name;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "CKR_0x%lx", static_cast<unsigned long>(rv));
  return buf;
}

Status Pkcs11Error(std::string_view what, CK_RV rv) {
  const CkrEntry* e = Lookup(rv);
  auto make = e != nullptr ? e->make : InternalError;
  return make("PKCS#11 " + std::string(what) + ": " + CkrName(rv));
}

StatusOr<std::shared_ptr<Pkcs11Module>> Pkcs11Module::Load(const std::string& path) {
  static std::mutex mu;
  static auto* loaded = new std::map<std::string, std::shared_ptr<Pkcs11Module>>();
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded->find(path); it != loaded->end()) return it->second;

  struct stat st;
  if (stat(path.c_str(), &st) != 0) return NotFoundError("PKCS#11 module not found: " + path);
  // Never dlclose()d: see the class comment.
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) return FailedPreconditionError(std::string("dlopen: ") + dlerror());
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(lib, "C_GetFunctionList"));
  CK_FUNCTION_LIST* fn = nullptr;
  if (get_list == nullptr || get_list(&fn) != CKR_OK || fn == nullptr) {
    return FailedPreconditionError(path + " is not a PKCS#11 module");
  }
  CK_C_INITIALIZE_ARGS args = {};
  args.flags = CKF_OS_LOCKING_OK;
  CK_RV rv = fn->C_Initialize(&args);
  // Already initialized by other code in this process: share it.
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    return FailedPreconditionError("PKCS#11 C_Initialize of " + path + ": " + CkrName(rv));
  }
  std::shared_ptr<Pkcs11Module> module(new Pkcs11Module(path, fn));
  (*loaded)[path] = module;
  return module;
}

StatusOr<CK_SLOT_ID> Pkcs11Module::FindTokenSlot(std::string_view token_label) const {
  CK_ULONG n = 0;
  CK_RV rv = fn_->C_GetSlotList(CK_TRUE, nullptr, &n);
  if (rv != CKR_OK) return Pkcs11Error("C_GetSlotList", rv);
  std::vector<CK_SLOT_ID> slots(n);
  rv = fn_->C_GetSlotList(CK_TRUE, slots.data(), &n);
  if (rv != CKR_OK) return Pkcs11Error("C_GetSlotList", rv);
  slots.resize(n);
  std::vector<CK_SLOT_ID> matches;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info;
    if (fn_->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    if (!(info.flags & CKF_TOKEN_INITIALIZED)) continue;
    if (TrimPadded(info.label, sizeof(info.label)) == token_label) matches.push_back(slot);
  }
  if (matches.empty()) {
    return NotFoundError("no PKCS#11 token labelled \"" + std::string(token_label) + "\" in " +
                         path_);
  }
  if (matches.size() > 1) {
    return FailedPreconditionError("several PKCS#11 tokens labelled \"" + std::string(token_label) +
                                   "\"");
  }
  return matches[0];
}

}  // namespace vt::crypto::internal
