// Wires the log's witnessing component to the service's store and configuration.
#include "app/access/service.h"
#include "app/log/witnessing.h"
#include "net/http_client.h"
#include "tlog/hash.h"

namespace vt::app {
namespace {

// The witness transport over net::HttpClient (a fresh connection per request).
StatusOr<WitnessReply> PostToWitness(const std::string& url, const std::string& body,
                                     std::chrono::milliseconds timeout) {
  VT_ASSIGN_OR_RETURN(auto parts, net::SplitBaseUrl(url));
  VT_ASSIGN_OR_RETURN(auto client, net::NewHttpClient(parts.first, {timeout, timeout, timeout}));
  VT_ASSIGN_OR_RETURN(net::HttpResponse res,
                      client->Post(parts.second, body, "text/plain; charset=utf-8"));
  return WitnessReply{res.status, std::move(res.body)};
}

}  // namespace

StatusOr<std::unique_ptr<Witnessing>> NewWitnessing(Service& svc) {
  const Config& config = svc.config();
  if (config.witnesses.empty()) return std::unique_ptr<Witnessing>();
  WitnessingOptions o;
  o.origin = svc.log().origin();
  o.log_verifier = svc.log().verifier();
  for (const std::string& spec : config.witnesses) {
    VT_ASSIGN_OR_RETURN(WitnessEndpoint ep, ParseWitnessSpec(spec));
    o.witnesses.push_back(std::move(ep));
  }
  o.quorum = static_cast<size_t>(config.witness_policy);
  o.state_path = config.data_dir + "/log-cosigned-checkpoint";
  o.transport = PostToWitness;
  WitnessingSource src;
  src.published = [&svc] {
    auto stored =
        svc.Read<LogCheckpoint>([](store::Conn& c) { return TransparencyLog::LoadCheckpoint(c); });
    return stored.ok() ? *stored : svc.log().Published();
  };
  src.consistency = [&svc](int64_t old_size, int64_t new_size) -> StatusOr<ConsistencyResult> {
    VT_ASSIGN_OR_RETURN(Json j, svc.Read<Json>([&](store::Conn& c) {
      return TransparencyLog::ConsistencyProof(c, old_size, new_size);
    }));
    ConsistencyResult r;
    for (const auto& h : j.at("hashes")) {
      VT_ASSIGN_OR_RETURN(tlog::Hash hash, tlog::HashFromBase64(h.get<std::string>()));
      r.hashes.push_back(hash);
    }
    VT_ASSIGN_OR_RETURN(r.old_root, tlog::HashFromBase64(j.at("old_root").get<std::string>()));
    VT_ASSIGN_OR_RETURN(r.new_root, tlog::HashFromBase64(j.at("new_root").get<std::string>()));
    return r;
  };
  return Witnessing::Start(std::move(o), std::move(src));
}

}  // namespace vt::app
