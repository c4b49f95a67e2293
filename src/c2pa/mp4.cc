// MP4 / ISO BMFF: not implemented yet (see docs/c2pa.md).
#include "c2pa/container_internal.h"

namespace vt::c2pa::internal {

std::unique_ptr<Format> MakeMp4() { return nullptr; }

}  // namespace vt::c2pa::internal
