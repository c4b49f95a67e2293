#include "qr/qr.h"

#include <qrencode.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <string>

namespace vt::qr {
namespace {

struct QrCodeDeleter {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeDeleter>;

QRecLevel ToQrEcLevel(EccLevel level) {
  switch (level) {
    case EccLevel::kLow:
      return QR_ECLEVEL_L;
    case EccLevel::kMedium:
      return QR_ECLEVEL_M;
    case EccLevel::kQuartile:
      return QR_ECLEVEL_Q;
    case EccLevel::kHigh:
      return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

std::string Describe(std::string_view text) {
  return "QR encoding failed (text of " + std::to_string(text.size()) + " bytes)";
}

}  // namespace

StatusOr<QrMatrix> EncodeQr(std::string_view text, EccLevel level) {
  if (text.size() > INT_MAX) return InvalidArgumentError(Describe(text) + ": too long");
  errno = 0;
  // Version 0 = the smallest that fits; 8-bit mode, as QRcode_encodeString8bit.
  QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()),
                                   reinterpret_cast<const unsigned char*>(text.data()), 0,
                                   ToQrEcLevel(level)));
  if (code == nullptr) {
    if (errno == ERANGE) return InvalidArgumentError(Describe(text) + ": too long");
    return InternalError(Describe(text) + ": " + std::strerror(errno));
  }
  QrMatrix m;
  m.width = code->width;
  m.dark.resize(static_cast<size_t>(m.width) * m.width);
  // Bit 0 of each libqrencode module byte is its colour (1 = dark).
  for (size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
  return m;
}

}  // namespace vt::qr
