#include "rules/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <utility>

#include "rules/yaml_reader.h"

namespace triage {
namespace {

using yaml_reader::Keys;
using yaml_reader::Quote;
using yaml_reader::Reader;

const Keys kMatchKeys{"severity_at_least", "severity", "message", "template", "logger", "module",
                      "function", "service", "exception", "http_status", "http_method",
                      "min_count", "max_count", "min_rate_per_hour", "max_rate_per_hour", "known"};

// "404", 404, "5xx", or a list of those.
void ReadStatuses(Reader& r, const YAML::Node& n, const std::string& what,
                  std::vector<std::pair<int, int>>* out) {
  std::vector<YAML::Node> items;
  if (n.IsSequence()) {
    for (const auto& item : n) items.push_back(item);
  } else {
    items.push_back(n);
  }
  for (const YAML::Node& item : items) {
    std::string s = item.IsScalar() ? item.Scalar() : "";
    if (s.size() == 3 && s[0] >= '1' && s[0] <= '5' && (s.substr(1) == "xx" || s.substr(1) == "XX")) {
      int base = (s[0] - '0') * 100;
      out->emplace_back(base, base + 99);
      continue;
    }
    bool digits = s.size() == 3 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
                    return std::isdigit(c) != 0;
                  });
    int code = digits ? std::stoi(s) : 0;
    if (code >= 100 && code <= 599) {
      out->emplace_back(code, code);
    } else {
      r.Fail(item, what + ": expected a status from 100 to 599 or a class 1xx to 5xx, got " +
                       (item.IsScalar() ? Quote(s) : "no status"));
    }
  }
}

void ReadMatch(Reader& r, const YAML::Node& n, const std::string& context, Match* m) {
  r.ForEachKey(n, context, kMatchKeys, [&](const std::string& key, const YAML::Node& v) {
    std::string what = context + " " + key;
    if (key == "severity_at_least") m->severity_at_least = r.Sev(v, what);
    if (key == "severity") m->severity = r.Sev(v, what);
    if (key == "message") m->message = r.Regex(v, what);
    if (key == "template") m->template_text = r.Regex(v, what);
    if (key == "logger" || key == "module") m->module = r.Regex(v, what);
    if (key == "function") m->function = r.Regex(v, what);
    if (key == "service") m->service = r.Regex(v, what);
    if (key == "exception") m->exception = r.Regex(v, what);
    if (key == "http_status") ReadStatuses(r, v, what, &m->http_status);
    if (key == "http_method") {
      for (std::string method : r.Strings(v, what).value_or(std::vector<std::string>{})) {
        for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        m->http_method.push_back(method);
      }
    }
    if (key == "min_count") m->min_count = r.Integer(v, what, 0, INT64_MAX);
    if (key == "max_count") m->max_count = r.Integer(v, what, 0, INT64_MAX);
    if (key == "min_rate_per_hour") m->min_rate_per_hour = r.Number(v, what, 0, 1e12);
    if (key == "max_rate_per_hour") m->max_rate_per_hour = r.Number(v, what, 0, 1e12);
    if (key == "known") m->known = r.Bool(v, what);
  });
}

std::string RuleName(Reader& r, const YAML::Node& item, const std::string& kind, size_t index,
                     std::set<std::string>* names) {
  std::string fallback = kind + " " + std::to_string(index + 1);
  if (!item.IsMap() || !item["name"]) {
    r.Fail(item, fallback + ": expected a mapping with a 'name'");
    return fallback;
  }
  auto name = r.String(item["name"], fallback + " name");
  if (!name) return fallback;
  if (name->empty()) {
    r.Fail(item["name"], fallback + " name: expected a text that is not empty");
    return fallback;
  }
  if (!names->insert(*name).second) r.Fail(item["name"], kind + " name " + Quote(*name) + " is used twice");
  return *name;
}

// Reads a list of named items (rules, escalations): every item a mapping
// with a unique name, its other keys passed to `read`.
template <typename T, typename ReadKey>
std::vector<T> ReadNamedList(Reader& r, const YAML::Node& n, const std::string& list_key,
                             const std::string& kind, const Keys& keys, ReadKey read) {
  std::vector<T> out;
  if (!n.IsSequence()) {
    if (!n.IsNull()) r.Fail(n, list_key + ": expected a list of " + kind + "s");
    return out;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < n.size(); ++i) {
    const YAML::Node item = n[i];
    T t;
    t.name = RuleName(r, item, kind, i, &names);
    if (!item.IsMap()) continue;
    std::string ctx = kind + " '" + t.name + "'";
    r.ForEachKey(item, ctx, keys, [&](const std::string& key, const YAML::Node& v) {
      if (key == "when") ReadMatch(r, v, ctx + " when", &t.when);
      if (key != "name" && key != "when") read(ctx, key, v, &t);
    });
    out.push_back(std::move(t));
  }
  return out;
}

