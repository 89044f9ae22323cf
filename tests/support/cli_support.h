// Test support: run the whole program in-process, and scratch directories.
#ifndef TRIAGE_TESTS_SUPPORT_CLI_SUPPORT_H_
#define TRIAGE_TESTS_SUPPORT_CLI_SUPPORT_H_

#include <doctest/doctest.h>
#include <stdlib.h>  // mkdtemp

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bot/app/cli.h"

namespace triage {
namespace testing {

// A fixed clock, far from the data, so that a test that used it by mistake
// would see every entry outside its window: 2030-01-01T00:00:00Z.
constexpr int64_t kClock = 1893456000LL * 1000000;

struct Run {
  int code;
  std::string out;
  std::string err;
};

// The program as a shell runs it, with the process's environment less any
// GitHub token of the machine's (a dry run with one would read GitHub).
inline Run RunArgs(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"gcp-log-gardener"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  Environment env = RealEnvironment();
  env.getenv = [real = env.getenv](const std::string& name) {
    return name == "GITHUB_TOKEN" || name == "GH_TOKEN" ? std::string() : real(name);
  };
  int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err, kClock, env);
  return {code, out.str(), err.str()};
}

// An Environment for RunCli: `vars` are its variables (the rest unset),
// and its clock is *clock_us, which sleeping advances, calling `on_sleep`
// after (to move a fake server's clock along).
inline Environment FakeEnvironment(std::map<std::string, std::string> vars, int64_t* clock_us,
                                   std::function<void()> on_sleep = nullptr) {
  Environment env;
  env.getenv = [vars = std::move(vars)](const std::string& name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
  env.sleep = [clock_us, on_sleep](int64_t us) {
    *clock_us += us;
    if (on_sleep) on_sleep();
  };
  env.clock = [clock_us] { return *clock_us; };
  return env;
}

// A fresh directory under the system's temporary directory, removed after.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gardener-test-XXXXXX").string();
    REQUIRE(mkdtemp(&pattern[0]) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string Write(const std::string& name, const std::string& data) const {
    std::string p = (path_ / name).string();
    std::ofstream f(p, std::ios::binary);
    f << data;
    REQUIRE(f.flush());
    return p;
  }
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace testing
}  // namespace triage

#endif  // TRIAGE_TESTS_SUPPORT_CLI_SUPPORT_H_
