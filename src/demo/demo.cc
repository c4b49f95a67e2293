// The demo data set (demo.h): written through the application's use cases only.
#include "demo/demo.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "app/identity/ca_keys.h"
#include "base/encoding.h"
#include "crypto/digest.h"
#include "settlement/concert_testdata.h"
#include "x509/csr.h"

namespace vt::demo {
namespace {

using app::Principal;

Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    return InternalError("cannot create " + path + ": " + strerror(errno));
  return OkStatus();
}

Status WriteFile(const std::string& path, const std::string& bytes, mode_t mode) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) return InternalError("cannot write " + tmp);
  }
  if (chmod(tmp.c_str(), mode) != 0 || rename(tmp.c_str(), path.c_str()) != 0)
    return InternalError("cannot write " + path + ": " + strerror(errno));
  return OkStatus();
}

// A principal acting as `member` of `org`, as a token of that member would.
Principal Acting(const std::string& org, const std::string& member) {
  Principal p;
  p.org_id = org;
  p.member_id = member;
  p.role = domain::Role::kAdmin;
  return p;
}

// A likeness reference of the idol: the digests of a (fictional) reference file.
app::Fingerprint Likeness(const std::string& kind, const std::string& name) {
  std::string bytes = "vtrust demo likeness reference: " + name;
  return {kind, HexEncode(crypto::Sha256(bytes)), HexEncode(crypto::Sm3(bytes))};
}

// A work's input with the digests of a (fictional) master file.
app::WorkInput WorkOf(const std::string& type, std::map<std::string, std::string> titles,
                      std::map<std::string, std::vector<app::RightShare>> rights) {
  app::WorkInput in;
  in.type = type;
  in.titles = std::move(titles);
  std::string master = "vtrust demo master file: " + in.titles.begin()->second;
  in.sha256 = HexEncode(crypto::Sha256(master));
  in.sm3 = HexEncode(crypto::Sm3(master));
  in.rights = std::move(rights);
  return in;
}

struct Person {
  std::string org, member;
};

// PNG chunk: length, type, data, CRC-32 over type and data (ISO/IEC 15948 §5.3).
void Chunk(std::string& out, const char* type, const std::string& data) {
  uint32_t n = static_cast<uint32_t>(data.size());
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((n >> s) & 0xff));
  std::string body = std::string(type, 4) + data;
  out += body;
  uint32_t crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((crc >> s) & 0xff));
}

}  // namespace

std::string PosterPng(int width, int height) {
  // A night-sky gradient, a "stage" of light beams and a ring of stars.
  std::string raw;
  raw.reserve(static_cast<size_t>(height) * (1 + 3 * width));
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);  // filter: none
    for (int x = 0; x < width; ++x) {
      double t = static_cast<double>(y) / height;
      double r = 20 + 90 * t, g = 16 + 30 * t, b = 70 + 120 * (1 - t);
      double beam = std::fabs(std::sin((x - width / 2.0) * 0.02 + y * 0.004));
      if (y > height / 2) {
        r += 60 * beam * t;
        g += 40 * beam * t;
        b += 30 * beam;
      }
      double cx = x - width / 2.0, cy = y - height * 0.38;
      double d = std::sqrt(cx * cx + cy * cy);
      if (std::fabs(d - width * 0.28) < 3) r = g = b = 245;
      if ((x * 7919 + y * 104729) % 997 == 0) r = g = b = 255;
      raw.push_back(static_cast<char>(std::min(255.0, r)));
      raw.push_back(static_cast<char>(std::min(255.0, g)));
      raw.push_back(static_cast<char>(std::min(255.0, b)));
    }
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string z(size, '\0');
  compress2(reinterpret_cast<Bytef*>(z.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
            static_cast<uLong>(raw.size()), 9);
  z.resize(size);
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  for (uint32_t v : {static_cast<uint32_t>(width), static_cast<uint32_t>(height)})
    for (int s = 24; s >= 0; s -= 8) ihdr.push_back(static_cast<char>((v >> s) & 0xff));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, no interlace
  Chunk(png, "IHDR", ihdr);
  Chunk(png, "IDAT", z);
  Chunk(png, "IEND", "");
  return png;
}

