#include "bot/app/cli.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bot/app/cli_commands.h"
#include "bot/app/cli_common.h"
#include "bot/app/exit_status.h"
#include "bot/app/setup.h"
#include "bot/base/version.h"
#include "clients/curl_transport.h"

namespace triage {

Environment RealEnvironment() {
  Environment env;
  env.getenv = [](const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return std::string(v == nullptr ? "" : v);
  };
  env.sleep = [](int64_t micros) {
    if (micros > 0) std::this_thread::sleep_for(std::chrono::microseconds(micros));
  };
  env.clock = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  return env;
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           int64_t now_us) {
  return RunCli(argc, argv, out, err, now_us, RealEnvironment());
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
           int64_t now_us, const Environment& given) {
  Environment env = given;
  std::unique_ptr<HttpTransport> owned;
  if (env.transport == nullptr) {
    owned = NewCurlTransport();
    env.transport = owned.get();
  }
  CLI::App app{"Clusters Cloud Logging entries into problems and keeps one GitHub issue per "
               "problem.",
               kProgramName};
  app.require_subcommand(1);
  AddVersionFlag(&app);

  ClusterArgs cargs;
  CLI::App* cluster = AddClusterCommand(app, &cargs);
  JobArgs rargs;
  CLI::App* run = AddRunCommand(app, &rargs);
  CommandCliArgs kargs;
  CLI::App* command = AddCommandCommand(app, &kargs);
  QueryArgs qargs;
  CLI::App* query = AddQueryCommand(app, &qargs);

  std::string validate_config;
  CLI::App* validate = app.add_subcommand(
      "validate", "Check a configuration and its templates; exit 0 when valid, 2 when not");
  AddVersionFlag(validate);
  validate->add_option("-c,--config", validate_config,
                       std::string("The configuration (default ") + kDefaultConfigPath + ")");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::vector<CLI::App*> subs = app.get_subcommands();
    out << (subs.empty() ? app.help() : subs.back()->help(kProgramName));
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    out << kProgramName << " " << kVersion << " (commit " << kCommit << ")\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string sub;
    for (CLI::App* s : app.get_subcommands()) sub = " " + s->get_name();
    err << kProgramName << sub << ": " << e.what() << " (see " << kProgramName << sub
        << " --help)\n";
    return kExitUsage;
  }
  if (cluster->parsed()) return RunCluster(cargs, out, err, now_us);
  if (query->parsed()) return RunQuery(qargs, out, err, now_us);
  // In Actions, log text the bot prints must not act as workflow commands.
  // The runner reads commands from both streams; they go to `err` so that
  // stdout stays data (`run --json > report.json`).
  WorkflowCommands commands(err, env.getenv("GITHUB_ACTIONS") == "true");
  for (const char* name : {"GITHUB_TOKEN", "GH_TOKEN"}) commands.Mask(env.getenv(name));
  if (run->parsed()) return RunRun(rargs, out, err, now_us, env, &commands);
  if (command->parsed()) return RunCommandCli(kargs, out, err, now_us, env, &commands);
  if (validate->parsed()) {
    bool explicit_path = !validate_config.empty();
    return RunValidate(explicit_path ? validate_config : kDefaultConfigPath, explicit_path, out, err);
  }
  return Usage(err, "no command given (see --help)");
}

}  // namespace triage
