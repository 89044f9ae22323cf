// The built program itself, started as a process with an empty
// environment (so no GITHUB_TOKEN of the machine's reaches it): its
// version, its help, an unknown subcommand, and a dry run on an example.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "bot/base/version.h"
#include "tests/support/cli_support.h"

namespace triage {
namespace {

struct Exit {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs the binary with `args` in GARDENER_SOURCE_DIR and no environment.
Exit RunBinary(const std::vector<std::string>& args) {
  testing::TempDir dir;
  std::string out_path = dir.Path("out"), err_path = dir.Path("err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> all{GARDENER_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(&a[0]);
  argv.push_back(nullptr);
  char* envp[] = {nullptr};
  std::string cwd = std::filesystem::current_path().string();
  std::filesystem::current_path(GARDENER_SOURCE_DIR);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, GARDENER_BINARY, &actions, nullptr, argv.data(), envp);
  std::filesystem::current_path(cwd);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  Exit e;
  e.code = WEXITSTATUS(status);
  e.out = testing::ReadFile(out_path);
  e.err = testing::ReadFile(err_path);
  return e;
}

TEST_CASE("binary: --version prints the program and its version") {
  Exit e = RunBinary({"--version"});
  CHECK(e.code == 0);
  CHECK(e.out.find(std::string(kProgramName) + " " + kVersion) != std::string::npos);
}

TEST_CASE("binary: --help lists every subcommand and exits 0") {
  Exit e = RunBinary({"--help"});
  CHECK(e.code == 0);
  for (const char* sub : {"cluster", "run", "command", "query", "validate"}) {
    CAPTURE(sub);
    CHECK(e.out.find(std::string("\n  ") + sub + " ") != std::string::npos);
  }
  CHECK(e.out.find("--version") != std::string::npos);
}

TEST_CASE("binary: an unknown subcommand exits 2 with a message on stderr") {
  Exit e = RunBinary({"no-such-subcommand"});
  CHECK(e.code == 2);
  CHECK(e.out.empty());
  CHECK_FALSE(e.err.empty());
  CHECK(e.err.find(kProgramName) != std::string::npos);
}

TEST_CASE("binary: a dry run on the example plans without a token and exits 0") {
  Exit e = RunBinary({"run", "--dry-run", "--config", "examples/netra-staging.yml", "--input",
                      "examples/netra-staging/2025-09-15T0241.json"});
  CHECK(e.code == 0);
  CHECK(e.out.rfind("Plan (dry run, nothing is written to GitHub):\n", 0) == 0);
  // Every planned line is a create against the empty tracker, and the
  // closing line counts them.
  size_t creates = 0;
  for (size_t at = e.out.find("\n  create "); at != std::string::npos;
       at = e.out.find("\n  create ", at + 1))
    ++creates;
  CHECK(creates > 0);
  CHECK(e.out.find(std::to_string(creates) + " create") != std::string::npos);
  CHECK(e.out.find("GCP-race-condition") != std::string::npos);
  CHECK(e.err.find("no GitHub token") != std::string::npos);
}

}  // namespace
}  // namespace triage
