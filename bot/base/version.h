// The program's name and version, for --version and the User-Agent.
#ifndef TRIAGE_BOT_BASE_VERSION_H_
#define TRIAGE_BOT_BASE_VERSION_H_

namespace triage {

constexpr const char* kProgramName = "gcp-log-gardener";
constexpr const char* kVersion = "0.1.0";

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_VERSION_H_
