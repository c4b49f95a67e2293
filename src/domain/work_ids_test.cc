// Identifier checks: known-answer vectors and negative cases.
#include "domain/work_ids.h"

#include <gtest/gtest.h>

namespace vt::domain {
namespace {

TEST(WorkIds, IswcCheckDigitKnownAnswers) {
  // T-034.524.680-1 is the example ISWC of ISO 15707 / CISAC documentation.
  EXPECT_EQ(IswcCheckDigit("034524680"), 1);
  // 1 + 1·1+2·2+...+9·9 = 286 -> (10 - 6) % 10 = 4.
  EXPECT_EQ(IswcCheckDigit("123456789"), 4);
  EXPECT_EQ(IswcCheckDigit("12345678"), -1);
  EXPECT_EQ(IswcCheckDigit("12345678a"), -1);
}

TEST(WorkIds, IswcForms) {
  EXPECT_EQ(*NormalizeIswc("T-034.524.680-1", "f"), "T-034.524.680-1");
  EXPECT_EQ(*NormalizeIswc("T0345246801", "f"), "T-034.524.680-1");
  EXPECT_EQ(*NormalizeIswc("t-123.456.789-4", "f"), "T-123.456.789-4");
  auto bad = NormalizeIswc("T-034.524.680-2", "identifiers.iswc");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "identifiers.iswc");
  EXPECT_NE(bad.status().message().find("give 1"), std::string::npos);
  EXPECT_FALSE(NormalizeIswc("X-034.524.680-1", "f").ok());
  EXPECT_FALSE(NormalizeIswc("T-034.524.68-1", "f").ok());
}

TEST(WorkIds, Isrc) {
  EXPECT_EQ(*NormalizeIsrc("US-RC1-76-07839", "f"), "USRC17607839");
  EXPECT_EQ(*NormalizeIsrc("cnab12500001", "f"), "CNAB12500001");
  EXPECT_FALSE(NormalizeIsrc("US-RC1-76-0783", "f").ok());   // 11 characters
  EXPECT_FALSE(NormalizeIsrc("1S-RC1-76-07839", "f").ok());  // country not letters
  EXPECT_FALSE(NormalizeIsrc("US-RC1-7A-07839", "f").ok());  // year not digits
  EXPECT_FALSE(NormalizeIsrc("US-R_1-76-07839", "f").ok());  // registrant not alnum
  EXPECT_EQ(NormalizeIsrc("bad", "identifiers.isrc").status().field(), "identifiers.isrc");
}

TEST(WorkIds, Mod11_2KnownAnswers) {
  // ISO 7064 MOD 11-2 as used by ORCID: 0000-0002-1825-0097 (ORCID's documented
  // example) and 0000-0002-1694-233X.
  EXPECT_EQ(Mod11_2CheckChar("000000021825009"), '7');
  EXPECT_EQ(Mod11_2CheckChar("000000021694233"), 'X');
  EXPECT_EQ(Mod11_2CheckChar("12a"), '\0');
}

TEST(WorkIds, Isni) {
  EXPECT_EQ(*NormalizeIsni("0000 0002 1825 0097", "f"), "0000000218250097");
  EXPECT_EQ(*NormalizeIsni("0000-0002-1694-233x", "f"), "000000021694233X");
  auto bad = NormalizeIsni("0000 0002 1825 0098", "identifiers.isni");
  EXPECT_EQ(bad.status().field(), "identifiers.isni");
  EXPECT_NE(bad.status().message().find("gives 7"), std::string::npos);
  EXPECT_FALSE(NormalizeIsni("0000 0002 1825 009", "f").ok());
}

TEST(WorkIds, DigestsAndOpaque) {
  std::string h(64, 'A');
  EXPECT_EQ(*NormalizeDigestHex(h, "f"), std::string(64, 'a'));
  EXPECT_FALSE(NormalizeDigestHex(std::string(63, 'a'), "f").ok());
  EXPECT_FALSE(NormalizeDigestHex(std::string(63, 'a') + "g", "f").ok());
  EXPECT_TRUE(NormalizeOpaqueId("DCI-2026-000001", "f").ok());
  EXPECT_FALSE(NormalizeOpaqueId("has space", "f").ok());
  EXPECT_FALSE(NormalizeOpaqueId("", "f").ok());
}

}  // namespace
}  // namespace vt::domain
