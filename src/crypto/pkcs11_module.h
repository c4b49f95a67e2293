// Internal to the crypto module: loading a PKCS#11 v2.40 module with dlopen()
// and translating CK_RV codes into Status values. Uses the OASIS header as
// shipped by Debian's libp11-kit-dev.
#pragma once

#include <p11-kit-1/p11-kit/pkcs11.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vt::crypto::internal {

// A loaded and initialized module. Modules are loaded once per path and stay
// loaded (and initialized) for the life of the process: C_Finalize would pull
// the library from under every other session of the process, and PKCS#11
// allows only one C_Initialize per process. Thread-safe: the module is
// initialized with CKF_OS_LOCKING_OK.
class Pkcs11Module {
 public:
  // NotFound if the file does not exist; FailedPrecondition if it is not a
  // PKCS#11 module or C_Initialize fails.
  static StatusOr<std::shared_ptr<Pkcs11Module>> Load(const std::string& path);

  CK_FUNCTION_LIST* fn() const { return fn_; }
  const std::string& path() const { return path_; }

  // The slot holding an initialized token with this label (blank padding
  // ignored). NotFound if none; FailedPrecondition if several.
  StatusOr<CK_SLOT_ID> FindTokenSlot(std::string_view token_label) const;

 private:
  Pkcs11Module(std::string path, CK_FUNCTION_LIST* fn) : path_(std::move(path)), fn_(fn) {}
  std::string path_;
  CK_FUNCTION_LIST* fn_;
};

// A Status for a failed PKCS#11 call `what` ("C_Sign"): PIN errors are
// PermissionDenied, a missing token or broken session Unavailable, unsupported
// mechanisms or curves Unimplemented, anything else Internal. The message
// names the call and the CKR code.
Status Pkcs11Error(std::string_view what, CK_RV rv);

// "CKR_PIN_INCORRECT" for known codes, "CKR_0x..." otherwise.
std::string CkrName(CK_RV rv);

}  // namespace vt::crypto::internal
