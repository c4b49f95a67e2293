#include "domain/names.h"

#include <cstdint>
#include <cstdio>
#include <set>

#include "base/encoding.h"

namespace vt::domain {
namespace {

// Decodes the code point at `s[*i]` (valid UTF-8) and advances *i.
char32_t Next(std::string_view s, size_t* i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[*i + k]); };
  unsigned char c = b(0);
  char32_t cp;
  size_t n;
  if (c < 0x80) {
    cp = c;
    n = 1;
  } else if ((c >> 5) == 0x6) {
    cp = ((c & 0x1F) << 6) | (b(1) & 0x3F);
    n = 2;
  } else if ((c >> 4) == 0xE) {
    cp = ((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    n = 3;
  } else {
    cp = ((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    n = 4;
  }
  *i += n;
  return cp;
}

bool IsBidiControl(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

bool IsZeroWidth(char32_t c) {
  return (c >= 0x200B && c <= 0x200D) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF || c == 0x180E;
}

enum class Script {
  kCommon,  // also Inherited and unclassified blocks
  kLatin,
  kGreek,
  kCyrillic,
  kArmenian,
  kHebrew,
  kArabic,
  kIndic,  // one value per 128-code-point block from U+0900 (see ScriptOf)
  kThai,
  kLao,
  kTibetan,
  kMyanmar,
  kGeorgian,
  kHangul,
  kEthiopic,
  kKhmer,
  kMongolian,
  kHiragana,
  kKatakana,
  kBopomofo,
  kHan,
};

struct Range {
  char32_t lo, hi;
  Script script;
};

// Code-point blocks by script (Unicode 15 Blocks.txt), sorted. Letters of the
// Latin-1 and Latin Extended blocks only: U+00D7 and U+00F7 are Common.
constexpr Range kRanges[] = {
    {'A', 'Z', Script::kLatin},
    {'a', 'z', Script::kLatin},
    {0x00AA, 0x00AA, Script::kLatin},
    {0x00BA, 0x00BA, Script::kLatin},
    {0x00C0, 0x00D6, Script::kLatin},
    {0x00D8, 0x00F6, Script::kLatin},
    {0x00F8, 0x02AF, Script::kLatin},
    {0x0370, 0x03FF, Script::kGreek},
    {0x0400, 0x052F, Script::kCyrillic},
    {0x0531, 0x058F, Script::kArmenian},
    {0x0591, 0x05FF, Script::kHebrew},
    {0x0600, 0x06FF, Script::kArabic},
    {0x0750, 0x077F, Script::kArabic},
    {0x08A0, 0x08FF, Script::kArabic},
    {0x0900, 0x0DFF, Script::kIndic},
    {0x0E00, 0x0E7F, Script::kThai},
    {0x0E80, 0x0EFF, Script::kLao},
    {0x0F00, 0x0FFF, Script::kTibetan},
    {0x1000, 0x109F, Script::kMyanmar},
    {0x10A0, 0x10FF, Script::kGeorgian},
    {0x1100, 0x11FF, Script::kHangul},
    {0x1200, 0x139F, Script::kEthiopic},
    {0x1780, 0x17FF, Script::kKhmer},
    {0x1800, 0x18AF, Script::kMongolian},
    {0x1C80, 0x1C8F, Script::kCyrillic},
    {0x1C90, 0x1CBF, Script::kGeorgian},
    {0x1E00, 0x1EFF, Script::kLatin},
    {0x1F00, 0x1FFF, Script::kGreek},
    {0x2C60, 0x2C7F, Script::kLatin},
    {0x2D00, 0x2D2F, Script::kGeorgian},
    {0x2DE0, 0x2DFF, Script::kCyrillic},
    {0x2E80, 0x2FDF, Script::kHan},
    {0x3005, 0x3005, Script::kHan},
    {0x3007, 0x3007, Script::kHan},
    {0x3021, 0x3029, Script::kHan},
    {0x3038, 0x303B, Script::kHan},
    {0x3041, 0x309F, Script::kHiragana},
    {0x30A0, 0x30FB, Script::kKatakana},
    {0x30FD, 0x30FF, Script::kKatakana},  // U+30FC (prolonged sound mark) is Common
    {0x3105, 0x312F, Script::kBopomofo},
    {0x3131, 0x318E, Script::kHangul},
    {0x31A0, 0x31BF, Script::kBopomofo},
    {0x31F0, 0x31FF, Script::kKatakana},
    {0x3400, 0x4DBF, Script::kHan},
    {0x4E00, 0x9FFF, Script::kHan},
    {0xA640, 0xA69F, Script::kCyrillic},
    {0xA720, 0xA7FF, Script::kLatin},
    {0xA960, 0xA97F, Script::kHangul},
    {0xAB30, 0xAB6F, Script::kLatin},
    {0xAC00, 0xD7FF, Script::kHangul},
    {0xF900, 0xFAFF, Script::kHan},
    {0xFB1D, 0xFB4F, Script::kHebrew},
    {0xFB50, 0xFDFF, Script::kArabic},
    {0xFE70, 0xFEFE, Script::kArabic},
    {0xFF21, 0xFF3A, Script::kLatin},
    {0xFF41, 0xFF5A, Script::kLatin},
    {0xFF66, 0xFF6F, Script::kKatakana},
    {0xFF71, 0xFF9D, Script::kKatakana},
    {0xFFA0, 0xFFDC, Script::kHangul},
    {0x1B000, 0x1B0FF, Script::kKatakana},
    {0x20000, 0x3134F, Script::kHan},
};

// The script of `c`, and for Indic blocks which one (the block number), so that
// Devanagari and Tamil count as two scripts.
std::pair<Script, int> ScriptOf(char32_t c) {
  for (const Range& r : kRanges) {
    if (c < r.lo) break;
    if (c <= r.hi) {
      if (r.script == Script::kIndic) return {r.script, static_cast<int>((c - 0x900) / 0x80)};
      return {r.script, 0};
    }
  }
  return {Script::kCommon, 0};
}

std::string CodePoint(char32_t c) {
  char buf[16];
  snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace

char32_t FirstHiddenCharacter(std::string_view utf8) {
  for (size_t i = 0; i < utf8.size();) {
    char32_t c = Next(utf8, &i);
    if (IsBidiControl(c) || IsZeroWidth(c)) return c;
  }
  return 0;
}

std::string NameProblem(std::string_view name, size_t max_len) {
  std::string limit = "must be 1-" + std::to_string(max_len) + " characters";
  if (name.empty() || name.size() > max_len * 4) return limit;
  if (!IsValidUtf8(name)) return "is not valid UTF-8";
  if (name.front() == ' ' || name.back() == ' ') return "has a leading or trailing space";
  size_t chars = 0;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "contains a control character";
    if ((c & 0xC0) != 0x80) ++chars;
  }
  if (chars > max_len) return limit;
  if (char32_t c = FirstHiddenCharacter(name)) {
    return std::string("contains the ") +
           (IsBidiControl(c) ? "bidirectional formatting" : "zero-width") + " character " +
           CodePoint(c) + ", which changes how it displays";
  }
  return "";
}

std::string_view NameReview(std::string_view name) {
  if (!IsValidUtf8(name)) return "";
  std::set<std::pair<Script, int>> scripts;
  for (size_t i = 0; i < name.size();) {
    auto s = ScriptOf(Next(name, &i));
    if (s.first != Script::kCommon) scripts.insert(s);
  }
  if (scripts.size() <= 1) return "";
  // TR 39 section 5.2, Highly Restrictive: Latin + Jpan, Latin + Hanb, Latin + Kore.
  auto within = [&](std::initializer_list<Script> allowed) {
    for (const auto& [s, block] : scripts) {
      bool ok = false;
      for (Script a : allowed) ok = ok || s == a;
      if (!ok) return false;
    }
    return true;
  };
  if (within({Script::kLatin, Script::kHan, Script::kHiragana, Script::kKatakana}) ||
      within({Script::kLatin, Script::kHan, Script::kBopomofo}) ||
      within({Script::kLatin, Script::kHan, Script::kHangul}))
    return "";
  return "mixed_script";
}

}  // namespace vt::domain