const Keys kRuleKeys{"name", "when", "category", "priority", "title", "fingerprint",
                     "labels", "ignore", "escalate", "continue"};

void ReadRuleKey(Reader& r, const std::string& ctx, const std::string& key, const YAML::Node& v,
                 Rule* rule) {
  std::string what = ctx + " " + key;
  RuleEffects& e = rule->set;
  if (key == "category") e.category = r.Label(v, what);
  if (key == "priority") e.priority = r.Priority(v, what);
  if (key == "title") {
    e.title = r.String(v, what);
    if (e.title && (e.title->size() > 200 || e.title->find('\n') != std::string::npos)) {
      r.Fail(v, what + ": expected one line of at most 200 characters");
    }
  }
  if (key == "fingerprint") e.fingerprint = r.String(v, what);
  if (key == "labels") {
    const YAML::Node list = v;
    if (!list.IsSequence()) r.Fail(v, what + ": expected a list of labels");
    for (size_t k = 0; list.IsSequence() && k < list.size(); ++k) {
      if (auto label = r.Label(list[k], what)) e.labels.push_back(*label);
    }
  }
  if (key == "ignore") e.ignore = r.Bool(v, what);
  if (key == "escalate") e.escalate = r.Bool(v, what);
  if (key == "continue") rule->continue_matching = r.Bool(v, what).value_or(false);
}

std::vector<Rule> ReadRules(Reader& r, const YAML::Node& n) {
  return ReadNamedList<Rule>(r, n, "rules", "rule", kRuleKeys,
                             [&](const std::string& ctx, const std::string& key,
                                 const YAML::Node& v, Rule* rule) { ReadRuleKey(r, ctx, key, v, rule); });
}

std::vector<Escalation> ReadEscalations(Reader& r, const YAML::Node& n) {
  return ReadNamedList<Escalation>(
      r, n, "escalation", "escalation", {"name", "when", "raise"},
      [&](const std::string& ctx, const std::string&, const YAML::Node& v, Escalation* e) {
        e->raise = static_cast<int>(r.Integer(v, ctx + " raise", 0, 6).value_or(1));
      });
}

void ReadDefaults(Reader& r, const YAML::Node& n, TriageDefaults* d) {
  r.ForEachKey(n, "defaults", {"priority", "category", "critical_p0_rate_per_hour"},
               [&](const std::string& key, const YAML::Node& v) {
    if (key == "priority") {
      r.ForEachKey(v, "defaults priority", {"critical", "error", "warning", "other"},
                   [&](const std::string& k, const YAML::Node& p) {
        int* slot = k == "critical" ? &d->critical_priority
                    : k == "error"  ? &d->error_priority
                    : k == "warning" ? &d->warning_priority : &d->other_priority;
        *slot = r.Priority(p, "defaults priority " + k).value_or(*slot);
      });
    }
    if (key == "category") {
      r.ForEachKey(v, "defaults category", {"error", "other"}, [&](const std::string& k, const YAML::Node& c) {
        std::string* slot = k == "error" ? &d->error_category : &d->other_category;
        *slot = r.Label(c, "defaults category " + k).value_or(*slot);
      });
    }
    if (key == "critical_p0_rate_per_hour") {
      d->critical_p0_rate_per_hour = r.Number(v, "defaults " + key, 0, 1e12).value_or(10);
    }
  });
}

}  // namespace

// "my-project", "example.com:my-project": letters, digits, hyphens.
bool IsProjectId(const std::string& id) {
  size_t colon = id.rfind(':');
  std::string name = colon == std::string::npos ? id : id.substr(colon + 1);
  if (name.size() < 4 || name.size() > 30 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  // A domain (letters, digits, '-', '.') only before the ':'.
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool domain = colon != std::string::npos && i < colon;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || (domain && c == '.'))) {
      if (i != colon) return false;
    }
  }
  return name.back() != '-';
}

