#include <gtest/gtest.h>

#include "base/encoding.h"
#include "c2pa/cbor_internal.h"
#include "c2pa/jumbf_internal.h"

namespace vt::c2pa {
namespace {

using cbor::Item;
using cbor::View;

TEST(CborTest, DeterministicEncoding) {
  // RFC 8949 §4.2.1: shortest heads; keys sorted by encoded bytes (10 < "a" < "bb").
  std::vector<std::pair<Item, Item>> m;
  m.emplace_back(Item::Text("bb"), Item::Uint(23));
  m.emplace_back(Item::Text("a"), Item::Uint(24));
  m.emplace_back(Item::Int(10), Item::Int(-500));
  EXPECT_EQ(HexEncode(Item::Map(std::move(m)).Encode()), "a30a3901f36161181862626217");
  EXPECT_EQ(HexEncode(Item::Uint(65536).Encode()), "1a00010000");
  EXPECT_EQ(HexEncode(Item::Int(-1).Encode()), "20");
}

TEST(CborTest, DecodeRoundTripAndViews) {
  Item m = cbor::Obj().Add("x", Item::Bytes("ab")).Add("n", Item::Int(-3)).Build();
  auto d = Item::Decode(m.Encode());
  ASSERT_TRUE(d.ok());
  View v(d->get());
  EXPECT_EQ(v.Get("x").Bytes("x").value(), "ab");
  EXPECT_EQ(v.Get("n").Int("n").value(), -3);
  EXPECT_FALSE(v.Get("missing").valid());
  EXPECT_FALSE(v.Get("x").Text("x").ok());
}

TEST(CborTest, DecodeRejectsMalformed) {
  EXPECT_FALSE(Item::Decode("").ok());
  EXPECT_FALSE(Item::Decode("\x82\x01").ok());     // truncated array
  EXPECT_FALSE(Item::Decode("\x01\x02").ok());     // trailing item
  EXPECT_TRUE(Item::Decode("\x9f\x01\xff").ok());  // indefinite length (read only)
  EXPECT_FALSE(Item::Decode("\x9f\x01").ok());     // unterminated
  EXPECT_FALSE(Item::Decode("\x81\xff").ok());     // break outside indefinite
  EXPECT_FALSE(Item::Decode(std::string(100, '\x9f') + std::string(100, '\xff')).ok());
  EXPECT_FALSE(Item::Decode("\x9b\x00\x00\x00\x01\x00\x00\x00\x00").ok());  // huge length
  EXPECT_FALSE(Item::Decode(std::string(1000, '\x81') + "\x01").ok());      // too deep
  EXPECT_TRUE(Item::Decode(std::string(10, '\x81') + "\x01").ok());
}

TEST(CborTest, FloatsAndSimpleValuesAreSafeToInspect) {
  // [1.5 (half float), null, true]: libcbor asserts if a float reaches its ctrl accessors.
  auto d = Item::Decode(std::string("\x83\xf9\x3e\x00\xf6\xf5", 6));
  ASSERT_TRUE(d.ok());
  View v(d->get());
  EXPECT_FALSE(v.At(0).is_null());
  EXPECT_TRUE(v.At(1).is_null());
  EXPECT_EQ(v.ToJson(), "[1.5,null,true]");
}

TEST(CborTest, FromJson) {
  auto item = cbor::FromJson(R"({"character":"VC-1","works":["W1","W2"],"log_index":42})");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(View(item->get()).Get("log_index").Uint("i").value(), 42u);
  EXPECT_EQ(View(item->get()).ToJson(),
            R"({"character":"VC-1","log_index":42,"works":["W1","W2"]})");
  EXPECT_FALSE(cbor::FromJson("{nope").ok());
}

TEST(JumbfTest, WriteAndParse) {
  std::string inner =
      jumbf::MakeSuperBox(jumbf::kCbor, "a.b", {jumbf::MakeBox("cbor", std::string("\xa0", 1))});
  std::string store = jumbf::MakeSuperBox(jumbf::kStore, "c2pa", {inner});
  auto sb = jumbf::ParseSuperBox(store);
  ASSERT_TRUE(sb.ok()) << sb.status().ToString();
  EXPECT_EQ(sb->label, "c2pa");
  EXPECT_EQ(sb->TypeCode(), "c2pa");
  ASSERT_EQ(sb->children.size(), 1u);
  ASSERT_NE(sb->Child("a.b"), nullptr);
  EXPECT_EQ(sb->Child("a.b")->contents[0].payload, std::string("\xa0", 1));
  EXPECT_EQ(sb->Child("a.b")->body, std::string_view(inner).substr(8));
}

TEST(JumbfTest, RejectsMalformedWithoutCrashing) {
  std::string inner =
      jumbf::MakeSuperBox(jumbf::kCbor, "a.b", {jumbf::MakeBox("cbor", std::string("\xa0", 1))});
  std::string store = jumbf::MakeSuperBox(jumbf::kStore, "c2pa", {inner});
  for (size_t n = 0; n < store.size(); ++n) {
    EXPECT_FALSE(jumbf::ParseSuperBox(store.substr(0, n)).ok()) << n;
  }
  std::string bad = store;
  bad[3] = 4;  // LBox smaller than the header
  EXPECT_FALSE(jumbf::ParseSuperBox(bad).ok());
  std::string deep = "x";
  for (int i = 0; i < 20; ++i)
    deep = jumbf::MakeSuperBox(jumbf::kStore, "d", {deep.size() > 1 ? deep : ""});
  EXPECT_FALSE(jumbf::ParseSuperBox(deep).ok());
}

}  // namespace
}  // namespace vt::c2pa
