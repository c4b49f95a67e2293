// Names (domain/names.h): hidden characters refused, mixed scripts flagged.
#include "domain/names.h"

#include <gtest/gtest.h>

#include "domain/ids.h"

namespace vt::domain {
namespace {

TEST(NamesTest, BidiAndZeroWidthCharactersAreRefused) {
  // "Char" RLO "Agnol" PDF: the override shows "Agnol" reversed, as "longA".
  EXPECT_FALSE(
      IsValidName("Char\u202e"
                  "Agnol\u202c"));
  EXPECT_NE(NameProblem("Char\u202e"
                        "Agnol\u202c")
                .find("U+202E"),
            std::string::npos);
  for (const char* hidden : {"\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
                             "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200c",
                             "\u200d", "\u2060", "\u2064", "\ufeff", "\u180e"}) {
    std::string name = std::string("Ar") + hidden + "ia";
    EXPECT_FALSE(IsValidName(name)) << name;
    EXPECT_NE(FirstHiddenCharacter(name), 0u) << name;
  }
  // Ordinary names in many scripts stay valid.
  for (const char* ok : {"Aria", "艾莉亚", "アリア", "아리아", "Ария", "Αρία", "آريا", "José Ñúñez",
                         "Lumi-Starlight 2025", "初音ミク"}) {
    EXPECT_TRUE(IsValidName(ok)) << ok;
    EXPECT_EQ(FirstHiddenCharacter(ok), 0u) << ok;
  }
}

TEST(NamesTest, MixedScriptsAreFlaggedAsTr39HighlyRestrictive) {
  // Single scripts, with Common characters.
  for (const char* single : {"Aria", "Ария", "Αρία", "艾莉亚", "アリア", "ありあ", "아리아",
                             "Aria 2", "José-María", "สมชาย", "آريا"}) {
    EXPECT_EQ(NameReview(single), "") << single;
  }
  // Allowed combinations: Japanese, Chinese with Bopomofo, Korean, each with Latin.
  for (const char* allowed : {"初音ミク", "初音ミク V3", "ひらがなカタカナ漢字", "漢字ㄅㄆ",
                              "한국語", "Lumi 星光", "Project 아리아"}) {
    EXPECT_EQ(NameReview(allowed), "") << allowed;
  }
  // Mixed: a Cyrillic "а" in a Latin name, Greek with Latin, Hangul with Kana.
  for (const char* mixed :
       {"Ari\u0430", "P\u0430ypal", "Αria", "アリア아리아", "Aria آريا", "漢字ㄅ한"}) {
    EXPECT_EQ(NameReview(mixed), "mixed_script") << mixed;
  }
}

}  // namespace
}  // namespace vt::domain
