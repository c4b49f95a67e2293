#include "tlog/hash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/digest.h"
#include "tlog/reference.h"

namespace vt::tlog {
namespace {

std::vector<Hash> LeavesAtoE() {
  std::vector<Hash> leaves;
  for (char c = 'a'; c <= 'e'; ++c) leaves.push_back(LeafHash(std::string(1, c)));
  return leaves;
}

TEST(Hash, Rfc6962Vectors) {
  EXPECT_EQ(HashToHex(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HashToBase64(EmptyRoot()), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(HashToHex(LeafHash("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(Hash, ReferenceRootsOfAtoE) {
  const char* want[] = {
      "022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c",
      "b137985ff484fb600db93107c77b0365c80d78f5b429ded0fd97361d077999eb",
      "36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1",
      "33376a3bd63e9993708a84ddfe6c28ae58b83505dd1fed711bd924ec5a6239f0",
      "fe14a5426fbd70c0fa73f52342afed0da0bd23c4838662ccf6b88a3070ead97b",
  };
  std::vector<Hash> leaves = LeavesAtoE();
  for (size_t n = 1; n <= 5; ++n) {
    EXPECT_EQ(HashToHex(reference::RootHash(std::span(leaves).first(n))), want[n - 1]) << n;
  }
  EXPECT_EQ(reference::RootHash({}), EmptyRoot());
}

TEST(Hash, LeafHashIsSha256OfZeroPrefix) {
  // LeafHash has a stack-buffer path below 512 bytes and a streaming one above.
  for (size_t n : {0, 1, 511, 512, 513, 5000}) {
    std::string entry(n, static_cast<char>('a' + n % 26));
    EXPECT_EQ(HashBytes(LeafHash(entry)), crypto::Sha256(std::string(1, '\0') + entry)) << n;
  }
  Hash l = LeafHash("l"), r = LeafHash("r");
  EXPECT_EQ(HashBytes(NodeHash(l, r)), crypto::Sha256("\x01" + HashBytes(l) + HashBytes(r)));
}

TEST(Hash, ConversionsAreStrict) {
  Hash h = LeafHash("a");
  EXPECT_EQ(*HashFromBytes(HashBytes(h)), h);
  EXPECT_EQ(*HashFromBase64(HashToBase64(h)), h);
  EXPECT_FALSE(HashFromBytes(std::string(31, 'a')).ok());
  EXPECT_FALSE(HashFromBase64("AAAA").ok());
  EXPECT_FALSE(HashFromBase64("not base64!").ok());
}

TEST(Hash, SplitPoint) {
  EXPECT_EQ(SplitPoint(2), 1);
  EXPECT_EQ(SplitPoint(3), 2);
  EXPECT_EQ(SplitPoint(4), 2);
  EXPECT_EQ(SplitPoint(5), 4);
  EXPECT_EQ(SplitPoint(1025), 1024);
}

}  // namespace
}  // namespace vt::tlog
