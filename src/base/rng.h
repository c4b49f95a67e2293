// Injected randomness. Production code takes an Rng&; unit tests may pass a
// deterministic one. SystemRng reads the kernel CSPRNG (getrandom(2)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vt {

class Rng {
 public:
  virtual ~Rng() = default;
  // Fills `out` with `n` random bytes. Thread-safe. Never fails (aborts if the
  // kernel cannot supply entropy, which would make every key unsafe).
  virtual void Fill(uint8_t* out, size_t n) = 0;
  std::vector<uint8_t> Bytes(size_t n);
  uint64_t Uint64();
  // Uniform in [0, bound). Precondition: bound > 0.
  uint64_t Uniform(uint64_t bound);
};

class SystemRng final : public Rng {
 public:
  void Fill(uint8_t* out, size_t n) override;
  static SystemRng& Get();
};

// A deterministic generator (splitmix64) for tests and synthetic benchmarks. Not
// cryptographically secure; never use it for keys or tokens.
class DeterministicRng final : public Rng {
 public:
  explicit DeterministicRng(uint64_t seed) : state_(seed) {}
  void Fill(uint8_t* out, size_t n) override;

 private:
  uint64_t state_;
};

}  // namespace vt
