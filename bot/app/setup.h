// What every command starts from: the config (the built-in defaults with
// the user's file over them) and the compiled templates.
#ifndef TRIAGE_BOT_APP_SETUP_H_
#define TRIAGE_BOT_APP_SETUP_H_

#include <ostream>
#include <string>

#include "bot/base/result.h"
#include "rules/config.h"
#include "templates/render.h"

namespace triage {

// Where the config is looked for when --config is not given.
constexpr const char* kDefaultConfigPath = ".github/gcp-log-gardener.yml";

struct Setup {
  Config config;
  TemplateSet templates;
  std::string config_source;     // the user's file, or "" for defaults only
};

// Reads rules/default.yml (compiled in), then `config_path` over it, and
// compiles the templates. A missing file is an error only when `explicit_path`.
Result<Setup> LoadSetup(const std::string& config_path, bool explicit_path);

// Checks the config and its templates: "<file>: OK ..." and 0, or every
// error and 2.
int RunValidate(const std::string& config_path, bool explicit_path, std::ostream& out,
                std::ostream& err);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_SETUP_H_