StatusOr<Json> LoadDemo(server::Components& c) {
  app::Service& svc = c.service();
  const std::string dir = svc.config().data_dir + "/demo";
  const std::string marker = dir + "/demo.json";
  {
    std::ifstream in(marker, std::ios::binary);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      Json done = Json::parse(ss.str(), nullptr, false);
      if (done.is_object()) {
        done["created"] = false;
        return done;
      }
    }
  }
  VT_RETURN_IF_ERROR(MakeDir(dir));
  VT_ASSIGN_OR_RETURN(Principal op, svc.LocalPrincipal());

  // Organizations and their people.
  auto org = [&](const std::string& name, domain::OrgKind kind) -> StatusOr<std::string> {
    VT_ASSIGN_OR_RETURN(auto o, svc.CreateOrg(op, name, kind));
    return o.value.id;
  };
  auto member = [&](const std::string& org_id, const std::string& name,
                    domain::Role role) -> StatusOr<std::string> {
    VT_ASSIGN_OR_RETURN(auto m, svc.AddMember(op, org_id, name, "", role));
    return m.value.id;
  };
  using domain::OrgKind;
  using domain::Role;
  VT_ASSIGN_OR_RETURN(std::string aurora, org("Aurora Character IP Co.", OrgKind::kStudio));
  VT_ASSIGN_OR_RETURN(std::string nebula, org("Nebula Studio", OrgKind::kStudio));
  VT_ASSIGN_OR_RETURN(std::string tianyin, org("Tianyin Live", OrgKind::kPlatform));
  VT_ASSIGN_OR_RETURN(std::string agency, org("Starlight Talent Agency", OrgKind::kAgency));
  VT_ASSIGN_OR_RETURN(std::string aurora_admin, member(aurora, "Gao Lan", Role::kAdmin));
  VT_ASSIGN_OR_RETURN(std::string nebula_admin, member(nebula, "Xu Hang", Role::kAdmin));
  VT_ASSIGN_OR_RETURN(std::string tianyin_admin, member(tianyin, "Fang Yue", Role::kAdmin));
  VT_ASSIGN_OR_RETURN(std::string voice, member(agency, "Chen Yu", Role::kMember));
  VT_ASSIGN_OR_RETURN(std::string mocap, member(agency, "Lin Xiao", Role::kMember));
  VT_ASSIGN_OR_RETURN(std::string composer, member(agency, "Zhou Ming", Role::kMember));
  VT_ASSIGN_OR_RETURN(std::string choreo, member(agency, "Su Qing", Role::kMember));
  Principal as_aurora = Acting(aurora, aurora_admin);
  Principal as_nebula = Acting(nebula, nebula_admin);

  // The idol and her ID card, issued for a key her holder keeps.
  app::CharacterInput lumi;
  lumi.name = "Hoshino Lumi";
  lumi.names = {{"en", "Hoshino Lumi"}, {"zh-Hans", "星野露米"}, {"ja", "星野ルミ"}};
  lumi.description =
      "A fictional virtual idol of the vtrust demo: a singer who performs live through a "
      "voice actor and a motion-capture performer.";
  lumi.creators = {"Aurora Character IP Co.", voice, mocap};
  lumi.likeness = {Likeness("face", "Lumi face sheet"), Likeness("model3d", "Lumi 3D model v2"),
                   Likeness("voice", "Lumi voice model")};
  lumi.ai_driven = true;
  VT_ASSIGN_OR_RETURN(auto character, c.characters().Register(as_aurora, lumi));
  const std::string lumi_id = character.value.id;
  VT_ASSIGN_OR_RETURN(crypto::PrivateKey holder,
                      crypto::PrivateKey::Generate(crypto::KeyAlg::kP256));
  VT_ASSIGN_OR_RETURN(std::string holder_pem, holder.ToPem(""));
  const std::string holder_path = dir + "/lumi-holder-key.pem";
  VT_RETURN_IF_ERROR(WriteFile(holder_path, holder_pem, 0600));
  VT_ASSIGN_OR_RETURN(std::string csr, x509::MakeCsr(holder));
  app::IssueRequest card_req;
  card_req.alg = crypto::KeyAlg::kP256;
  card_req.csr = csr;
  VT_ASSIGN_OR_RETURN(auto card, c.pki().IssueCard(as_aurora, lumi_id, card_req));

  // Works: her design, a song, a choreography, and the concert that uses all three.
  using Shares = std::vector<app::RightShare>;
  VT_ASSIGN_OR_RETURN(
      auto design,
      c.works().Register(
          as_aurora,
          WorkOf("character_design",
                 {{"en", "Hoshino Lumi character design"}, {"zh-Hans", "星野露米 角色设计"}},
                 {{"copyright", Shares{{aurora, 10000}}}, {"likeness", Shares{{aurora, 10000}}}})));
  VT_ASSIGN_OR_RETURN(
      auto song,
      c.works().Register(as_nebula, WorkOf("song", {{"en", "Starlight"}, {"zh-Hans", "星光"}},
                                           {{"copyright", Shares{{composer, 10000}}}})));
  VT_ASSIGN_OR_RETURN(
      auto dance,
      c.works().Register(
          as_nebula, WorkOf("choreography", {{"en", "Starlight dance"}, {"zh-Hans", "星光之舞"}},
                            {{"copyright", Shares{{choreo, 10000}}}})));
  VT_ASSIGN_OR_RETURN(
      auto concert,
      c.works().Register(as_nebula,
                         WorkOf("concert",
                                {{"en", "Hoshino Lumi - Starlight Live 2025"},
                                 {"zh-Hans", "星野露米 星光演唱会 2025"}},
                                {{"copyright", Shares{{nebula, 10000}}},
                                 {"performance", Shares{{voice, 6000}, {mocap, 4000}}}})));
  const std::string concert_id = concert.value.id;
  VT_RETURN_IF_ERROR(c.works().AddUse(op, concert_id, design.value.id, "character").status());
  VT_RETURN_IF_ERROR(c.works().AddUse(op, concert_id, song.value.id, "music").status());
  VT_RETURN_IF_ERROR(c.works().AddUse(op, concert_id, dance.value.id, "choreography").status());

  // The concert's agreement (docs/settlement.md's example), with real party ids.
  Json terms = Json::parse(settlement::testdata::kConcertAgreement);
  terms.erase("id");
  terms.erase("version");
  terms.erase("work");
  const std::map<std::string, std::string> party_ids = {
      {"platform", tianyin}, {"ipowner", aurora},    {"studio", nebula}, {"voice", voice},
      {"mocap", mocap},      {"composer", composer}, {"choreo", choreo}};
  std::string text = terms.dump();
  for (const auto& [placeholder, id] : party_ids) {
    const std::string quoted = "\"" + placeholder + "\"", replacement = "\"" + id + "\"";
    for (size_t at = text.find(quoted); at != std::string::npos;
         at = text.find(quoted, at + replacement.size()))
      text.replace(at, quoted.size(), replacement);
  }
  terms = Json::parse(text);
  VT_ASSIGN_OR_RETURN(auto agreement,
                      c.agreements().Create(as_nebula, concert_id, "Starlight Live 2025", terms));
  const std::string agreement_id = agreement.value.id;
  const app::AgreementVersion& v1 = agreement.value.versions.front();
  // Every party signs with a member certificate: the organizations through an admin,
  // the people themselves.
  const std::vector<Person> signers = {
      {aurora, aurora_admin}, {nebula, nebula_admin}, {tianyin, tianyin_admin}, {agency, voice},
      {agency, mocap},        {agency, composer},     {agency, choreo}};
  for (const Person& s : signers) {
    app::IssueRequest req;
    req.alg = crypto::KeyAlg::kP256;
    VT_ASSIGN_OR_RETURN(auto cert, c.pki().IssueMemberCertificate(op, s.org, s.member, req));
    if (!cert.value.record.key_ref) return InternalError("demo: member key is not custodial");
    VT_ASSIGN_OR_RETURN(auto signer, app::OpenKeyRef(svc.config(), *cert.value.record.key_ref));
    VT_ASSIGN_OR_RETURN(std::string sig, signer->Sign(v1.canonical));
    VT_RETURN_IF_ERROR(
        c.agreements()
            .Sign(Acting(s.org, s.member), agreement_id, v1.hash, cert.value.certificate_pem, sig)
            .status());
  }

  // Two months of ticket and streaming revenue (the numbers of docs/settlement.md),
  // each month settled.
  auto line = [&](const std::string& key, int64_t amount, const std::string& channel,
                  const std::string& period) {
    settlement::RevenueLine l;
    l.idempotency_key = key;
    l.work = concert_id;
    l.amount = amount;
    l.currency = "CNY";
    l.territory = "CN";
    l.channel = channel;
    l.period = period;
    l.external_ref = "tianyin-" + key;
    return l;
  };
  Json runs = Json::array();
  const std::vector<std::pair<std::string, std::vector<settlement::RevenueLine>>> months = {
      {"2025-07",
       {line("tix-0701", 49'664'000, "ticketing", "2025-07"),
        line("stream-0701", 44'200'023, "streaming", "2025-07")}},
      {"2025-08",
       {line("tix-0815", 58'200'000, "ticketing", "2025-08"),
        line("refund-0816", -1'940'000, "ticketing", "2025-08"),
        line("stream-0815", 1'200'091, "streaming", "2025-08")}}};
  for (const auto& [period, lines] : months) {
    VT_RETURN_IF_ERROR(c.revenue().Import(as_nebula, lines).status());
    VT_ASSIGN_OR_RETURN(auto run, c.settlements().Run(as_nebula, agreement_id, period, false));
    runs.push_back({{"id", run.value.id}, {"period", period}});
  }

  // The concert poster, signed with content credentials for Lumi with her owner's
  // claim-signing certificate; it names the concert (the studio's work) as an
  // ingredient, so the operator, who reads both organizations, makes the request.
  std::istringstream picture(PosterPng(480, 640));
  std::ostringstream signed_poster;
  app::ContentSignRequest sign_req;
  sign_req.character_id = lumi_id;
  sign_req.work_ids = {concert_id};
  sign_req.title = "Starlight Live 2025 poster";
  VT_ASSIGN_OR_RETURN(auto poster, c.content().Sign(op, picture, sign_req, signed_poster));
  const std::string poster_path = dir + "/starlight-poster.png";
  VT_RETURN_IF_ERROR(WriteFile(poster_path, signed_poster.str(), 0644));

  // A console token for the operator's admin.
  VT_ASSIGN_OR_RETURN(auto token, svc.CreateToken(op, op.org_id, op.member_id, "demo console", 0));

  Json out = {
      {"created", true},
      {"character", lumi_id},
      {"card_serial", card.value.record.serial},
      {"owner_org", aurora},
      {"studio_org", nebula},
      {"platform_org", tianyin},
      {"agency_org", agency},
      {"people", {{"voice", voice}, {"mocap", mocap}, {"composer", composer}, {"choreo", choreo}}},
      {"works",
       {{"design", design.value.id},
        {"song", song.value.id},
        {"choreography", dance.value.id},
        {"concert", concert_id}}},
      {"agreement", agreement_id},
      {"runs", runs},
      {"poster", poster_path},
      {"poster_manifest", poster.value.manifest_label},
      {"holder_key", holder_path},
      {"token", token.value.secret}};
  Json stored = out;
  stored.erase("created");
  VT_RETURN_IF_ERROR(WriteFile(marker, stored.dump(2) + "\n", 0600));
  return out;
}

}  // namespace vt::demo
