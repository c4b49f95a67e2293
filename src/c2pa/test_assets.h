// Test-only helpers for the c2pa tests and fuzz seeds (header-only; not part
// of the library): tiny valid JPEG/PNG/WAV byte layouts built in code.
#pragma once

#include <zlib.h>

#include <string>

namespace vt::c2pa::testing {

inline void PutBe32(std::string* s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
inline void PutLe32(std::string* s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// SOI, APP0 JFIF, DQT-like filler segment, SOS with `scan_bytes` of data, EOI.
inline std::string TinyJpeg(size_t scan_bytes = 64) {
  std::string j("\xFF\xD8", 2);
  j += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  j += std::string("\xFF\xDB\x00\x05\x00\x01\x02", 7);
  j += std::string("\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10);
  for (size_t i = 0; i < scan_bytes; ++i) j.push_back(static_cast<char>((i * 7 + 1) & 0x7F));
  j += std::string("\xFF\xD9", 2);
  return j;
}

inline std::string PngChunk(const std::string& type, const std::string& data) {
  std::string c;
  PutBe32(&c, static_cast<uint32_t>(data.size()));
  c += type + data;
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(c.data() + 4), static_cast<uInt>(c.size() - 4));
  PutBe32(&c, static_cast<uint32_t>(crc));
  return c;
}

inline std::string TinyPng() {
  std::string ihdr;
  PutBe32(&ihdr, 1);
  PutBe32(&ihdr, 1);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1A\n", 8) + PngChunk("IHDR", ihdr) +
         PngChunk("IDAT", std::string("\x78\x9c\x63\x60\x60\x60\x00\x00\x00\x04\x00\x01", 12)) +
         PngChunk("IEND", "");
}

// RIFF/WAVE, 8 kHz mono 8-bit PCM, `samples` bytes of data.
inline std::string TinyWav(size_t samples = 101) {
  std::string fmt;
  fmt += std::string("\x01\x00\x01\x00", 4);  // PCM, mono
  PutLe32(&fmt, 8000);
  PutLe32(&fmt, 8000);
  fmt += std::string("\x01\x00\x08\x00", 4);
  std::string body = "WAVE";
  body += "fmt ";
  PutLe32(&body, static_cast<uint32_t>(fmt.size()));
  body += fmt + "data";
  PutLe32(&body, static_cast<uint32_t>(samples));
  for (size_t i = 0; i < samples; ++i) body.push_back(static_cast<char>(128 + (i % 50)));
  if (samples & 1) body.push_back('\0');
  std::string w = "RIFF";
  PutLe32(&w, static_cast<uint32_t>(body.size()));
  return w + body;
}

inline std::string BmffBox(const std::string& type, const std::string& body) {
  std::string b;
  PutBe32(&b, static_cast<uint32_t>(8 + body.size()));
  return b + type + body;
}

inline std::string TinyMoov(uint32_t chunk_offset) {
  std::string stco("\0\0\0\0", 4);
  PutBe32(&stco, 1);
  PutBe32(&stco, chunk_offset);
  std::string stbl = BmffBox("stbl", BmffBox("stco", stco));
  return BmffBox("moov", BmffBox("trak", BmffBox("mdia", BmffBox("minf", stbl))));
}

inline constexpr char kMp4Sample[] = "one tiny sample of media data";

// ftyp, moov (with a stco pointing at the sample), free, mdat.
inline std::string TinyMp4() {
  std::string ftyp = BmffBox("ftyp", std::string("isom\0\0\0\0isom", 12));
  std::string free = BmffBox("free", "padding");
  uint32_t offset = static_cast<uint32_t>(ftyp.size() + TinyMoov(0).size() + free.size() + 8);
  return ftyp + TinyMoov(offset) + free + BmffBox("mdat", kMp4Sample);
}

}  // namespace vt::c2pa::testing
