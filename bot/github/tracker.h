// What the tracker already holds, read from GitHub: the bot's issues with
// the fingerprints and watermarks of its markers. Markers count only in
// text the bot wrote (its login); anyone else's are ignored.
#ifndef TRIAGE_BOT_GITHUB_TRACKER_H_
#define TRIAGE_BOT_GITHUB_TRACKER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/base/result.h"
#include "bot/base/types.h"
#include "clients/github_client.h"

namespace triage {

// One issue of the tracker with what the bot needs to act on it.
struct TrackedIssue {
  GitHubIssue issue;
  KnownIssue known;
  // The bot's evidence comment kept current: from the body's marker (id and
  // time only) or, for adopted issues, from the comments.
  std::optional<GitHubComment> evidence;
  std::vector<EvidenceWindow> folded;     // the windows that comment shows
  int bot_priority = -1;                  // the priority the bot last set
  bool body_is_bots = false;              // the bot wrote the body (and its marker)
  bool adopted_now = false;               // found by this run's search
  bool pinned = false;                    // `/gardener priority`: a person's choice
};

// The bot's dashboard issue: written by `bot_login`, with a dashboard marker.
bool IsDashboard(const GitHubIssue& issue, const std::string& bot_login);

// The KnownIssue of `issue`: fingerprints, watermark and the priority the
// bot set come from the markers of the issue body (when the bot wrote it)
// and of the bot's `comments`. A P label that differs from the priority the
// bot last set was set by a person. Pure.
TrackedIssue ReadTrackedIssue(const GitHubIssue& issue, const std::vector<GitHubComment>& comments,
                              const std::string& bot_login);

// Whose text on the tracker is the bot's: the login of the token (GET
// /user, one request), or `configured` (github.bot_login) for a token that
// cannot say (an App's, as Actions' GITHUB_TOKEN). When `labelled` issues
// with the bot's marker were written by another login (for a token that
// cannot say: another bot; people's issues with a pasted marker do not
// count) the bot would take them for a person's and file them again: a
// kConfig error naming both logins and the setting, before anything is
// written.
Result<std::string> ResolveBotLogin(GitHubClient& client, const std::vector<GitHubIssue>& labelled,
                                    const std::string& configured);

// Every issue with `bot_label`, open or closed, by number (one list call
// per 100 issues; no comments read), read as the bot's login, which
// ResolveBotLogin sets in `bot_login`. Open issues of the bot's that the
// dashboard lists but that lost the label are read one by one and join.
// Dashboard issues are not problems: they go to `dashboards` (oldest
// first) when it is given.
Result<std::map<int, TrackedIssue>> LoadTracker(GitHubClient& client, const std::string& bot_label,
                                                std::string* bot_login,
                                                std::vector<GitHubIssue>* dashboards = nullptr);

// Reads the comments of the tracked issues whose body the bot did not
// write (issues it adopted): their fingerprints, watermark and evidence
// comment are in the bot's comments only. The bot's own issues keep all of
// it in the body's marker, so a run reads no comments for them.
Result<Ok> ReadComments(GitHubClient& client, const std::string& bot_login,
                        std::map<int, TrackedIssue>* tracker);

std::vector<KnownIssue> KnownIssues(const std::map<int, TrackedIssue>& tracker);

// Searches per problem about to be filed, at most, and results read of each.
constexpr size_t kMaxSearchesPerProblem = 3;
constexpr int kSearchResults = 10;

// For each problem that would get a new issue (not ignored, at or above
// `file_at_or_above`, given no issue by AssignIssues), searches the titles
// of open issues without `bot_label` (people's) for its SearchWords, one
// word a search, until one finds an issue people filed whose title is
// alike (TitleSimilarity at least kAdoptThreshold); the most alike is
// adopted: it joins `tracker` holding the problem's OwnFingerprints, with
// the reason in KnownIssue::adoption. At most kMaxSearchesPerProblem
// searches per such problem, a query asked once a run; none in a steady
// state.
Result<Ok> AdoptIssues(GitHubClient& client, const std::vector<Problem>& problems,
                       int file_at_or_above, const std::string& bot_label,
                       const std::string& bot_login, std::map<int, TrackedIssue>* tracker);

}  // namespace triage

#endif  // TRIAGE_BOT_GITHUB_TRACKER_H_
