// GitHub's wire format as GitHubClient reads and writes it: JSON answers
// turned into our structs, the next page named by a Link header, and the
// origin of a URL. Pure functions over text: nothing is sent.
#ifndef TRIAGE_CLIENTS_GITHUB_WIRE_H_
#define TRIAGE_CLIENTS_GITHUB_WIRE_H_

#include <string>
#include <string_view>
#include <vector>

#include "bot/base/result.h"

namespace triage {

struct GitHubComment;  // clients/github_client.h
struct GitHubIssue;
struct GitHubLabel;
struct GitHubPermission;
struct HttpResponse;   // clients/http.h

namespace github_wire {

// "http://127.0.0.1:8080" of an absolute URL, lower-cased; "" for a
// relative one.
std::string UrlOrigin(std::string_view url);

// The rel="next" URL of the response's `link` headers, verbatim; "" on the
// last page and on a single page, which has no Link at all.
std::string NextLink(const HttpResponse& response);

// Answers to structs. Every error is ErrorKind::kHttp with a message that
// starts with `where` ("GET /repos/o/r/issues/7: ..."): malformed JSON
// names the status and the byte, with http_status set; a missing number,
// id or name, or a time that is not RFC 3339, names the item, with
// http_status 0. Absent or null strings read as "", absent or null times
// and counts as 0.
Result<GitHubIssue> ParseIssue(const std::string& where, const HttpResponse& response);
Result<GitHubComment> ParseComment(const std::string& where, const HttpResponse& response);
// GET .../collaborators/{user}/permission: `permission` (admin, write,
// read, none), `role_name`, and `user.permissions` (push = write or above).
Result<GitHubPermission> ParsePermission(const std::string& where, const HttpResponse& response);

// The items of every page, in order: each page an array, or for search an
// object with `items`. Pull requests (items with `pull_request`) are left
// out. With more than one page an error names it ("<where>: page 2: ...").
// All items or an error, never a part.
Result<std::vector<GitHubIssue>> ParseIssuePages(const std::string& where,
                                                 const std::vector<std::string>& pages,
                                                 bool search);
Result<std::vector<GitHubComment>> ParseCommentPages(const std::string& where,
                                                     const std::vector<std::string>& pages);
Result<std::vector<GitHubLabel>> ParseLabelPages(const std::string& where,
                                                 const std::vector<std::string>& pages);

// Whether a 422 answer's body lists an error with code "already_exists";
// false for any other body, malformed JSON included.
bool SaysAlreadyExists(const std::string& body);

// The string member `key` of a JSON object; "" when `json` is not a JSON
// object or the member is absent, null or not a string.
std::string StringMember(const std::string& json, const char* key);

}  // namespace github_wire
}  // namespace triage

#endif  // TRIAGE_CLIENTS_GITHUB_WIRE_H_
