// Witness specs ("<vkey>@<URL>") and the witness settings of config.toml.
#include "app/log/witnessing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "crypto/key.h"
#include "tlog/cosignature.h"

namespace vt::app {
namespace {

std::string CosignerVkey(const std::string& name) {
  auto key = crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x05'));
  auto v = tlog::NewCosignatureVerifier(name, key->Public());
  return (*v)->VerifierKey();
}

TEST(WitnessSpecTest, ParsesVkeyAndUrl) {
  const std::string vkey = CosignerVkey("w.example/a@b");  // '@' in the name is fine
  auto ep = ParseWitnessSpec(vkey + "@http://127.0.0.1:8090/prefix");
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_EQ(ep->vkey, vkey);
  EXPECT_EQ(ep->url, "http://127.0.0.1:8090/prefix");
  EXPECT_EQ(ep->verifier->sig_type(), tlog::kSigTypeCosignature);
}

TEST(WitnessSpecTest, RejectsBadSpecs) {
  const std::string vkey = CosignerVkey("w.example/a");
  EXPECT_FALSE(ParseWitnessSpec(vkey).ok());                           // no URL
  EXPECT_FALSE(ParseWitnessSpec(vkey + "@ftp://x").ok());              // scheme
  EXPECT_FALSE(ParseWitnessSpec(vkey + "@http://").ok());              // no host
  EXPECT_FALSE(ParseWitnessSpec("nonsense@http://127.0.0.1:1").ok());  // not a vkey
  auto note_key = crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x06'));
  std::string log_vkey =
      tlog::FormatVerifierKey("log.example", tlog::kSigTypeEd25519, note_key->Public().RawBytes());
  EXPECT_FALSE(ParseWitnessSpec(log_vkey + "@http://127.0.0.1:1").ok())  // a note key
      << "an Ed25519 note key is not a cosignature key";
}

// Witnessing with a fake transport (no network): it needs one, posts to
// <url>/add-checkpoint and reports the transport's error per witness.
WitnessingOptions FakeOptions(WitnessTransport transport) {
  WitnessingOptions o;
  o.origin = "log.example";
  auto log_key = crypto::PrivateKey::FromEd25519Seed(std::string(32, '\x06'));
  o.log_verifier = *tlog::NewEd25519NoteVerifier("log.example", log_key->Public());
  o.witnesses.push_back(*ParseWitnessSpec(CosignerVkey("w1") + "@http://w.example/p/"));
  o.poll = std::chrono::milliseconds(1);
  o.transport = std::move(transport);
  return o;
}

WitnessingSource FakeSource() {
  WitnessingSource src;
  src.published = [] { return LogCheckpoint{1, {}, "log.example\n1\nAAAA\n\n"}; };
  src.consistency = [](int64_t, int64_t) -> StatusOr<ConsistencyResult> {
    return UnimplementedError("no proofs from size 0");
  };
  return src;
}

TEST(WitnessingTest, NeedsATransport) {
  auto w = Witnessing::Start(FakeOptions(nullptr), FakeSource());
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), StatusCode::kInvalidArgument);
}

TEST(WitnessingTest, PostsThroughTheTransportAndReportsItsError) {
  std::atomic<int> calls{0};
  std::string seen_url;  // written by the first call only
  auto transport = [&](const std::string& url, const std::string& body,
                       std::chrono::milliseconds timeout) -> StatusOr<WitnessReply> {
    if (calls.fetch_add(1) == 0) seen_url = url;
    return UnavailableError("POST " + url + ": connection refused");
  };
  auto w = Witnessing::Start(FakeOptions(transport), FakeSource());
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  std::vector<WitnessStatus> st;
  for (int i = 0; i < 2000; ++i) {
    st = (*w)->Witnesses();
    if (!st.empty() && !st[0].last_error.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0].last_error,
            "unavailable: POST http://w.example/p/add-checkpoint: connection refused");
  w->reset();
  EXPECT_EQ(seen_url, "http://w.example/p/add-checkpoint");
}

}  // namespace
}  // namespace vt::app