bool IsLinkedDatasetName(const std::string& name) {
  size_t dot = name.rfind('.');
  if (dot == std::string::npos || !IsProjectId(name.substr(0, dot))) return false;
  std::string dataset = name.substr(dot + 1);
  if (dataset.empty() || dataset.size() > 1024) return false;
  for (char c : dataset) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

namespace {

void ReadSource(Reader& r, const YAML::Node& n, SourceConfig* s) {
  const Keys keys{"project", "projects", "services", "resource_type", "min_severity", "window",
                  "overlap", "max_lookback", "filter", "endpoint", "max_entries", "kind",
                  "dataset", "billing_project", "location", "max_bytes_billed", "max_groups"};
  r.ForEachKey(n, "source", keys, [&](const std::string& key, const YAML::Node& v) {
    std::string what = "source " + key;
    if (key == "project") s->project = r.String(v, what).value_or("");
    if (key == "projects") s->projects = r.Strings(v, what).value_or(s->projects);
    if (key == "services") s->services = r.Strings(v, what).value_or(s->services);
    if (key == "resource_type") s->resource_type = r.String(v, what).value_or(s->resource_type);
    if (key == "min_severity") s->min_severity = r.Sev(v, what).value_or(s->min_severity);
    if (key == "window") s->window_us = r.Duration(v, what).value_or(s->window_us);
    if (key == "overlap") s->overlap_us = r.Duration(v, what).value_or(s->overlap_us);
    if (key == "max_lookback") s->max_lookback_us = r.Duration(v, what).value_or(s->max_lookback_us);
    if (key == "filter") s->filter = r.String(v, what).value_or("");
    if (key == "endpoint") s->endpoint = r.String(v, what).value_or("");
    if (key == "max_entries") s->max_entries = r.Integer(v, what, 1, 100000000).value_or(s->max_entries);
    if (key == "kind") {
      s->kind = r.String(v, what).value_or(s->kind);
      if (s->kind != "entries_list" && s->kind != "log_analytics") {
        r.Fail(v, what + ": expected entries_list or log_analytics, got " + Quote(s->kind));
      }
    }
    if (key == "dataset") {
      s->dataset = r.String(v, what).value_or("");
      if (!IsLinkedDatasetName(s->dataset)) {
        r.Fail(v, what + ": expected the linked dataset as PROJECT.DATASET (the BigQuery name, "
                         "not PROJECT.LOCATION.BUCKET), got " + Quote(s->dataset));
      }
    }
    if (key == "billing_project") {
      s->billing_project = r.String(v, what).value_or("");
      if (!IsProjectId(s->billing_project)) r.Fail(v, what + ": not a project id: " + Quote(s->billing_project));
    }
    if (key == "location") s->location = r.String(v, what).value_or("");
    if (key == "max_bytes_billed") {
      s->max_bytes_billed = r.Integer(v, what, 1, INT64_MAX).value_or(s->max_bytes_billed);
    }
    if (key == "max_groups") s->max_groups = r.Integer(v, what, 1, 10000000).value_or(s->max_groups);
  });
  if (s->kind == "log_analytics" && s->dataset.empty()) {
    r.Fail(n, "source: kind log_analytics needs source.dataset (PROJECT.DATASET of the linked dataset)");
  }
  if (s->kind == "log_analytics" && !s->filter.empty()) {
    r.Fail(n, "source: filter is Logging query language, which a Log Analytics query cannot apply; remove it");
  }
}

void ReadGitHub(Reader& r, const YAML::Node& n, GitHubConfig* g) {
  const Keys keys{"repository", "bot_label", "bot_login", "labels", "file_at_or_above", "reopen_window",
                  "quiet_period", "max_writes", "dashboard", "dashboard_title"};
  r.ForEachKey(n, "github", keys, [&](const std::string& key, const YAML::Node& v) {
    std::string what = "github " + key;
    if (key == "repository") {
      auto repo = r.String(v, what);
      size_t slash = repo ? repo->find('/') : std::string::npos;
      if (repo && (slash == 0 || slash == std::string::npos || slash + 1 == repo->size() ||
                   repo->find('/', slash + 1) != std::string::npos ||
                   repo->find_first_of(" \t?#%") != std::string::npos)) {
        r.Fail(v, what + ": expected owner/name, got " + Quote(*repo));
      } else if (repo) {
        g->repository = *repo;
      }
    }
    if (key == "bot_label") g->bot_label = r.Label(v, what).value_or(g->bot_label);
    if (key == "bot_login") g->bot_login = r.String(v, what).value_or(g->bot_login);
    if (key == "labels") {
      g->labels.clear();
      if (v.IsSequence()) {
        for (const auto& item : v) {
          if (auto label = r.Label(item, what)) g->labels.push_back(*label);
        }
      } else if (v.IsScalar()) {
        if (auto label = r.Label(v, what)) g->labels.push_back(*label);
      } else {
        r.Fail(v, what + ": expected a label or a list of labels");
      }
    }
    if (key == "file_at_or_above") g->file_at_or_above = r.Priority(v, what).value_or(g->file_at_or_above);
    if (key == "reopen_window") g->reopen_window_us = r.Duration(v, what).value_or(g->reopen_window_us);
    if (key == "quiet_period") g->quiet_period_us = r.Duration(v, what).value_or(g->quiet_period_us);
    if (key == "max_writes") g->max_writes = static_cast<int>(r.Integer(v, what, 0, 100000).value_or(g->max_writes));
    if (key == "dashboard") g->dashboard = r.Bool(v, what).value_or(g->dashboard);
    if (key == "dashboard_title") {
      auto title = r.String(v, what);
      if (title && (title->empty() || title->size() > 200 || title->find('|') != std::string::npos)) {
        r.Fail(v, what + ": expected 1 to 200 characters without '|', got " + Quote(*title));
      } else if (title) {
        g->dashboard_title = *title;
      }
    }
  });
}

// Puts `over` before `base`, dropping from `base` the names `over` has.
template <typename T>
std::vector<T> Overlay(std::vector<T> over, const std::vector<T>& base) {
  std::set<std::string> names;
  for (const T& t : over) names.insert(t.name);
  for (const T& t : base) {
    if (!names.count(t.name)) over.push_back(t);
  }
  return over;
}

void ReadDocument(Reader& r, const YAML::Node& root, Config* config) {
  const Keys keys{"version", "source", "github", "redaction", "templates", "defaults", "escalation",
                  "rules"};
  r.ForEachKey(root, "the configuration", keys, [&](const std::string& key, const YAML::Node& v) {
    if (key == "version" && !(v.IsScalar() && v.Scalar() == "1")) {
      r.Fail(v, "version: expected 1, got " + (v.IsScalar() ? Quote(v.Scalar()) : "no number"));
    }
    if (key == "source") ReadSource(r, v, &config->source);
    if (key == "github") ReadGitHub(r, v, &config->github);
    if (key == "defaults") ReadDefaults(r, v, &config->rules.defaults);
    if (key == "redaction") {
      r.ForEachKey(v, "redaction", {"emails"}, [&](const std::string& k, const YAML::Node& b) {
        config->redaction.emails = r.Bool(b, "redaction " + k).value_or(config->redaction.emails);
      });
    }
    if (key == "templates") {
      r.ForEachKey(v, "templates", {"issue_body", "comment", "worklog"},
                   [&](const std::string& k, const YAML::Node& path) {
        if (auto p = r.String(path, "templates " + k)) config->templates[k] = *p;
      });
    }
    if (key == "escalation") {
      config->rules.escalations = Overlay(ReadEscalations(r, v), config->rules.escalations);
    }
    if (key == "rules") config->rules.rules = Overlay(ReadRules(r, v), config->rules.rules);
  });
}

void ReadText(const ConfigText& text, Config* config, std::vector<std::string>* errors) {
  Reader reader(text.source_name, errors);
  reader.Read(text.text, [&](const YAML::Node& root) { ReadDocument(reader, root, config); });
}

}  // namespace

std::string LabelProblem(const std::string& label) {
  if (label.empty()) return "it is empty";
  size_t chars = 0;
  for (unsigned char c : label) chars += (c & 0xC0) != 0x80;
  if (chars > 50) return "it is longer than 50 characters";
  if (label.find(',') != std::string::npos) return "it holds a comma";
  if (label.find('|') != std::string::npos) return "it holds '|', the title's separator";
  for (unsigned char c : label) {
    if (c < 0x20 || c == 0x7f) return "it holds a control character";
  }
  if (label.front() == ' ' || label.back() == ' ') return "it starts or ends with a space";
  return "";
}

Result<Config> LoadConfig(const ConfigText& defaults, const std::optional<ConfigText>& user) {
  Config config;
  std::vector<std::string> errors;
  ReadText(defaults, &config, &errors);
  if (user) ReadText(*user, &config, &errors);
  if (errors.empty()) return config;
  return Error{ErrorKind::kConfig, yaml_reader::JoinErrors(errors)};
}

std::optional<int> ParsePriority(const std::string& text) {
  std::string t = text;
  if (!t.empty() && (t[0] == 'P' || t[0] == 'p')) t = t.substr(1);
  if (t.size() != 1 || t[0] < '0' || t[0] > '6') return std::nullopt;
  return t[0] - '0';
}

}  // namespace triage
