#include "base/rng.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace vt {

std::vector<uint8_t> Rng::Bytes(size_t n) {
  std::vector<uint8_t> v(n);
  Fill(v.data(), n);
  return v;
}

uint64_t Rng::Uint64() {
  uint64_t v;
  Fill(reinterpret_cast<uint8_t*>(&v), sizeof v);
  return v;
}

uint64_t Rng::Uniform(uint64_t bound) {
  // Rejection sampling removes modulo bias.
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (;;) {
    uint64_t v = Uint64();
    if (v < limit) return v % bound;
  }
}

void SystemRng::Fill(uint8_t* out, size_t n) {
  while (n > 0) {
    ssize_t got = getrandom(out, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      std::abort();
    }
    out += got;
    n -= static_cast<size_t>(got);
  }
}

SystemRng& SystemRng::Get() {
  static SystemRng rng;
  return rng;
}

void DeterministicRng::Fill(uint8_t* out, size_t n) {
  while (n > 0) {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    size_t k = n < 8 ? n : 8;
    memcpy(out, &z, k);
    out += k;
    n -= k;
  }
}

}  // namespace vt
