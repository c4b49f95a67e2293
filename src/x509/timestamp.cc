// RFC 3161 on OpenSSL's TS support: TS_RESP_CTX answers, TS_REQ asks,
// TS_VERIFY_CTX and PKCS7_signatureVerify check (see timestamp.h).
#include "x509/timestamp.h"

#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>

#include <ctime>

#include "crypto/ossl.h"
#include "x509/cert.h"

VT_OSSL_MAKE_DELETER(TS_RESP_CTX, TS_RESP_CTX_free)
VT_OSSL_MAKE_DELETER(TS_RESP, TS_RESP_free)
VT_OSSL_MAKE_DELETER(TS_REQ, TS_REQ_free)
VT_OSSL_MAKE_DELETER(TS_MSG_IMPRINT, TS_MSG_IMPRINT_free)
VT_OSSL_MAKE_DELETER(TS_TST_INFO, TS_TST_INFO_free)
VT_OSSL_MAKE_DELETER(TS_VERIFY_CTX, TS_VERIFY_CTX_free)
VT_OSSL_MAKE_DELETER(PKCS7, PKCS7_free)
VT_OSSL_MAKE_DELETER(X509_ALGOR, X509_ALGOR_free)

namespace vt::x509 {
namespace {

using ossl::UniquePtr;

ossl::X509Ptr ParseCert(std::string_view der) {
  return ossl::ParseDerExact<ossl::X509Ptr>(der, d2i_X509);
}

TimePoint AsnTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return TimePoint{};
  return std::chrono::time_point_cast<TimePoint::duration>(
      std::chrono::system_clock::from_time_t(timegm(&tm)));
}

std::string NameEntry(X509_NAME* name, int nid) {
  int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return "";
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

std::string Subject(X509* x) {
  X509_NAME* n = X509_get_subject_name(x);
  std::string s = "CN=" + NameEntry(n, NID_commonName);
  std::string o = NameEntry(n, NID_organizationName);
  return o.empty() ? s : s + ", O=" + o;
}

// TS_serial_cb: a random positive 128-bit serial (RFC 3161 §2.4.2 allows any
// integer unique per TSA; 16 random octets make collisions negligible).
ASN1_INTEGER* RandomSerial(TS_RESP_CTX*, void* data) {
  uint8_t b[16];
  static_cast<Rng*>(data)->Fill(b, sizeof(b));
  b[0] &= 0x7F;
  b[0] |= 0x01;
  ossl::BignumPtr bn(BN_bin2bn(b, sizeof(b), nullptr));
  return bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr;
}

// TS_time_cb: genTime from the injected clock.
int ClockTime(TS_RESP_CTX*, void* data, long* sec, long* usec) {
  int64_t ms = static_cast<const Clock*>(data)->NowUnixMillis();
  *sec = static_cast<long>(ms / 1000);
  *usec = static_cast<long>((ms % 1000) * 1000);
  return 1;
}

}  // namespace

struct TimeStampAuthority::State {
  crypto::PrivateKey key;  // the EVP_PKEY OpenSSL's responder signs with
  std::string cert_der;
  ossl::X509Ptr cert;
  std::vector<ossl::X509Ptr> chain;
  ossl::Asn1ObjectPtr policy;
  const Clock* clock;
  Rng* rng;
};

StatusOr<TimeStampAuthority> TimeStampAuthority::Create(crypto::PrivateKey key,
                                                        std::string cert_der,
                                                        std::vector<std::string> chain_der,
                                                        const Clock& clock, Rng& rng) {
  ossl::X509Ptr cert = ParseCert(cert_der);
  if (!cert) return InvalidArgumentError("TSA certificate does not parse");
  if (X509_check_private_key(cert.get(), key.evp()) != 1) {
    ossl::ClearErrors();
    return InvalidArgumentError("the TSA key does not match its certificate");
  }
  // RFC 3161 §2.3: the one EKU is id-kp-timeStamping, and it is critical.
  if (X509_check_purpose(cert.get(), X509_PURPOSE_TIMESTAMP_SIGN, 0) != 1) {
    ossl::ClearErrors();
    return InvalidArgumentError("the TSA certificate lacks a critical id-kp-timeStamping EKU");
  }
  std::vector<ossl::X509Ptr> chain;
  for (const auto& der : chain_der) {
    ossl::X509Ptr c = ParseCert(der);
    if (!c) return InvalidArgumentError("TSA chain certificate does not parse");
    chain.push_back(std::move(c));
  }
  ossl::Asn1ObjectPtr policy(OBJ_txt2obj(std::string(kTsaPolicyOid).c_str(), 1));
  if (!policy) return ossl::Error(InternalError, "TSA policy OID");
  auto st = std::make_shared<State>(State{std::move(key), std::move(cert_der), std::move(cert),
                                          std::move(chain), std::move(policy), &clock, &rng});
  return TimeStampAuthority(std::move(st));
}

const std::string& TimeStampAuthority::certificate_der() const { return state_->cert_der; }

StatusOr<std::string> TimeStampAuthority::Respond(std::string_view request_der) const {
  // One responder context per request: TS_RESP_CTX holds the request being
  // answered, so it is not shared between threads.
  UniquePtr<TS_RESP_CTX> ctx(TS_RESP_CTX_new());
  if (!ctx) return ossl::Error(InternalError, "TS_RESP_CTX_new");
  ossl::CertStackPtr certs(sk_X509_new_null());
  for (const auto& c : state_->chain) {
    if (!certs || !sk_X509_push(certs.get(), c.get())) return InternalError("TSA chain");
    X509_up_ref(c.get());
  }
  if (TS_RESP_CTX_set_signer_cert(ctx.get(), state_->cert.get()) != 1 ||
      TS_RESP_CTX_set_signer_key(ctx.get(), state_->key.evp()) != 1 ||
      TS_RESP_CTX_set_signer_digest(ctx.get(), EVP_sha256()) != 1 ||
      // ESSCertIDv2 with SHA-256 (RFC 5816) rather than SHA-1's ESSCertID.
      TS_RESP_CTX_set_ess_cert_id_digest(ctx.get(), EVP_sha256()) != 1 ||
      TS_RESP_CTX_set_certs(ctx.get(), certs.get()) != 1 ||
      TS_RESP_CTX_set_def_policy(ctx.get(), state_->policy.get()) != 1 ||
      TS_RESP_CTX_add_md(ctx.get(), EVP_sha256()) != 1 ||
      TS_RESP_CTX_add_md(ctx.get(), EVP_sha384()) != 1 ||
      TS_RESP_CTX_add_md(ctx.get(), EVP_sha512()) != 1 ||
      TS_RESP_CTX_set_accuracy(ctx.get(), 1, 0, 0) != 1) {
    return ossl::Error(InternalError, "TSA responder setup");
  }
  TS_RESP_CTX_set_serial_cb(ctx.get(), RandomSerial, state_->rng);
  TS_RESP_CTX_set_time_cb(ctx.get(), ClockTime, const_cast<Clock*>(state_->clock));
  ossl::BioPtr in = ossl::ReadBio(request_der);
  UniquePtr<TS_RESP> resp(TS_RESP_create_response(ctx.get(), in.get()));
  if (!resp) return ossl::Error(InternalError, "TS_RESP_create_response");
  ossl::ClearErrors();  // a rejected request leaves its reason on the queue
  std::string der = ossl::ToDer(resp.get(), i2d_TS_RESP);
  if (der.empty()) return ossl::Error(InternalError, "i2d_TS_RESP");
  return der;
}

StatusOr<std::string> BuildTimeStampRequest(std::string_view message, Rng& rng) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(message.data(), message.size(), digest, &n, EVP_sha256(), nullptr) != 1)
    return ossl::Error(InternalError, "SHA-256");
  UniquePtr<X509_ALGOR> alg(X509_ALGOR_new());
  UniquePtr<TS_MSG_IMPRINT> imprint(TS_MSG_IMPRINT_new());
  UniquePtr<TS_REQ> req(TS_REQ_new());
  uint8_t nonce_bytes[8];
  rng.Fill(nonce_bytes, sizeof(nonce_bytes));
  nonce_bytes[0] &= 0x7F;
  ossl::BignumPtr nonce_bn(BN_bin2bn(nonce_bytes, sizeof(nonce_bytes), nullptr));
  ossl::Asn1IntegerPtr nonce(nonce_bn ? BN_to_ASN1_INTEGER(nonce_bn.get(), nullptr) : nullptr);
  if (!alg || !imprint || !req || !nonce ||
      X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) != 1 ||
      TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(imprint.get(), digest, static_cast<int>(n)) != 1 ||
      TS_REQ_set_version(req.get(), 1) != 1 ||
      TS_REQ_set_msg_imprint(req.get(), imprint.get()) != 1 ||
      TS_REQ_set_nonce(req.get(), nonce.get()) != 1 || TS_REQ_set_cert_req(req.get(), 1) != 1) {
    return ossl::Error(InternalError, "TimeStampReq");
  }
  std::string der = ossl::ToDer(req.get(), i2d_TS_REQ);
  if (der.empty()) return ossl::Error(InternalError, "i2d_TS_REQ");
  return der;
}

