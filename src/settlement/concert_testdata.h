// Test data shared by the settlement tests: the virtual-idol concert agreement that
// docs/settlement.md uses as its example (keep the two in sync).
#pragma once

#include <string_view>

namespace vt::settlement::testdata {

inline constexpr std::string_view kConcertAgreement = R"json({
  "format": "vtrust-agreement/1",
  "id": "lumi-starlight-2025",
  "version": 1,
  "work": "concert:lumi-starlight-2025",
  "title": "Hoshino Lumi - Starlight live concert 2025",
  "currency": "CNY",
  "parties": [
    {"id": "platform", "name": "Tianyin Live", "role": "ticketing and streaming platform"},
    {"id": "ipowner", "name": "Aurora Character IP Co.", "role": "owner of the character Hoshino Lumi"},
    {"id": "studio", "name": "Nebula Studio", "role": "production studio"},
    {"id": "voice", "name": "Chen Yu", "role": "voice actor"},
    {"id": "mocap", "name": "Lin Xiao", "role": "motion-capture performer"},
    {"id": "composer", "name": "Zhou Ming", "role": "composer"},
    {"id": "choreo", "name": "Su Qing", "role": "choreographer"}
  ],
  "scope": {
    "territories": ["CN", "HK", "MO"],
    "channels": ["ticketing", "streaming"],
    "period_from": "2025-07",
    "period_to": "2025-12"
  },
  "tiers": [
    {"id": "platform-fee", "kind": "fee", "label": "platform fee", "payee": "platform",
     "rate": {"bp": 1200}, "base": "gross"},
    {"id": "ip-corridor", "kind": "corridor", "label": "character-IP corridor", "payee": "ipowner",
     "rate": {"bp": 500}, "base": "remaining", "cap": 5000000},
    {"id": "production-recoupment", "kind": "recoupment", "label": "production cost",
     "payee": "studio", "cap": 40000000, "rate": {"num": 1, "den": 2}},
    {"id": "profit", "kind": "shares", "label": "profit shares", "unit": "bp", "shares": [
      {"payee": "ipowner", "weight": 3500},
      {"payee": "studio", "weight": 3000},
      {"payee": "voice", "weight": 1500},
      {"payee": "mocap", "weight": 1000},
      {"pool": {"id": "music-pool", "name": "music and dance pool", "tiers": [
        {"id": "music-split", "kind": "shares", "unit": "units", "shares": [
          {"payee": "composer", "weight": 3},
          {"payee": "choreo", "weight": 2}
        ]}
      ]}, "weight": 1000}
    ]}
  ]
})json";

}  // namespace vt::settlement::testdata
