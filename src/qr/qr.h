// QR codes (ISO/IEC 18004) as plain module matrices, over libqrencode. The
// only module that includes <qrencode.h>; callers draw the matrix themselves.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"

namespace vt::qr {

// The error-correction level (ISO/IEC 18004 §7.5.1): the share of codewords
// that may be damaged and still be recovered.
enum class EccLevel {
  kLow,       // L, ~7 %
  kMedium,    // M, ~15 %
  kQuartile,  // Q, ~25 %
  kHigh,      // H, ~30 %
};

// A QR code as a square matrix of modules (true = dark), without quiet zone.
struct QrMatrix {
  int width = 0;
  std::vector<bool> dark;  // row-major, width * width
  bool at(int x, int y) const { return dark[static_cast<size_t>(y) * width + x]; }
};

// Encodes the bytes of `text` (any bytes, NUL included) in 8-bit mode at the
// smallest version that holds them with error correction `level`.
// InvalidArgument if the text does not fit in a version-40 symbol (~2.3 kB
// at level M); Internal if libqrencode fails otherwise. Thread-safe.
StatusOr<QrMatrix> EncodeQr(std::string_view text, EccLevel level);

}  // namespace vt::qr
