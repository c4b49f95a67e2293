// The printable ID card (docs/id-card-profile.md; docs/i-am-me.md "Printable card") and
// the public verification page its QR code opens.
//
// RenderCardSvg draws an ID-1 sized card (85.6 x 54 mm, viewBox 856 x 540): a
// header band "vtrust · virtual character ID", the primary name and the names in
// other languages (fonts fall back to Noto Sans CJK for CJK text), the registry ID
// in large monospace type, the URN, the owner organization, the validity,
// algorithm and serial of the current card (or "no card issued"), a fingerprint
// summary (first 8 hex digits of each likeness SHA-256), the AI-driven flag and
// a QR code (libqrencode, error correction M) of <public_url>/verify/<id>, drawn
// as one SVG path of unit squares. Every text is XML-escaped; characters that
// XML 1.0 forbids are dropped.
//
// Pure functions over a CardView, except LoadCardView (reads the store).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/access/service.h"
#include "app/identity/challenges.h"
#include "app/identity/characters.h"
#include "base/status.h"
#include "qr/qr.h"

namespace vt::app {

struct CardView {
  Character character;
  std::string owner_name;          // the owner organization's name
  std::vector<CardRow> cards;      // every issued ID card, newest first
  std::optional<CardRow> current;  // the current card, if any
  std::string verify_url;          // <public_url>/verify/<id>
  TimePoint now{};
};

// Reads what the card and the page show. `p` null: the public view (used by
// GET /verify/{id}; it shows only what the card itself shows). NotFound if the
// character does not exist or `p` may not read it.
StatusOr<CardView> LoadCardView(Service& svc, const Principal* p, const std::string& id);

using QrMatrix = qr::QrMatrix;
// Encodes `text` as 8-bit data at the smallest version, error correction M.
// Internal error if it cannot (text too long: > ~2 kB).
StatusOr<QrMatrix> EncodeQr(const std::string& text);

// Escapes & < > " ' and drops code points XML 1.0 does not allow.
std::string XmlEscape(std::string_view text);

StatusOr<std::string> RenderCardSvg(const CardView& view);
// A minimal HTML page (UTF-8, escaped) with the character and its card status.
std::string RenderVerifyPage(const CardView& view);

}  // namespace vt::app
