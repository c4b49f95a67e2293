// The PKCS#11 signer against a real SoftHSM2 token in a temporary directory:
// keys are generated in the token, signatures verify with the software
// PublicKey, and the private keys cannot be read out (checked through the
// raw PKCS#11 API, independently of the code under test).
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <p11-kit-1/p11-kit/pkcs11.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "crypto/pkcs11_signer.h"

namespace vt::crypto {
namespace {

const char kToken[] = "vtrust-test";
const char kPin[] = "5678";

// One SoftHSM2 configuration and token for the whole test binary: SoftHSM
// reads SOFTHSM2_CONF once, at the process's first C_Initialize, and the
// module then stays initialized (pkcs11_module.h).
class SoftHsmEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    std::string module(kDefaultPkcs11Module);
    if (access(module.c_str(), R_OK) != 0 ||
        std::system("command -v softhsm2-util >/dev/null 2>&1") != 0) {
      skip = "SoftHSM2 not installed (apt-get install softhsm2)";
      return;
    }
    std::string tmpl = ::testing::TempDir() + "/vtrust-softhsm-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) {
      skip = "mkdtemp failed";
      return;
    }
    dir = tmpl;
    std::filesystem::create_directory(dir + "/tokens");
    std::ofstream(dir + "/softhsm2.conf") << "directories.tokendir = " << dir << "/tokens\n"
                                          << "objectstore.backend = file\nlog.level = ERROR\n";
    setenv("SOFTHSM2_CONF", (dir + "/softhsm2.conf").c_str(), 1);
    std::string init = std::string("softhsm2-util --init-token --free --label ") + kToken +
                       " --so-pin 1234 --pin " + kPin + " >/dev/null";
    if (std::system(init.c_str()) != 0) skip = "softhsm2-util --init-token failed";
  }
  void TearDown() override {
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }

  static inline std::string skip;
  static inline std::string dir;
};

[[maybe_unused]] ::testing::Environment* const kSoftHsm =
    ::testing::AddGlobalTestEnvironment(new SoftHsmEnvironment);

class Pkcs11Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SoftHsmEnvironment::skip.empty()) GTEST_SKIP() << SoftHsmEnvironment::skip;
  }

  static std::shared_ptr<Pkcs11Token> OpenToken() {
    auto token = Pkcs11Token::Open({std::string(kDefaultPkcs11Module), kToken, kPin});
    if (!token.ok()) ADD_FAILURE() << token.status().ToString();
    return token.ok() ? *token : nullptr;
  }

  const std::string& dir_ = SoftHsmEnvironment::dir;
};

// Raw PKCS#11 access that bypasses the code under test: reads attributes of
// the private key labelled `label` in its own session.
class RawTokenView {
 public:
  RawTokenView() {
    void* lib = dlopen(std::string(kDefaultPkcs11Module).c_str(), RTLD_NOW | RTLD_LOCAL);
    auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(lib, "C_GetFunctionList"));
    if (get == nullptr || get(&fn_) != CKR_OK) std::abort();
    CK_RV rv = fn_->C_Initialize(nullptr);  // already done by the code under test
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) std::abort();
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    if (fn_->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK) std::abort();
    for (CK_ULONG i = 0; i < n; ++i) {
      CK_TOKEN_INFO info;
      fn_->C_GetTokenInfo(slots[i], &info);
      if (std::string(reinterpret_cast<char*>(info.label), sizeof(kToken) - 1) == kToken) {
        fn_->C_OpenSession(slots[i], CKF_SERIAL_SESSION, nullptr, nullptr, &session_);
      }
    }
    std::string pin = kPin;
    rv = fn_->C_Login(session_, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()), pin.size());
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) std::abort();
  }
  ~RawTokenView() { fn_->C_CloseSession(session_); }

  CK_OBJECT_HANDLE PrivateKey(const std::string& label) {
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof(cls)},
                           {CKA_LABEL, const_cast<char*>(label.data()), label.size()}};
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ULONG n = 0;
    fn_->C_FindObjectsInit(session_, tmpl, 2);
    fn_->C_FindObjects(session_, &h, 1, &n);
    fn_->C_FindObjectsFinal(session_);
    return n == 1 ? h : CK_INVALID_HANDLE;
  }
  CK_RV Get(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, std::string* value) {
    value->assign(256, '\0');
    CK_ATTRIBUTE a = {type, value->data(), value->size()};
    CK_RV rv = fn_->C_GetAttributeValue(session_, h, &a, 1);
    if (rv == CKR_OK) value->resize(a.ulValueLen);
    return rv;
  }
  bool Bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type) {
    std::string v;
    EXPECT_EQ(Get(h, type, &v), CKR_OK);
    return v.size() == 1 && v[0] == CK_TRUE;
  }

 private:
  CK_FUNCTION_LIST* fn_ = nullptr;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
};

class Pkcs11AlgTest : public Pkcs11Test, public ::testing::WithParamInterface<KeyAlg> {};

INSTANTIATE_TEST_SUITE_P(P256AndEd25519, Pkcs11AlgTest,
                         ::testing::Values(KeyAlg::kP256, KeyAlg::kEd25519),
                         [](const auto& info) { return std::string(KeyAlgName(info.param)); });

