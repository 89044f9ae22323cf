#include "bot/actions/actions_output.h"

#include <fstream>
#include <random>

namespace triage {

std::string EscapeCommandData(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string EscapeCommandProperty(std::string_view text) {
  std::string out;
  for (char c : EscapeCommandData(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string RandomToken() {
  std::random_device device;  // the system's random source
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (int i = 0; i < 32; ++i) token += kHex[device() % 16];
  return token;
}

WorkflowCommands::WorkflowCommands(std::ostream& out, bool enabled, std::string token)
    : out_(out), enabled_(enabled), token_(std::move(token)) {
  Stop();
}

WorkflowCommands::~WorkflowCommands() { Resume(); }

void WorkflowCommands::Stop() {
  if (enabled_) out_ << "::stop-commands::" << token_ << "\n" << std::flush;
}

void WorkflowCommands::Resume() {
  if (enabled_) out_ << "::" << token_ << "::\n" << std::flush;
}

void WorkflowCommands::Mask(const std::string& secret) {
  if (!enabled_ || secret.empty()) return;
  Resume();
  out_ << "::add-mask::" << EscapeCommandData(secret) << "\n";
  Stop();
}

void WorkflowCommands::Annotate(const std::string& level, const std::string& title,
                                const std::string& message) {
  if (!enabled_) return;
  Resume();
  out_ << "::" << level << " title=" << EscapeCommandProperty(title) << "::"
       << EscapeCommandData(message) << "\n";
  Stop();
}

Result<Ok> WriteStepOutputs(const std::string& path, const std::map<std::string, std::string>& outputs) {
  std::ofstream f(path, std::ios::binary | std::ios::app);
  for (const auto& [name, value] : outputs) {
    if (value.find_first_of("\r\n") == std::string::npos) {
      f << name << "=" << value << "\n";
    } else {
      std::string delimiter = "EOF_" + RandomToken();
      f << name << "<<" << delimiter << "\n" << value << "\n" << delimiter << "\n";
    }
  }
  if (!f.flush()) return Error{ErrorKind::kInput, path + ": cannot write the step outputs"};
  return Ok{};
}

}  // namespace triage
