// vtrust: one binary for the server and the command line.
#include <CLI/CLI.hpp>

#include "base/clock.h"
#include "base/rng.h"
#include "cli/context.h"
#include "cli/suggest.h"
#include "cli/version.h"

namespace vt::cli {
// `vtrust content sign|verify` (cmd_content.cc).
void AddContentCommands(CLI::App& app, Context& ctx);
void AddKekCommands(CLI::App& app, Context& ctx);
// `vtrust tsa serve|cert` (cmd_tsa.cc).
void AddTsaCommands(CLI::App& app, Context& ctx);
}  // namespace vt::cli

int main(int argc, char** argv) {
  vt::cli::Context ctx(vt::SystemClock::Get(), vt::SystemRng::Get());
  CLI::App app{
      "vtrust: digital trust for virtual people (ID cards, registry, settlement, "
      "transparency log)",
      "vtrust"};
  app.require_subcommand(1);
  app.set_version_flag(
      "--version",
      std::string("vtrust ") + vt::cli::kVersion + " (git " + vt::cli::kGitCommit + ")",
      "Print the version and the git commit of this build");
  vt::cli::AddGlobalFlags(app, ctx);
  vt::cli::AddInitServe(app, ctx);
  vt::cli::AddAccessCommands(app, ctx);
  vt::cli::AddCharacterCommands(app, ctx);
  vt::cli::AddWorkCommands(app, ctx);
  vt::cli::AddAgreementCommands(app, ctx);
  vt::cli::AddLogCommands(app, ctx);
  vt::cli::AddWitnessCommands(app, ctx);
  vt::cli::AddSettlementCommands(app, ctx);
  vt::cli::AddCaCommands(app, ctx);
  vt::cli::AddKekCommands(app, ctx);
  vt::cli::AddContentCommands(app, ctx);
  vt::cli::AddTsaCommands(app, ctx);
  vt::cli::AddCardCommands(app, ctx);
  // Keep last: joins the `card` command that AddCardCommands creates.
  vt::cli::AddCardProveCommands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    // A mistyped command: name it (and its nearest neighbour) rather than report a
    // missing subcommand or an unexpected argument.
    if (auto msg = vt::cli::UnknownCommandMessage(
            app, std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc))) {
      std::cerr << "vtrust: error: " << *msg << " (see --help)\n";
      return 2;
    }
    std::cerr << "vtrust: error: " << e.what() << " (see --help)\n";
    return 2;
  }
  return ctx.exit_code;
}
