// A brief, deterministic stand-in for libFuzzer in the ordinary build, so the
// test suite runs every fuzz target's entry point (LLVMFuzzerTestOneInput) on
// hostile input without clang: each committed seed of fuzz/corpus/<target>/,
// then mutations of it (bit flips, byte overwrites with boundary values,
// truncations, duplicated and deleted spans, inserted length-like bytes) until
// the time budget is spent. A crash, an abort or a sanitizer report fails the
// test (ctest sees the signal); a target that returns is all we ask. Longer,
// coverage-guided runs: `make fuzz` (fuzz/run.sh).
//
//   fuzz_smoke_<target> CORPUS_DIR [SECONDS]   (default 3 s)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

// One mutation of `s` drawn from `rng`.
std::string Mutate(std::string s, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n); };
  static constexpr uint8_t kBoundary[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x18,
                                          0x19, 0x1a, 0x1b, 0x9f, 0xbf, 0xff};
  int rounds = 1 + static_cast<int>(rng() % 4);
  for (int r = 0; r < rounds; ++r) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:  // overwrite with a boundary value
        if (!s.empty()) s[pick(s.size())] = static_cast<char>(kBoundary[pick(sizeof kBoundary)]);
        break;
      case 2:  // truncate
        s.resize(pick(s.size() + 1));
        break;
      case 3: {  // duplicate a span
        size_t at = pick(s.size() + 1), len = pick(std::min<size_t>(s.size() - at + 1, 64));
        s.insert(at, s.substr(at, len));
        break;
      }
      case 4: {  // delete a span
        size_t at = pick(s.size() + 1), len = pick(std::min<size_t>(s.size() - at + 1, 64));
        s.erase(at, len);
        break;
      }
      default: {  // insert a big-endian length-like word
        size_t at = pick(s.size() + 1);
        uint32_t v = static_cast<uint32_t>(rng());
        std::string w = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
        s.insert(at, w);
        break;
      }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [SECONDS]\n", argv[0]);
    return 2;
  }
  double seconds = argc > 2 ? std::stod(argv[2]) : 3.0;
  std::vector<std::string> seeds = {std::string(), std::string(1, '\0')};
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(argv[1], ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream b;
    b << in.rdbuf();
    seeds.push_back(b.str());
  }
  if (ec || seeds.size() == 2) {
    std::fprintf(stderr, "no seeds in %s\n", argv[1]);
    return 2;
  }
  for (const auto& s : seeds) Run(s);
  std::mt19937_64 rng(0x76747275737421);  // fixed: a failure reproduces
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  uint64_t runs = seeds.size();
  while (std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 64; ++i, ++runs) Run(Mutate(seeds[rng() % seeds.size()], rng));
  }
  std::printf("%s: %llu inputs (%zu seeds), no crash\n", argv[0],
              static_cast<unsigned long long>(runs), seeds.size());
  return 0;
}
