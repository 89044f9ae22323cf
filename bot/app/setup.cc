#include "bot/app/setup.h"

#include <filesystem>
#include <map>
#include <optional>

#include "bot/app/embedded_files.h"
#include "bot/app/exit_status.h"
#include "bot/base/text.h"

namespace triage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTemplateNames[] = {"issue_body", "comment", "worklog"};

Result<TemplateSet> LoadTemplates(const Config& config, const std::string& config_path) {
  std::map<std::string, TemplateSource> sources;
  for (const char* name : kTemplateNames) {
    std::string file = std::string("templates/") + name + ".md.mustache";
    sources[name] = TemplateSource{std::string(EmbeddedFile(file)), file};
  }
  fs::path base = fs::path(config_path).parent_path();
  for (const auto& [name, path] : config.templates) {
    fs::path p = fs::path(path).is_absolute() ? fs::path(path) : base / path;
    Result<std::string> text = ReadFile(p.string(), ErrorKind::kConfig);
    if (!text) return Error{ErrorKind::kConfig, config_path + ": templates " + name + ": " + text.error().message};
    sources[name] = TemplateSource{text.value(), p.string()};
  }
  Result<TemplateSet> set = CompileTemplates(sources);
  if (set) set.value().redact_emails = config.redaction.emails;
  return set;
}

}  // namespace

Result<Setup> LoadSetup(const std::string& config_path, bool explicit_path) {
  Setup setup;
  std::optional<ConfigText> user;
  std::error_code ec;
  if (explicit_path || fs::exists(config_path, ec)) {
    Result<std::string> text = ReadFile(config_path, ErrorKind::kConfig);
    if (!text) return text.error();
    user = ConfigText{text.value(), config_path};
    setup.config_source = config_path;
  }
  Result<Config> config = LoadConfig(
      ConfigText{std::string(EmbeddedFile("rules/default.yml")), "rules/default.yml"}, user);
  if (!config) return config.error();
  setup.config = std::move(config.value());
  Result<TemplateSet> templates = LoadTemplates(setup.config, config_path);
  if (!templates) return templates.error();
  setup.templates = templates.value();
  return setup;
}

int RunValidate(const std::string& config_path, bool explicit_path, std::ostream& out,
                std::ostream& err) {
  Result<Setup> setup = LoadSetup(config_path, explicit_path);
  if (!setup) {
    err << setup.error().message << "\n";
    return kExitUsage;
  }
  const Setup& s = setup.value();
  out << (s.config_source.empty() ? "rules/default.yml (no " + config_path + ")" : s.config_source)
      << ": OK, " << s.config.rules.rules.size() << " rules, "
      << s.config.rules.escalations.size() << " escalations\n";
  return kExitOk;
}

}  // namespace triage
