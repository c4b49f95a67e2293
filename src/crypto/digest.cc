#include "crypto/digest.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace vt::crypto {
namespace {

const EVP_MD* Md(HashAlg alg) {
  // Fetched once; EVP_MD_fetch avoids the implicit-fetch cost on every digest.
  static EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
  const EVP_MD* md = alg == HashAlg::kSha256 ? sha256 : sm3;
  if (md == nullptr) std::abort();  // OpenSSL without SHA-256/SM3 cannot run vtrust
  return md;
}

}  // namespace

struct Hasher::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(HashAlg alg) : impl_(std::make_unique<Impl>()), alg_(alg) {
  if (impl_->ctx == nullptr || EVP_DigestInit_ex2(impl_->ctx, Md(alg), nullptr) != 1) std::abort();
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::Update(std::string_view data) {
  EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}

std::string Hasher::Final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(impl_->ctx, out, &n);
  EVP_DigestInit_ex2(impl_->ctx, Md(alg_), nullptr);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string Digest(HashAlg alg, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out, &n, Md(alg), nullptr) != 1) std::abort();
  return std::string(reinterpret_cast<char*>(out), n);
}
std::string Sha256(std::string_view data) { return Digest(HashAlg::kSha256, data); }
std::string Sm3(std::string_view data) { return Digest(HashAlg::kSm3, data); }

StatusOr<FileDigests> DigestFile(const std::string& path) {
  FILE* f = fopen(path.c_str(), "rb");
  if (f == nullptr) {
    std::string err = strerror(errno);
    if (errno == ENOENT) return NotFoundError(path + ": " + err);
    return InternalError(path + ": " + err);
  }
  std::unique_ptr<FILE, int (*)(FILE*)> closer(f, fclose);
  Hasher sha(HashAlg::kSha256), sm3(HashAlg::kSm3);
  std::vector<char> buf(1 << 20);
  FileDigests out;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) {
    std::string_view chunk(buf.data(), n);
    sha.Update(chunk);
    sm3.Update(chunk);
    out.size += n;
  }
  if (ferror(f)) return InternalError(path + ": read error");
  out.sha256 = sha.Final();
  out.sm3 = sm3.Final();
  return out;
}

}  // namespace vt::crypto
