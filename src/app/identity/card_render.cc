// The printable card (SVG), its QR code and the public verification page.
#include "app/identity/card_render.h"

#include <memory>

#include "store/identity/identity_repo.h"
#include "x509/registry_id.h"

namespace vt::app {
namespace {

// Decodes one UTF-8 code point at s[i]; returns 0xFFFD (advancing one byte) on
// malformed input.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  i += len;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool XmlAllowed(char32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  return cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF;
}

// At most `max` code points of `s`, with an ellipsis if cut (before escaping).
std::string Clip(std::string_view s, size_t max) {
  std::string out;
  size_t i = 0, n = 0;
  while (i < s.size()) {
    if (n == max) return out + "\u2026";
    AppendUtf8(out, NextCodePoint(s, i));
    ++n;
  }
  return out;
}

// East Asian Width (UAX #11) Wide or Fullwidth: Hangul Jamo, CJK radicals and
// punctuation, kana, CJK ideographs and their extensions, Yi, Hangul syllables,
// compatibility ideographs and forms, fullwidth forms, emoji.
bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
         (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE10 && cp <= 0xFE19) ||
         (cp >= 0xFE30 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
         (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool IsZeroWidth(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
}

// The advance of `cp` in em, rounded up for the widest sans-serif font of the card's
// font stack that has it (DejaVu Sans Bold for Latin, Greek and Cyrillic; any CJK
// font for wide characters, whose ideographs are 1 em square). Measured by East
// Asian Width, not by glyph count: a CJK ideograph takes the room of two Latin
// letters.
double SansEm(char32_t cp) {
  if (IsZeroWidth(cp)) return 0;
  if (IsWide(cp)) return 1.0;
  if (cp >= 0xFF61 && cp <= 0xFFDC) return 0.5;  // halfwidth kana and Hangul
  if (cp == ' ') return 0.35;
  if (cp < 0x80) {
    static constexpr std::string_view kNarrow = "iIjlft.,:;'|!()[]`\"";
    if (kNarrow.find(static_cast<char>(cp)) != std::string_view::npos) return 0.45;
    if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W' || cp == '@' || cp == '%') return 1.05;
    if (cp >= 'A' && cp <= 'Z') return 0.85;
    return 0.72;
  }
  return 0.9;  // other scripts: accented capitals, Cyrillic, Greek, ...
}

// Monospace text: one cell (0.62 em in DejaVu Sans Mono), two for wide characters.
double MonoEm(char32_t cp) {
  if (IsZeroWidth(cp)) return 0;
  return IsWide(cp) ? 1.24 : 0.62;
}

// `text` as it fits `max_width` pixels: at `size` if it fits, else at the largest
// smaller font size down to `min_size`, else cut (with an ellipsis) at `min_size`.
struct Fitted {
  std::string text;
  int size;
};
Fitted Fit(std::string_view text, double max_width, int size, int min_size,
           double (*em)(char32_t) = SansEm) {
  double total = 0;
  for (size_t i = 0; i < text.size();) total += em(NextCodePoint(text, i));
  if (total * size <= max_width) return {std::string(text), size};
  int shrunk = static_cast<int>(max_width / total);
  if (shrunk >= min_size) return {std::string(text), shrunk};
  const double room = max_width / min_size - em(0x2026);
  std::string out;
  double used = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = NextCodePoint(text, i);
    if (used + em(cp) > room) break;
    used += em(cp);
    AppendUtf8(out, cp);
  }
  return {out + "\u2026", min_size};
}

std::string Day(TimePoint t) { return FormatRfc3339(t).substr(0, 10); }

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t cp = NextCodePoint(text, i);
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (XmlAllowed(cp)) AppendUtf8(out, cp);
    }
  }
  return out;
}

StatusOr<QrMatrix> EncodeQr(const std::string& text) {
  auto m = qr::EncodeQr(text, qr::EccLevel::kMedium);
  if (!m.ok()) return InternalError(m.status().message());  // a URL too long is ours
  return m;
}

StatusOr<CardView> LoadCardView(Service& svc, const Principal* p, const std::string& id) {
  // The public view reads like an operator auditor but shows only card fields.
  Principal reader{"", "public-view", "", Role::kAuditor, /*is_operator=*/true};
  CharacterRegistry reg(svc, svc.rng());
  VT_ASSIGN_OR_RETURN(Character ch, reg.Get(p ? *p : reader, id));
  CardView v{std::move(ch), "", {}, std::nullopt, "", svc.clock().Now()};
  const std::string& cid = v.character.id;
  const std::string& org = v.character.owner_org;
  VT_ASSIGN_OR_RETURN(v.owner_name,
                      svc.Read<std::string>([&](store::Conn& c) -> StatusOr<std::string> {
                        auto name = store::NewSqlIdentityRepo(c)->OrgName(org);
                        if (!name.ok() && name.status().code() == StatusCode::kNotFound) return org;
                        return name;
                      }));
  VT_ASSIGN_OR_RETURN(v.cards, svc.Read<std::vector<CardRow>>([&](store::Conn& c) {
    return ListCards(*store::NewSqlIdentityRepo(c), cid);
  }));
  v.current = CurrentCard(v.cards, v.now);
  std::string base = svc.config().public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  v.verify_url = base + "/verify/" + cid;
  return v;
}

