// The runner's side channels: workflow commands fenced off from log text,
// escaped as the Actions toolkit does, and the $GITHUB_OUTPUT file.
#include "bot/actions/actions_output.h"

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>

#include "tests/support/cli_support.h"

namespace triage {
namespace {

using testing::ReadFile;
using testing::TempDir;

bool IsHex32(const std::string& s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_CASE("actions output: escaping of command data and properties, as the toolkit's") {
  struct Row {
    const char* text;
    const char* data;
    const char* property;
  };
  const Row rows[] = {
      {"plain", "plain", "plain"},
      {"", "", ""},
      {"%", "%25", "%25"},
      {"%0A", "%250A", "%250A"},  // an escape in the text stays text
      {"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
      {"k:v,w", "k:v,w", "k%3Av%2Cw"},
      {"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
  };
  for (const Row& row : rows) {
    INFO("row.text: " << std::string(row.text));
    CHECK(EscapeCommandData(row.text) == row.data);
    CHECK(EscapeCommandProperty(row.text) == row.property);
  }
}

TEST_CASE("actions output: a mask or annotation cannot end the stop, nor start a command") {
  std::ostringstream out;
  {
    WorkflowCommands commands(out, true, "t0k");
    CHECK(commands.enabled());
    // A secret and a message with line breaks stay on their command's line.
    commands.Mask("line1\n::t0k::\nline2");
    commands.Annotate("error", "title: with, specials\r", "50%\n::add-mask::x");
    commands.Mask("");  // nothing to mask: nothing written
  }
  CHECK(out.str() ==
        "::stop-commands::t0k\n"
        "::t0k::\n::add-mask::line1%0A::t0k::%0Aline2\n::stop-commands::t0k\n"
        "::t0k::\n::error title=title%3A with%2C specials%0D::50%25%0A::add-mask::x\n"
        "::stop-commands::t0k\n"
        "::t0k::\n");
}

TEST_CASE("actions output: the stop token is 32 hex digits of the system's random source") {
  const std::string token = RandomToken();
  CHECK(IsHex32(token));
  std::ostringstream out;
  { WorkflowCommands commands(out, true); }
  const std::string text = out.str();
  const std::string stop = "::stop-commands::";
  REQUIRE(text.rfind(stop, 0) == 0);
  const std::string used = text.substr(stop.size(), 32);
  CHECK(IsHex32(used));
  CHECK(text == stop + used + "\n::" + used + "::\n");
}

TEST_CASE("actions output: step outputs are appended, one line or a fenced block each") {
  TempDir dir;
  const std::string path = dir.Write("github_output", "earlier=1\n");
  REQUIRE(WriteStepOutputs(path, {{"issues", "3"}, {"summary", "two\nlines"}, {"empty", ""}}));
  const std::string text = ReadFile(path);
  // In the map's order: empty, issues, summary.
  const std::string head = "earlier=1\nempty=\nissues=3\nsummary<<EOF_";
  REQUIRE(text.rfind(head, 0) == 0);
  const std::string delimiter = "EOF_" + text.substr(head.size(), 32);
  CHECK(IsHex32(delimiter.substr(4)));
  CHECK(text == head.substr(0, head.size() - 4) + delimiter + "\ntwo\nlines\n" + delimiter + "\n");

  // A lone CR also gets the fenced form; the next write appends again.
  REQUIRE(WriteStepOutputs(path, {{"cr", "a\rb"}}));
  const std::string more = ReadFile(path).substr(text.size());
  CHECK(more.rfind("cr<<EOF_", 0) == 0);
  CHECK(more.find("\na\rb\nEOF_") != std::string::npos);
}

TEST_CASE("actions output: a step outputs file that cannot be written is an error") {
  TempDir dir;
  const std::string path = dir.Path("no/such/dir/output");
  Result<Ok> written = WriteStepOutputs(path, {{"issues", "3"}});
  REQUIRE_FALSE(written);
  CHECK(written.error().kind == ErrorKind::kInput);
  CHECK(written.error().message == path + ": cannot write the step outputs");
}

}  // namespace
}  // namespace triage
