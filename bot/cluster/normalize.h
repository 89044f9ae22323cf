// Turns a message into its masked token signature: the message split on
// white space, every variable part (numbers, ids, hex, UUIDs, IPs, times,
// emails, URLs, path segments with ids) replaced by <*>. Two messages that
// differ only in such parts get the same signature.
#ifndef TRIAGE_BOT_CLUSTER_NORMALIZE_H_
#define TRIAGE_BOT_CLUSTER_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

namespace triage {

// Longer messages are clustered on their first kMaxTokens tokens.
constexpr size_t kMaxTokens = 48;
// A token longer than this is data (a blob, a list), never a word.
constexpr size_t kMaxTokenBytes = 96;

// Writes the signature into *signature (tokens joined by one space) and
// returns the number of tokens. The first `literal_tokens` tokens are kept
// as they are (a request's method and status). Values that span tokens (a
// quoted text, a list, an HTML or JSON body after the prefix, a quantity
// restated in other units) are one <*> unless `spans` is false, which gives
// the signature as it was before they were; *used_spans says whether one was
// found.
size_t NormalizeMessage(std::string_view message, std::string* signature,
                        size_t literal_tokens = 0, bool* used_spans = nullptr,
                        bool spans = true);

// A URL path with every segment that holds an id replaced by <*>:
// "/v1/carts/3f2a.../items" -> "/v1/carts/<*>/items". API versions stay.
std::string NormalizeRoute(std::string_view path);

// Splits a signature back into its tokens.
std::vector<std::string> SplitSignature(std::string_view signature);

}  // namespace triage

#endif  // TRIAGE_BOT_CLUSTER_NORMALIZE_H_