StatusOr<std::string> TokenFromResponse(std::string_view response_der,
                                        std::string_view request_der) {
  auto resp = ossl::ParseDerExact<UniquePtr<TS_RESP>>(response_der, d2i_TS_RESP);
  if (!resp) {
    ossl::ClearErrors();
    return InvalidArgumentError("the TSA's reply is not a TimeStampResp");
  }
  TS_STATUS_INFO* info = TS_RESP_get_status_info(resp.get());
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(info));
  if (status != 0 && status != 1) {  // granted, grantedWithMods (RFC 3161 §2.4.2)
    std::string text;
    const STACK_OF(ASN1_UTF8STRING)* texts = TS_STATUS_INFO_get0_text(info);
    for (int i = 0; texts != nullptr && i < sk_ASN1_UTF8STRING_num(texts); ++i)
      text += " " + ossl::AsnStringBytes(sk_ASN1_UTF8STRING_value(texts, i));
    return FailedPreconditionError("the TSA refused the request (PKIStatus " +
                                   std::to_string(status) + ")" + text);
  }
  auto req = ossl::ParseDerExact<UniquePtr<TS_REQ>>(request_der, d2i_TS_REQ);
  if (!req) return InvalidArgumentError("the TimeStampReq does not parse");
  // Version, policy (none asked), imprint and nonce; not the signature,
  // which VerifyTimeStampToken checks against the relying party's anchors.
  UniquePtr<TS_VERIFY_CTX> vctx(TS_REQ_to_TS_VERIFY_CTX(req.get(), nullptr));
  if (!vctx) return ossl::Error(InternalError, "TS_REQ_to_TS_VERIFY_CTX");
  TS_VERIFY_CTX_set_flags(vctx.get(), TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
  if (TS_RESP_verify_response(vctx.get(), resp.get()) != 1)
    return ossl::Error(InvalidArgumentError, "the TSA's reply does not answer the request");
  std::string token = ossl::ToDer(TS_RESP_get_token(resp.get()), i2d_PKCS7);
  if (token.empty()) return InvalidArgumentError("the TSA's reply has no token");
  return token;
}