TEST_P(Pkcs11AlgTest, GeneratesInTokenSignsAndVerifiesInSoftware) {
  auto token = OpenToken();
  ASSERT_NE(token, nullptr);
  std::string label = "sign-" + std::string(KeyAlgName(GetParam()));
  auto pub = token->GenerateKeyPair(GetParam(), label);
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(pub->alg(), GetParam());
  auto signer = MakePkcs11Signer(token, label);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ((*signer)->alg(), GetParam());
  EXPECT_TRUE((*signer)->public_key() == *pub);
  EXPECT_EQ((*signer)->Describe(), "pkcs11:token=vtrust-test;object=" + label);
  auto sig = (*signer)->Sign("signed inside the token");
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  // Verified by the software key (OpenSSL), from the exported SPKI.
  auto exported = PublicKey::FromDer(pub->ToDer());
  ASSERT_TRUE(exported.ok());
  EXPECT_TRUE(exported->Verify("signed inside the token", *sig).ok());
  EXPECT_FALSE(exported->Verify("signed inside the token!", *sig).ok());
  if (GetParam() == KeyAlg::kEd25519) {
    EXPECT_EQ(sig->size(), 64u);
    EXPECT_EQ(*(*signer)->Sign("signed inside the token"), *sig);  // deterministic
  } else {
    EXPECT_EQ((*sig)[0], '\x30');  // DER ECDSA-Sig-Value, not raw r||s
  }
}

TEST_P(Pkcs11AlgTest, PrivateKeyIsNotExtractable) {
  std::string label = "locked-" + std::string(KeyAlgName(GetParam()));
  {
    auto token = OpenToken();
    ASSERT_NE(token, nullptr);
    ASSERT_TRUE(token->GenerateKeyPair(GetParam(), label).ok());
  }
  RawTokenView raw;
  CK_OBJECT_HANDLE key = raw.PrivateKey(label);
  ASSERT_NE(key, CK_INVALID_HANDLE);
  std::string value;
  EXPECT_EQ(raw.Get(key, CKA_VALUE, &value), CKR_ATTRIBUTE_SENSITIVE);
  EXPECT_FALSE(raw.Bool(key, CKA_EXTRACTABLE));
  EXPECT_TRUE(raw.Bool(key, CKA_SENSITIVE));
  EXPECT_TRUE(raw.Bool(key, CKA_NEVER_EXTRACTABLE));
  EXPECT_TRUE(raw.Bool(key, CKA_ALWAYS_SENSITIVE));
  EXPECT_TRUE(raw.Bool(key, CKA_TOKEN));
}

TEST_F(Pkcs11Test, KeysPersistAcrossSessions) {
  StatusOr<PublicKey> generated = InvalidArgumentError("unset");
  {
    auto token = OpenToken();
    ASSERT_NE(token, nullptr);
    generated = token->GenerateKeyPair(KeyAlg::kP256, "persistent");
    ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  }
  auto token = OpenToken();
  ASSERT_NE(token, nullptr);
  auto pub = token->GetPublicKey("persistent");
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_TRUE(*pub == *generated);
  auto signer = MakePkcs11Signer(token, "persistent");
  ASSERT_TRUE(signer.ok());
  auto sig = (*signer)->Sign("after reopening");
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_TRUE(generated->Verify("after reopening", *sig).ok());
}

TEST_F(Pkcs11Test, ConcurrentSigningThroughOneSession) {
  auto token = OpenToken();
  ASSERT_NE(token, nullptr);
  ASSERT_TRUE(token->GenerateKeyPair(KeyAlg::kP256, "busy").ok());
  auto signer = MakePkcs11Signer(token, "busy");
  ASSERT_TRUE(signer.ok());
  Signer* s = signer->get();
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string m = std::to_string(t) + ":" + std::to_string(i);
        auto sig = s->Sign(m);
        if (sig.ok() && s->public_key().Verify(m, *sig).ok()) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 40);
}

TEST_F(Pkcs11Test, Refusals) {
  auto token = OpenToken();
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->GenerateKeyPair(KeyAlg::kSm2, "sm2").status().code(),
            StatusCode::kUnimplemented);
  ASSERT_TRUE(token->GenerateKeyPair(KeyAlg::kEd25519, "taken").ok());
  EXPECT_EQ(token->GenerateKeyPair(KeyAlg::kP256, "taken").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(MakePkcs11Signer(token, "absent").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(token->GetPublicKey("absent").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(
      Pkcs11Token::Open({std::string(kDefaultPkcs11Module), "no-such-token", kPin}).status().code(),
      StatusCode::kNotFound);
  EXPECT_EQ(Pkcs11Token::Open({dir_ + "/missing.so", kToken, kPin}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Pkcs11Token::Open({dir_ + "/softhsm2.conf", kToken, kPin}).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(Pkcs11Test, WrongPinIsPermissionDenied) {
  // No other session of this process is logged in here (each test closes its
  // tokens), so the token really checks the PIN.
  auto token = Pkcs11Token::Open({std::string(kDefaultPkcs11Module), kToken, "0000"});
  EXPECT_EQ(token.status().code(), StatusCode::kPermissionDenied) << token.status().ToString();
  EXPECT_NE(OpenToken(), nullptr);  // the right PIN still works
}

}  // namespace
}  // namespace vt::crypto
