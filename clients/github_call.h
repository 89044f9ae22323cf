// One GitHub request as GitHubClient's machinery (github_call.cc) sends
// it: what to send, how it is paced and counted, how a possibly stored
// create is read back. Internal to clients/: the endpoints in
// github_client.cc build Calls, Send and GetPages carry them out.
#ifndef TRIAGE_CLIENTS_GITHUB_CALL_H_
#define TRIAGE_CLIENTS_GITHUB_CALL_H_

#include <functional>
#include <string>
#include <utility>

#include "bot/base/result.h"
#include "clients/github_client.h"

namespace triage {

// How a request is paced and counted: reads are not paced; searches are
// spaced from searches, writes from writes, and creates (which notify
// people) from creates as well.
enum class PaceKind { kRead, kSearch, kWrite, kCreate };

inline bool IsWrite(PaceKind pace) { return pace == PaceKind::kWrite || pace == PaceKind::kCreate; }

struct GitHubClient::Call {
  Call(std::string method_in, std::string url_in, std::string body_in = "",
       PaceKind pace_in = PaceKind::kRead)
      : method(std::move(method_in)),
        url(std::move(url_in)),
        body(std::move(body_in)),
        pace(pace_in) {}

  std::string method;
  std::string url;   // absolute
  std::string body;  // JSON, or "" for none
  PaceKind pace;
  // A status returned as an answer rather than an error (CreateLabel's 422).
  int also_answer = 0;
  // For a create: true when it was found stored (then it is not resent).
  std::function<Result<bool>()> verify;
};

}  // namespace triage

#endif  // TRIAGE_CLIENTS_GITHUB_CALL_H_