TokenReport VerifyTimeStampToken(std::string_view token_der, std::string_view message,
                                 const std::vector<std::string>& anchors_der,
                                 const std::vector<std::string>& extra_der) {
  TokenReport r;
  auto p7 = ossl::ParseDerExact<UniquePtr<PKCS7>>(token_der, d2i_PKCS7);
  UniquePtr<TS_TST_INFO> info(p7 ? PKCS7_to_TS_TST_INFO(p7.get()) : nullptr);
  if (!info) {
    ossl::ClearErrors();
    r.explanation = "not an RFC 3161 TimeStampToken";
    return r;
  }
  r.gen_time = AsnTime(TS_TST_INFO_get_time(info.get()));
  STACK_OF(PKCS7_SIGNER_INFO)* sinfos = PKCS7_get_signer_info(p7.get());
  if (sinfos == nullptr || sk_PKCS7_SIGNER_INFO_num(sinfos) != 1) {
    r.explanation = "the token must have exactly one SignerInfo (RFC 3161 §2.4.2)";
    return r;
  }
  PKCS7_SIGNER_INFO* si = sk_PKCS7_SIGNER_INFO_value(sinfos, 0);
  X509* signer = PKCS7_cert_from_signer_info(p7.get(), si);  // owned by p7
  if (signer != nullptr) r.tsa_subject = Subject(signer);

  // 1. The message imprint: the token is over this message.
  {
    UniquePtr<TS_VERIFY_CTX> ctx(TS_VERIFY_CTX_new());
    BIO* data = BIO_new_mem_buf(message.data(), static_cast<int>(message.size()));
    if (!ctx || data == nullptr) {
      BIO_free(data);
      r.explanation = "out of memory";
      return r;
    }
    TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_DATA);
    TS_VERIFY_CTX_set_data(ctx.get(), data);  // the context owns it
    if (TS_RESP_verify_token(ctx.get(), p7.get()) != 1) {
      r.check = TokenCheck::kMismatch;
      r.explanation =
          ossl::Error(InvalidArgumentError, "the message imprint does not match").message();
      return r;
    }
  }
  // 2. The CMS signature, with the certificate the token names.
  if (signer == nullptr) {
    r.check = TokenCheck::kUntrusted;
    r.explanation = "the token does not carry the TSA certificate";
    return r;
  }
  {
    ossl::BioPtr p7bio(PKCS7_dataInit(p7.get(), nullptr));
    bool ok = p7bio != nullptr;
    char buf[4096];
    while (ok && BIO_read(p7bio.get(), buf, sizeof(buf)) > 0) {
    }
    if (!ok || PKCS7_signatureVerify(p7bio.get(), p7.get(), si, signer) <= 0) {
      r.check = TokenCheck::kMismatch;
      r.explanation =
          ossl::Error(InvalidArgumentError, "the TSA's signature does not verify").message();
      return r;
    }
  }
  // 3. The TSA certificate's chain at genTime, timeStamping purpose, ESS ID.
  UniquePtr<TS_VERIFY_CTX> ctx(TS_VERIFY_CTX_new());
  X509_STORE* store = X509_STORE_new();
  STACK_OF(X509)* extra = sk_X509_new_null();
  if (!ctx || store == nullptr || extra == nullptr) {
    X509_STORE_free(store);
    sk_X509_free(extra);
    r.explanation = "out of memory";
    return r;
  }
  TS_VERIFY_CTX_set_store(ctx.get(), store);  // owned by the context from here
  TS_VERIFY_CTX_set_certs(ctx.get(), extra);
  for (const auto& der : anchors_der) {
    ossl::X509Ptr a = ParseCert(der);
    if (a) X509_STORE_add_cert(store, a.get());
  }
  for (const auto& der : extra_der) {
    ossl::X509Ptr c = ParseCert(der);
    if (c && sk_X509_push(extra, c.get())) c.release();
  }
  X509_VERIFY_PARAM_set_time(
      X509_STORE_get0_param(store),
      static_cast<time_t>(
          std::chrono::duration_cast<std::chrono::seconds>(r.gen_time.time_since_epoch()).count()));
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE);
  if (anchors_der.empty() || TS_RESP_verify_token(ctx.get(), p7.get()) != 1) {
    r.check = TokenCheck::kUntrusted;
    r.explanation =
        anchors_der.empty()
            ? "no trust anchors configured for time-stamping authorities"
            : ossl::Error(FailedPreconditionError, "the TSA certificate is not trusted").message();
    return r;
  }
  ossl::ClearErrors();
  r.check = TokenCheck::kValid;
  r.explanation = "timestamp by " + r.tsa_subject;
  return r;
}

}  // namespace vt::x509
