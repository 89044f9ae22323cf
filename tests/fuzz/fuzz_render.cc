// libFuzzer entry point; the target itself is in tests/fuzz/targets.h.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  triage::fuzz::AbortOnProblem(triage::fuzz::FuzzRender(data, size));
  return 0;
}
