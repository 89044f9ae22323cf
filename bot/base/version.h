// The program's name and version, for --version and the User-Agent.
#ifndef TRIAGE_BOT_BASE_VERSION_H_
#define TRIAGE_BOT_BASE_VERSION_H_

namespace triage {

constexpr const char* kProgramName = "gcp-log-gardener";
// Defined in the build's generated/build_info.cc (CMakeLists.txt): the
// project's version, and the commit the binary was built from ("unknown"
// outside a git checkout).
extern const char* const kVersion;
extern const char* const kCommit;

}  // namespace triage

#endif  // TRIAGE_BOT_BASE_VERSION_H_
