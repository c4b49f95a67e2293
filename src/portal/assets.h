// The portal's static files (docs/portal.md), built from portal/ by esbuild at build
// time and embedded by cmake/EmbedPortal.cmake into a generated .cc.
#pragma once

#include <string_view>
#include <vector>

namespace vt::portal {

struct Asset {
  std::string_view path;          // "/index.html", "/assets/app-HASH.js"
  std::string_view content_type;  // for the Content-Type header
  std::string_view body;
};

// Every file of the built portal, sorted by path. Never empty.
const std::vector<Asset>& Assets();

}  // namespace vt::portal
