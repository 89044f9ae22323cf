// The bot's configuration: where logs come from, where issues go, and the
// triage rules. Read from YAML (rules/default.yml, then the user's file over
// it) and checked whole before anything runs.
#ifndef TRIAGE_RULES_CONFIG_H_
#define TRIAGE_RULES_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/base/result.h"
#include "bot/base/types.h"
#include "rules/rule_set.h"

namespace triage {

struct SourceConfig {
  std::string project;                     // GCP project id
  std::vector<std::string> projects;       // more projects, read in turn
  std::vector<std::string> services;       // Cloud Run services; empty = all
  std::string resource_type = "cloud_run_revision";
  std::string filter;                      // more of the Logging query language, ANDed
  std::string endpoint;                    // "" = https://logging.googleapis.com
  int64_t max_entries = 200000;            // per run; more is cut and said
  Severity min_severity = Severity::kWarning;
  int64_t window_us = 24 * 3600 * int64_t{1000000};  // the first run's look-back
  // A run starts where the last successful one ended (kept on the
  // dashboard issue), this much earlier, and never further back than
  // max_lookback: scheduled runs are late or dropped.
  int64_t overlap_us = 10 * 60 * int64_t{1000000};
  int64_t max_lookback_us = 72 * 3600 * int64_t{1000000};
  // Where entries come from: "entries_list" (Cloud Logging's API, entry by
  // entry) or "log_analytics" (one GoogleSQL query on a bucket's linked
  // BigQuery dataset, grouped there; README "Log Analytics").
  std::string kind = "entries_list";
  std::string dataset;                     // "PROJECT.DATASET", the view _AllLogs
  std::string billing_project;             // runs the job; "" = the dataset's project
  std::string location;                    // the dataset's location, e.g. "US"
  int64_t max_bytes_billed = int64_t{10} * 1000 * 1000 * 1000;  // per run; dry run first
  int64_t max_groups = 100000;             // rows the query may return
};

struct GitHubConfig {
  std::string repository;                  // "owner/name"; "" = $GITHUB_REPOSITORY
  std::string bot_label = "gcp-log-gardener";  // on every issue the bot files
  // The account the bot writes as: its markers are trusted, nobody else's.
  std::string bot_login = "github-actions[bot]";
  std::vector<std::string> labels;         // also on every issue it files
  int file_at_or_above = 4;                // file issues for P0..this
  int64_t reopen_window_us = 30 * 24 * 3600 * int64_t{1000000};
  int64_t quiet_period_us = 24 * 3600 * int64_t{1000000};
  int max_writes = 100;                    // per run
  // One issue the bot keeps current: every open problem by priority, and
  // where the last successful run's window ended.
  bool dashboard = true;
  std::string dashboard_title = "GCP Log Gardener dashboard";
};

// What is replaced in log text before it leaves the machine, besides the
// secrets that are always replaced.
struct RedactionConfig {
  bool emails = true;
};

struct Config {
  SourceConfig source;
  GitHubConfig github;
  RedactionConfig redaction;
  RuleSet rules;
  // Template overrides by name ("issue_body", "comment", "worklog"): paths,
  // relative ones resolved against the config file's directory.
  std::map<std::string, std::string> templates;
};

// YAML text and the name errors call it by.
struct ConfigText {
  std::string text;
  std::string source_name;
};

// Reads `defaults`, then `user` over it: scalars replace, user rules and
// escalations come before the default ones and replace those of the same
// name. Error (kConfig): every problem found, one per line, each as
// "<source_name>:<line>:<column>: <what was expected>".
Result<Config> LoadConfig(const ConfigText& defaults, const std::optional<ConfigText>& user);

// A GitHub label we can file: 1 to 50 characters, no comma, no '|' (the
// title's separator), no control characters, no space at either end.
// Returns what is wrong, or "" when `label` is fine.
std::string LabelProblem(const std::string& label);

// "P0".."P6" (also "p1", "1") to 0..6.
std::optional<int> ParsePriority(const std::string& text);

// A Google Cloud project id ("my-project", "example.com:my-project") and a
// linked BigQuery dataset as "PROJECT.DATASET" (letters, digits, '_'): the
// only names a Log Analytics query may put in its FROM clause.
bool IsProjectId(const std::string& id);
bool IsLinkedDatasetName(const std::string& name);

}  // namespace triage

#endif  // TRIAGE_RULES_CONFIG_H_
