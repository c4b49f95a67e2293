#include "x509/registry_id.h"

#include <gtest/gtest.h>

#include <set>

namespace vt::x509 {
namespace {

// The 16 significant characters (15 digits + check) of a canonical ID.
std::string Significant(const std::string& id) {
  std::string s;
  for (char c : id.substr(2)) {
    if (c != '-') s += c;
  }
  return s;
}

std::string Assemble(const std::string& sixteen) {
  return "VC-" + sixteen.substr(0, 4) + "-" + sixteen.substr(4, 4) + "-" + sixteen.substr(8, 4) +
         "-" + sixteen.substr(12, 4);
}

TEST(RegistryIdTest, Mod11_2KnownAnswers) {
  // ISO 7064 MOD 11-2 as used by ORCID (published example iDs) and ISNI.
  EXPECT_EQ(Mod11_2CheckChar("000000021825009"), '7');
  EXPECT_EQ(Mod11_2CheckChar("000000015109370"), '0');
  EXPECT_EQ(Mod11_2CheckChar("000000021694233"), 'X');
}

TEST(RegistryIdTest, ValidatesKnownIds) {
  EXPECT_TRUE(IsCanonicalRegistryId("VC-0000-0002-1825-0097"));
  EXPECT_TRUE(IsCanonicalRegistryId("VC-0000-0002-1694-233X"));
  EXPECT_FALSE(IsCanonicalRegistryId("VC-0000-0002-1825-0098"));
  EXPECT_FALSE(IsCanonicalRegistryId("vc-0000-0002-1825-0097"));
  EXPECT_FALSE(IsCanonicalRegistryId("VC0000000218250097"));
  EXPECT_FALSE(IsCanonicalRegistryId("XY-0000-0002-1825-0097"));
  EXPECT_FALSE(IsCanonicalRegistryId(""));
}

TEST(RegistryIdTest, NormalizesWhatPeopleType) {
  EXPECT_EQ(*NormalizeRegistryId("vc 0000 0002 1694 233x"), "VC-0000-0002-1694-233X");
  EXPECT_EQ(*NormalizeRegistryId("VC0000000218250097"), "VC-0000-0002-1825-0097");
  auto bad = NormalizeRegistryId("VC-0000-0002-1825-0096");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "registry_id");
  EXPECT_FALSE(NormalizeRegistryId("VC-0000-0002-1825-009").ok());
  EXPECT_FALSE(NormalizeRegistryId("VC-0000-0002-18A5-0097").ok());
  EXPECT_FALSE(NormalizeRegistryId("VC-0000-0002-1825-00X7").ok());
}

TEST(RegistryIdTest, GeneratedIdsAreCanonicalAndVaried) {
  DeterministicRng rng(42);
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string id = GenerateRegistryId(rng);
    ASSERT_TRUE(IsCanonicalRegistryId(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(RegistryIdTest, EverySingleSubstitutionIsDetected) {
  DeterministicRng rng(7);
  const std::string alphabet = "0123456789X";
  for (int n = 0; n < 300; ++n) {
    std::string sig = Significant(GenerateRegistryId(rng));
    for (size_t pos = 0; pos < sig.size(); ++pos) {
      for (char c : alphabet) {
        if (c == sig[pos]) continue;
        std::string mutated = sig;
        mutated[pos] = c;
        EXPECT_FALSE(NormalizeRegistryId(Assemble(mutated)).ok()) << Assemble(mutated);
      }
    }
  }
}

TEST(RegistryIdTest, EveryAdjacentTranspositionIsDetected) {
  DeterministicRng rng(9);
  for (int n = 0; n < 2000; ++n) {
    std::string sig = Significant(GenerateRegistryId(rng));
    for (size_t pos = 0; pos + 1 < sig.size(); ++pos) {
      if (sig[pos] == sig[pos + 1]) continue;
      std::string mutated = sig;
      std::swap(mutated[pos], mutated[pos + 1]);
      EXPECT_FALSE(NormalizeRegistryId(Assemble(mutated)).ok()) << Assemble(mutated);
    }
  }
}

TEST(RegistryIdTest, ExhaustiveTranspositionPairsAtEveryPosition) {
  // Every ordered pair of distinct digits at every adjacent position of a fixed
  // body, so the property does not depend on the random sample.
  for (size_t pos = 0; pos + 1 < 15; ++pos) {
    for (char a = '0'; a <= '9'; ++a) {
      for (char b = '0'; b <= '9'; ++b) {
        if (a == b) continue;
        std::string body = "314159265358979";
        body[pos] = a;
        body[pos + 1] = b;
        std::string good = body + Mod11_2CheckChar(body);
        std::string swapped = good;
        std::swap(swapped[pos], swapped[pos + 1]);
        ASSERT_TRUE(NormalizeRegistryId(Assemble(good)).ok());
        EXPECT_FALSE(NormalizeRegistryId(Assemble(swapped)).ok()) << Assemble(swapped);
      }
    }
  }
}

TEST(RegistryIdTest, UrnRoundTrip) {
  EXPECT_EQ(CharacterUrn("VC-0000-0002-1825-0097"), "urn:vtrust:char:VC-0000-0002-1825-0097");
  EXPECT_EQ(*ParseCharacterUrn("URN:VTRUST:CHAR:VC-0000-0002-1825-0097"), "VC-0000-0002-1825-0097");
  EXPECT_FALSE(ParseCharacterUrn("urn:vtrust:char:VC-0000-0002-1825-0098").ok());
  EXPECT_FALSE(ParseCharacterUrn("urn:vtrust:char:vc-0000-0002-1825-0097").ok());
  EXPECT_FALSE(ParseCharacterUrn("urn:other:char:VC-0000-0002-1825-0097").ok());
  EXPECT_FALSE(ParseCharacterUrn("urn:vtrust:char:").ok());
}

}  // namespace
}  // namespace vt::x509
