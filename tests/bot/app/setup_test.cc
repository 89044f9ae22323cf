// LoadSetup and RunValidate: the built-in defaults alone, a user's file
// over them, a missing explicit file, a template override found beside the
// config, a template that does not compile, and validate's exit codes.
#include "bot/app/setup.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "bot/app/exit_status.h"
#include "templates/render.h"
#include "tests/support/cli_support.h"

namespace triage {
namespace {

using testing::TempDir;

TEST_CASE("setup: no file at the default path gives the defaults alone") {
  TempDir dir;
  std::string missing = dir.Path("absent.yml");
  Result<Setup> setup = LoadSetup(missing, /*explicit_path=*/false);
  REQUIRE(setup);
  CHECK(setup.value().config_source.empty());
  CHECK(setup.value().config.github.bot_label == "gcp-log-gardener");
  CHECK(setup.value().config.source.min_severity == Severity::kWarning);
  CHECK_FALSE(setup.value().config.rules.rules.empty());
  CHECK(setup.value().templates.issue_body != nullptr);
  CHECK(setup.value().templates.comment != nullptr);
  CHECK(setup.value().templates.worklog != nullptr);
  CHECK(setup.value().templates.redact_emails);
}

TEST_CASE("setup: a user's file overrides the defaults it names and keeps the rest") {
  TempDir dir;
  Result<Setup> defaults = LoadSetup(dir.Path("absent.yml"), false);
  REQUIRE(defaults);
  std::string path = dir.Write("gardener.yml",
                               "version: 1\n"
                               "source:\n  min_severity: ERROR\n"
                               "github:\n  bot_label: my-bot\n"
                               "redaction:\n  emails: false\n"
                               "rules:\n  - name: only-mine\n    when:\n      message: 'boom'\n"
                               "    category: Mine\n");
  Result<Setup> setup = LoadSetup(path, /*explicit_path=*/false);
  REQUIRE(setup);
  CHECK(setup.value().config_source == path);
  CHECK(setup.value().config.source.min_severity == Severity::kError);
  CHECK(setup.value().config.github.bot_label == "my-bot");
  CHECK(setup.value().config.github.dashboard_title ==
        defaults.value().config.github.dashboard_title);
  CHECK_FALSE(setup.value().templates.redact_emails);
  // The user's rule comes first, before the defaults'.
  REQUIRE(setup.value().config.rules.rules.size() == defaults.value().config.rules.rules.size() + 1);
  CHECK(setup.value().config.rules.rules.front().name == "only-mine");
}

TEST_CASE("setup: an explicit file that is missing is an error naming it") {
  TempDir dir;
  std::string missing = dir.Path("nope.yml");
  Result<Setup> setup = LoadSetup(missing, /*explicit_path=*/true);
  REQUIRE_FALSE(setup);
  CHECK(setup.error().kind == ErrorKind::kConfig);
  CHECK(setup.error().message.find("nope.yml") != std::string::npos);
}

TEST_CASE("setup: a template override is read relative to the config's folder") {
  TempDir dir;
  std::filesystem::create_directories(dir.Path("conf/tpl"));
  dir.Write("conf/tpl/worklog.md", "# My worklog for {{repository}}\n");
  std::string path = dir.Write("conf/gardener.yml",
                               "version: 1\ntemplates:\n  worklog: tpl/worklog.md\n");
  Result<Setup> setup = LoadSetup(path, true);
  REQUIRE(setup);
  Result<Setup> defaults = LoadSetup(dir.Path("absent.yml"), false);
  REQUIRE(defaults);
  RunReport report;
  std::string mine = RenderWorklog(setup.value().templates, report);
  CHECK(mine.rfind("# My worklog for", 0) == 0);
  CHECK(mine != RenderWorklog(defaults.value().templates, report));

  SUBCASE("a missing override names the template and the config") {
    std::string bad = dir.Write("conf/bad.yml", "version: 1\ntemplates:\n  comment: tpl/none.md\n");
    Result<Setup> broken = LoadSetup(bad, true);
    REQUIRE_FALSE(broken);
    CHECK(broken.error().kind == ErrorKind::kConfig);
    CHECK(broken.error().message.find("bad.yml: templates comment") != std::string::npos);
  }
}

TEST_CASE("setup: a template that does not compile is a config error with its path") {
  TempDir dir;
  dir.Write("broken.md", "{{#samples}} never closed\n");
  std::string path = dir.Write("gardener.yml", "version: 1\ntemplates:\n  issue_body: broken.md\n");
  Result<Setup> setup = LoadSetup(path, true);
  REQUIRE_FALSE(setup);
  CHECK(setup.error().kind == ErrorKind::kConfig);
  CHECK(setup.error().message.find("broken.md") != std::string::npos);
}

TEST_CASE("validate: OK with counts and 0, or the error and 2") {
  TempDir dir;
  std::ostringstream out, err;
  std::string missing = dir.Path("absent.yml");
  CHECK(RunValidate(missing, false, out, err) == kExitOk);
  Result<Setup> defaults = LoadSetup(missing, false);
  REQUIRE(defaults);
  std::string want = "rules/default.yml (no " + missing + "): OK, " +
                     std::to_string(defaults.value().config.rules.rules.size()) + " rules, " +
                     std::to_string(defaults.value().config.rules.escalations.size()) +
                     " escalations\n";
  CHECK(out.str() == want);
  CHECK(err.str().empty());

  std::string good = dir.Write("good.yml", "version: 1\nescalation:\n  - name: extra\n    when:\n"
                                           "      min_rate_per_hour: 99\n    raise: 1\n");
  out.str("");
  CHECK(RunValidate(good, true, out, err) == kExitOk);
  CHECK(out.str().rfind(good + ": OK, ", 0) == 0);
  CHECK(out.str().find(std::to_string(defaults.value().config.rules.escalations.size() + 1) +
                       " escalations") != std::string::npos);

  out.str("");
  std::string broken = dir.Write("broken.yml", "version: 1\nsource:\n  min_severity: LOUD\n");
  CHECK(RunValidate(broken, true, out, err) == kExitUsage);
  CHECK(out.str().empty());
  CHECK(err.str().find("broken.yml") != std::string::npos);

  std::ostringstream err2;
  CHECK(RunValidate(dir.Path("gone.yml"), true, out, err2) == kExitUsage);
  CHECK(err2.str().find("gone.yml") != std::string::npos);
}

}  // namespace
}  // namespace triage