namespace {

constexpr const char* kSans =
    "'Noto Sans', 'Noto Sans CJK SC', 'Noto Sans CJK JP', 'Noto Sans CJK KR', "
    "'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'DejaVu Sans', sans-serif";
constexpr const char* kMono = "'DejaVu Sans Mono', 'Noto Sans Mono', 'Liberation Mono', monospace";

struct Svg {
  std::string out;
  void Text(int x, int y, int size, const std::string& text, const char* family,
            const std::string& extra = "") {
    out += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" font-size=\"" +
           std::to_string(size) + "\" font-family=\"" + family + "\"" + extra + ">" +
           XmlEscape(text) + "</text>\n";
  }
  void Label(int x, int y, const std::string& label, const std::string& value,
             const char* family = kSans) {
    Text(x, y, 11, label, kSans, " fill=\"#5a6b82\" letter-spacing=\"1\"");
    Text(x, y + 20, 17, value, family, " fill=\"#13233a\"");
  }
};

std::string QrPath(const QrMatrix& m, int x0, int y0, int module) {
  std::string d;
  for (int y = 0; y < m.width; ++y)
    for (int x = 0; x < m.width; ++x)
      if (m.at(x, y))
        d += "M" + std::to_string(x0 + x * module) + " " + std::to_string(y0 + y * module) + "h" +
             std::to_string(module) + "v" + std::to_string(module) + "h-" + std::to_string(module) +
             "z";
  return d;
}

std::string FingerprintSummary(const Character& ch) {
  std::string out;
  for (const auto& f : ch.data.likeness) {
    if (!out.empty()) out += "  ";
    out += f.kind + " " + f.sha256.substr(0, 8);
  }
  return out.empty() ? "none registered" : out;
}

}  // namespace

StatusOr<std::string> RenderCardSvg(const CardView& v) {
  const Character& ch = v.character;
  VT_ASSIGN_OR_RETURN(QrMatrix qr, EncodeQr(v.verify_url));
  int module = std::max(2, 168 / (qr.width + 8));
  int qr_size = (qr.width + 8) * module;  // with the 4-module quiet zone
  int qx = 856 - 28 - qr_size, qy = 540 - 58 - qr_size;
  Svg s;
  s.out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"85.6mm\" height=\"54mm\" "
      "viewBox=\"0 0 856 540\" role=\"img\" aria-label=\"" +
      XmlEscape("vtrust ID card of " + ch.data.name) + "\">\n<title>" +
      XmlEscape(ch.data.name + " \u00b7 " + ch.id) +
      "</title>\n"
      "<defs><linearGradient id=\"bg\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\">"
      "<stop offset=\"0\" stop-color=\"#f5f8fc\"/><stop offset=\"1\" stop-color=\"#dfe8f3\"/>"
      "</linearGradient><clipPath id=\"card\"><rect width=\"856\" height=\"540\" rx=\"32\"/>"
      "</clipPath></defs>\n<g clip-path=\"url(#card)\">\n"
      "<rect width=\"856\" height=\"540\" fill=\"url(#bg)\"/>\n"
      "<rect width=\"856\" height=\"72\" fill=\"#13335c\"/>\n";
  s.Text(32, 46, 26, "vtrust \u00b7 virtual character ID", kSans,
         " fill=\"#ffffff\" font-weight=\"bold\"");
  s.Text(824, 46, 15, std::string("AI-driven: ") + (ch.data.ai_driven ? "yes" : "no"), kSans,
         " fill=\"#ffd166\" text-anchor=\"end\"");
  // Portrait area: the initial of the primary name (no likeness images are kept).
  s.out += "<rect x=\"32\" y=\"100\" width=\"150\" height=\"190\" rx=\"10\" fill=\"#c9d6e6\"/>\n";
  std::string initial;  // the first code point, without the ellipsis Clip adds
  size_t first = 0;
  if (!ch.data.name.empty()) AppendUtf8(initial, NextCodePoint(ch.data.name, first));
  s.Text(107, 225, 96, initial, kSans, " fill=\"#13335c\" text-anchor=\"middle\"");
  // The name fits the room right of the portrait by its measured width (a CJK
  // name of 18 ideographs is as wide as a Latin one of 36 letters): smaller type,
  // then an ellipsis.
  constexpr int kTextX = 210, kRight = 856 - 32;
  Fitted name = Fit(ch.data.name, kRight - kTextX, 34, 18);
  s.Text(kTextX, 128, name.size, name.text, kSans, " fill=\"#13233a\" font-weight=\"bold\"");
  int y = 156;
  int shown = 0;
  for (const auto& [lang, other] : ch.data.names) {
    if (++shown > 3) break;
    Fitted line = Fit(Clip(other, 60) + "  (" + Clip(lang, 12) + ")", kRight - kTextX, 18, 12);
    s.Text(kTextX, y, line.size, line.text, kSans,
           " fill=\"#2b3d57\"" + std::string(" xml:lang=\"") + XmlEscape(Clip(lang, 35)) + "\"");
    y += 24;
  }
  s.Text(210, 252, 40, ch.id, kMono, " fill=\"#13335c\" font-weight=\"bold\"");
  s.Text(210, 276, 14, ch.urn, kMono, " fill=\"#5a6b82\"");
  // The owner's line ends before the QR code.
  Fitted owner = Fit(v.owner_name, qx - 16 - 32, 17, 11);
  s.Text(32, 320, 11, "OWNER", kSans, " fill=\"#5a6b82\" letter-spacing=\"1\"");
  s.Text(32, 340, owner.size, owner.text, kSans, " fill=\"#13233a\"");
  if (v.current) {
    s.Label(32, 372, "VALID", Day(v.current->not_before) + " \u2013 " + Day(v.current->not_after));
    s.Label(32, 424, "ALGORITHM \u00b7 SERIAL",
            std::string(crypto::KeyAlgName(v.current->alg)) + " \u00b7 " + v.current->serial,
            kMono);
  } else {
    s.Label(32, 372, "VALID",
            ch.status == CharacterStatus::kRetired ? "retired" : "no card issued");
    s.Label(32, 424, "ALGORITHM \u00b7 SERIAL", "\u2014");
  }
  s.Label(32, 476, "LIKENESS FINGERPRINTS (SHA-256)", Clip(FingerprintSummary(ch), 60), kMono);
  s.out += "<rect x=\"" + std::to_string(qx) + "\" y=\"" + std::to_string(qy) + "\" width=\"" +
           std::to_string(qr_size) + "\" height=\"" + std::to_string(qr_size) +
           "\" fill=\"#ffffff\"/>\n<path id=\"qr\" fill=\"#000000\" d=\"" +
           QrPath(qr, qx + 4 * module, qy + 4 * module, module) + "\"/>\n";
  s.Text(qx + qr_size / 2, qy + qr_size + 20, 12, "scan to verify", kSans,
         " fill=\"#5a6b82\" text-anchor=\"middle\"");
  s.out += "<rect y=\"516\" width=\"856\" height=\"24\" fill=\"#13335c\"/>\n";
  Fitted url = Fit(v.verify_url, 856 - 64, 12, 8, MonoEm);
  s.Text(32, 533, url.size, url.text, kMono, " fill=\"#c9d6e6\"");
  s.out += "</g>\n</svg>\n";
  return s.out;
}

