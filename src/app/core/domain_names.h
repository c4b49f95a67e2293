// The domain vocabulary (src/domain/: principals and roles, ids, log entry types,
// work identifiers) is the application layer's own language: it is used unqualified
// inside vt::app, and as app::Principal and so on by the API and the CLI.
#pragma once

#include "domain/entries.h"
#include "domain/ids.h"
#include "domain/model.h"
#include "domain/work_ids.h"

namespace vt::app {
using namespace ::vt::domain;  // NOLINT(google-build-using-namespace)
}  // namespace vt::app
