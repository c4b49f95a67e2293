// The build's identity, for `vtrust --version`: the project version (CMake's
// project(VERSION)) and the git commit the binary was built from, written at build
// time by cmake/GitVersion.cmake ("unknown" outside a git checkout; "-dirty" when
// tracked files had changes).
#pragma once

namespace vt::cli {

extern const char* const kVersion;    // e.g. "0.1.0"
extern const char* const kGitCommit;  // e.g. "4e92b55c1a2b", "4e92b55c1a2b-dirty" or "unknown"

}  // namespace vt::cli
