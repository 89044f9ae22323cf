// Files of the source tree compiled into the binary: rules/default.yml and
// the default templates, so that the bot runs from any directory.
#ifndef TRIAGE_BOT_APP_EMBEDDED_FILES_H_
#define TRIAGE_BOT_APP_EMBEDDED_FILES_H_

#include <string_view>

namespace triage {

// The bytes of `path` ("rules/default.yml"), or an empty view when it was
// not embedded.
std::string_view EmbeddedFile(std::string_view path);

}  // namespace triage

#endif  // TRIAGE_BOT_APP_EMBEDDED_FILES_H_
