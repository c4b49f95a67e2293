// The demo data set (docs/portal.md "Demo"): a fictional virtual idol, Hoshino Lumi,
// her owner (Aurora Character IP Co.), the production studio, the platform, a
// talent agency with her voice actor, motion-capture performer, composer and
// choreographer; her character design, a song, a choreography and a concert
// derived from all three; the concert's revenue-sharing agreement signed by every
// party with its own member certificate (the real signing flow); ticket and
// streaming revenue for two months, both months settled (statements issued); her
// ID card, issued from a CSR whose holder key is written to the data directory (so
// "I am me" can be tried live), and a concert poster signed with content
// credentials.
//
// Everything goes through the application's use cases (app/), exactly as the API
// would, so every fact is in the transparency log. Loading is idempotent: the ids
// are recorded in DIR/demo/demo.json once everything is written, and a data
// directory that has that file is left alone.
#pragma once

#include <string>

#include "base/jcs.h"
#include "base/status.h"
#include "server/root.h"

namespace vt::demo {

// What the demo wrote (the content of DIR/demo/demo.json): "created" (false when
// it was loaded before), "character", "owner_org", "studio_org", "works" {design,
// song, choreography, concert}, "agreement", "runs" [..], "poster" (path of the
// signed PNG), "holder_key" (path of the card holder's PKCS#8 key), "card_serial",
// "token" (an operator admin token for the console; the file is 0600 like the
// other secrets of the data directory).
//
// Errors of the use cases (a data directory whose CA is not initialized gives
// FailedPrecondition). A failure part way leaves what was written (every step is
// its own committed write) and no demo.json.
StatusOr<Json> LoadDemo(server::Components& c);

// A small PNG (the concert poster's picture): RGB, `width` x `height`, drawn in
// code. Deterministic.
std::string PosterPng(int width, int height);

}  // namespace vt::demo