std::string RenderVerifyPage(const CardView& v) {
  const Character& ch = v.character;
  std::string status;
  if (ch.status == CharacterStatus::kRetired) {
    status = "retired: this character no longer holds a valid card";
  } else if (v.current) {
    status = "valid card " + v.current->serial + " (" +
             std::string(crypto::KeyAlgName(v.current->alg)) + "), " + Day(v.current->not_before) +
             " \u2013 " + Day(v.current->not_after);
  } else {
    status = v.cards.empty() ? "no card issued"
                             : "no current card (" + WhyNotCurrent(v.cards[0], v.now) + ")";
  }
  std::string names;
  for (const auto& [lang, name] : ch.data.names)
    names += "<li lang=\"" + XmlEscape(lang) + "\">" + XmlEscape(name) + " <small>(" +
             XmlEscape(lang) + ")</small></li>";
  std::string cards;
  for (const auto& c : v.cards) {
    std::string why = WhyNotCurrent(c, v.now);
    cards += "<tr><td><code>" + XmlEscape(c.serial) + "</code></td><td>" +
             XmlEscape(std::string(crypto::KeyAlgName(c.alg))) + "</td><td>" + Day(c.not_before) +
             " \u2013 " + Day(c.not_after) + "</td><td>" +
             XmlEscape(why.empty() ? "current" : why) + "</td></tr>";
  }
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width\">"
         "<title>" +
         XmlEscape(ch.data.name) +
         " \u00b7 vtrust</title></head>\n<body style=\""
         "font-family:'Noto Sans','Noto Sans CJK SC',sans-serif;max-width:40em;margin:2em auto\">\n"
         "<p>vtrust \u00b7 virtual character ID</p>\n<h1>" +
         XmlEscape(ch.data.name) +
         "</h1>\n"
         "<ul>" +
         names + "</ul>\n<dl><dt>Registry ID</dt><dd><code>" + XmlEscape(ch.id) +
         "</code></dd><dt>URN</dt><dd><code>" + XmlEscape(ch.urn) +
         "</code></dd><dt>Owner</dt><dd>" + XmlEscape(v.owner_name) +
         "</dd><dt>AI-driven</dt><dd>" + (ch.data.ai_driven ? "yes" : "no") +
         "</dd><dt>Status</dt><dd id=\"status\">" + XmlEscape(status) +
         "</dd></dl>\n"
         "<table><tr><th>Serial</th><th>Algorithm</th><th>Validity</th><th>State</th></tr>" +
         cards + "</table>\n<p>Prove a live holder with \"I am me\": POST /v1/characters/" +
         XmlEscape(ch.id) + "/challenges.</p>\n</body></html>\n";
}

}  // namespace vt::app
