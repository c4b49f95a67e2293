// Writes a large, well-formed test asset for content_bench.sh, streamed (the
// file never sits in memory):
//   content_bench_gen jpeg|png|wav|mp4 BYTES OUT
// JPEG: SOI, APP0, DQT, SOS, scan bytes (no 0xFF), EOI. PNG: IHDR, 1 MiB IDAT
// chunks, IEND. WAV: 8-bit PCM. MP4: ftyp, a small moov whose stco points
// into the mdat, one mdat holding nearly all bytes (32-bit box sizes, so
// BYTES < 4 GiB).
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void Be32(std::string* s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void Le32(std::string* s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
std::string Box(const std::string& type, const std::string& body) {
  std::string b;
  Be32(&b, static_cast<uint32_t>(8 + body.size()));
  return b + type + body;
}
std::string PngChunk(const std::string& type, const std::string& data) {
  std::string c;
  Be32(&c, static_cast<uint32_t>(data.size()));
  c += type + data;
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(c.data() + 4), static_cast<uInt>(c.size() - 4));
  Be32(&c, static_cast<uint32_t>(crc));
  return c;
}

// Writes `n` filler bytes (0x00..0x7E, never 0xFF) in 1 MiB blocks.
bool Fill(FILE* f, uint64_t n) {
  std::vector<char> block(1 << 20);
  for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>((i * 7 + 1) % 127);
  while (n > 0) {
    size_t k = n < block.size() ? static_cast<size_t>(n) : block.size();
    if (fwrite(block.data(), 1, k, f) != k) return false;
    n -= k;
  }
  return true;
}

bool Put(FILE* f, const std::string& s) { return fwrite(s.data(), 1, s.size(), f) == s.size(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: content_bench_gen jpeg|png|wav|mp4 BYTES OUT\n");
    return 2;
  }
  std::string kind = argv[1];
  uint64_t bytes = strtoull(argv[2], nullptr, 10);
  if (bytes < 4096 || bytes >= (uint64_t{1} << 32) - 65536) {
    fprintf(stderr, "BYTES must be in 4096 .. 4 GiB - 64 KiB\n");
    return 2;
  }
  FILE* f = fopen(argv[3], "wb");
  if (f == nullptr) return 1;
  bool ok = true;
  if (kind == "jpeg") {
    std::string h("\xFF\xD8", 2);
    h += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
    h += std::string("\xFF\xDB\x00\x05\x00\x01\x02", 7);
    h += std::string("\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10);
    ok = Put(f, h) && Fill(f, bytes - h.size() - 2) && Put(f, std::string("\xFF\xD9", 2));
  } else if (kind == "png") {
    std::string ihdr;
    Be32(&ihdr, 1);
    Be32(&ihdr, 1);
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);
    ok = Put(f, std::string("\x89PNG\r\n\x1A\n", 8) + PngChunk("IHDR", ihdr));
    uint64_t left = bytes - 33 - 12;  // signature + IHDR, IEND
    std::string data(1 << 20, '\0');
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 7 + 1) % 127);
    while (ok && left > 12) {
      size_t n = left - 12 < data.size() ? static_cast<size_t>(left - 12) : data.size();
      std::string c = PngChunk("IDAT", data.substr(0, n));
      ok = Put(f, c);
      left -= c.size();
    }
    ok = ok && Put(f, PngChunk("IEND", ""));
  } else if (kind == "wav") {
    uint32_t samples = static_cast<uint32_t>(bytes - 44) & ~1u;
    std::string h = "RIFF";
    Le32(&h, samples + 36);
    h += "WAVEfmt ";
    Le32(&h, 16);
    h += std::string("\x01\x00\x01\x00", 4);
    Le32(&h, 8000);
    Le32(&h, 8000);
    h += std::string("\x01\x00\x08\x00", 4);
    h += "data";
    Le32(&h, samples);
    ok = Put(f, h) && Fill(f, samples);
  } else if (kind == "mp4") {
    std::string ftyp = Box("ftyp", std::string("isom\0\0\0\0isom", 12));
    auto moov = [](uint32_t offset) {
      std::string stco("\0\0\0\0", 4);
      Be32(&stco, 1);
      Be32(&stco, offset);
      return Box("moov", Box("trak", Box("mdia", Box("minf", Box("stbl", Box("stco", stco))))));
    };
    uint32_t head = static_cast<uint32_t>(ftyp.size() + moov(0).size());
    uint64_t payload = bytes - head - 8;
    std::string mdat;
    Be32(&mdat, static_cast<uint32_t>(payload + 8));
    mdat += "mdat";
    ok = Put(f, ftyp + moov(head + 8) + mdat) && Fill(f, payload);
  } else {
    fprintf(stderr, "unknown kind %s\n", kind.c_str());
    ok = false;
  }
  ok = fclose(f) == 0 && ok;
  return ok ? 0 : 1;
}
