// Shared state of one CLI invocation: the global options and the client.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/jcs.h"
#include "base/rng.h"
#include "base/status.h"
#include "cli/client.h"

namespace vt::cli {

struct Context {
  // `clock` and `rng` (the process's, from main.cc) open the data directory
  // in local mode; they must outlive the context.
  Context(const Clock& clock, Rng& rng) : clock(clock), rng(rng) {}

  const Clock& clock;
  Rng& rng;
  std::string data_dir;  // --data
  std::string server;    // --server or VTRUST_SERVER
  std::string token;     // --token or VTRUST_TOKEN
  bool json = false;     // --json: one JSON document on stdout
  int exit_code = 0;

  // The server URL of this invocation, without trailing slashes: --server, else
  // VTRUST_SERVER unless --data was given, else "". Updates `server`.
  std::string Server();
  // The client for this invocation: remote if Server() names one, else local on --data.
  StatusOr<Client*> GetClient();
  // Prints a result: the JSON document with --json, else `human(result)`.
  void Print(const Json& result, const std::function<std::string(const Json&)>& human);
  // Reports an error on stderr as one line and sets a non-zero exit code.
  void Fail(const Status& s);
  // Runs `fn`, reporting its error if any.
  void Run(const std::function<Status()>& fn);

 private:
  std::unique_ptr<Client> client_;
};

// Adds the global flags (--data, --server, --token, --json) to `cmd`.
void AddGlobalFlags(CLI::App& cmd, Context& ctx);

void AddInitServe(CLI::App& app, Context& ctx);
void AddAccessCommands(CLI::App& app, Context& ctx);
// `vtrust character ...` (cmd_character.cc).
void AddCharacterCommands(CLI::App& app, Context& ctx);
void AddWorkCommands(CLI::App& app, Context& ctx);
// `vtrust agreement ...` and `vtrust work transfer|licence|sign-document|documents`
// (cmd_agreement.cc); joins the `work` command: call it after AddWorkCommands.
void AddAgreementCommands(CLI::App& app, Context& ctx);
// `vtrust log ...` (cmd_log.cc).
void AddLogCommands(CLI::App& app, Context& ctx);
// `vtrust witness ...` (cmd_witness.cc).
void AddWitnessCommands(CLI::App& app, Context& ctx);
// `vtrust revenue ...` and `vtrust settle ...` (cmd_settle.cc).
void AddSettlementCommands(CLI::App& app, Context& ctx);

// `vtrust card issue|renew|revoke|status|get|list` and `vtrust member-cert`
// (cmd_card.cc); `vtrust ca init|roots` (cmd_ca.cc).
void AddCardCommands(CLI::App& app, Context& ctx);
void AddCaCommands(CLI::App& app, Context& ctx);
// `vtrust card challenge|prove|verify-proof|verdict-key|render` (cmd_card_prove.cc);
// joins (or creates) the `card` command: call it after AddCardCommands.
void AddCardProveCommands(CLI::App& app, Context& ctx);

// URL path escaping of one segment.
std::string Seg(const std::string& s);

}  // namespace vt::cli
