// `tusk accounts`: what Tusk remembers about sellers and accounts (docs/accounts.md), for
// operators — show one entity, list a page of them, lift a label after an appeal, forget an
// entity after a deletion request. Every change appends an audit line.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "accounts/open_state.h"
#include "base/utc_time.h"
#include "cli/commands.h"

namespace tusk::cli {
namespace {

struct AccountsArgs {
  std::string state, space, entity, id, label, format = "table", after, op, audit, note;
  std::size_t limit = 100;
};

// Ids are the records' bytes as given; a JSON line must stay valid UTF-8 whatever they hold.
std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json state_json(const EntityKey& k, const EntityState& s) {
  nlohmann::json counters = nlohmann::json::array(), distinct = nlohmann::json::array(),
                 labels = nlohmann::json::array();
  for (const auto& b : s.buckets) {
    counters.push_back({{"counter", b.counter}, {"start", b.start}, {"count", b.count}});
  }
  for (const auto& v : s.seen) {
    distinct.push_back({{"counter", v.counter}, {"value", v.value}, {"last", v.last}});
  }
  for (const auto& l : s.labels) {
    labels.push_back({{"name", l.name},
                      {"until", l.until},
                      {"until_utc", base::utc_seconds(l.until)},
                      {"reason", l.reason}});
  }
  return {{"space", k.space},     {"entity", k.entity},   {"id", k.id},
          {"counters", counters}, {"distinct", distinct}, {"labels", labels}};
}

void print_table(const EntityKey& k, const EntityState& s) {
  fmt::print("{} {} (pack {})\n", k.entity, k.id, k.space);
  if (!s.labels.empty()) fmt::print("labels:\n");
  for (const auto& l : s.labels) {
    fmt::print("  {:<20} until {}  {}\n", l.name, base::utc_seconds(l.until), l.reason);
  }
  if (!s.buckets.empty()) fmt::print("counters (bucket start, events):\n");
  for (const auto& b : s.buckets) {
    fmt::print("  {:<20} {}  {}\n", b.counter, base::utc_seconds(b.start), b.count);
  }
  if (!s.seen.empty()) fmt::print("distinct values (value, last seen):\n");
  for (const auto& v : s.seen) fmt::print("  {:<20} {}  {}\n", v.counter, v.value, base::utc_seconds(v.last));
}

// Where the audit lines go: --audit, else audit.jsonl in the state directory; a shared (Redis)
// or throwaway (memory) store has no directory of its own, so --audit is required there.
std::string audit_path(const AccountsArgs& args, const StateStore& store) {
  if (!args.audit.empty()) return args.audit;
  const auto d = store.describe();
  if (d.rfind("dir:", 0) == 0) return (std::filesystem::path(d.substr(4)) / "audit.jsonl").string();
  return "";
}

std::string operator_name(const AccountsArgs& args) {
  if (!args.op.empty()) return args.op;
  const char* user = std::getenv("USER");
  return user ? user : "";
}

// Opens the audit file for appending before the change, so that a change is never made that
// cannot be audited; the line is written (one write, then fsync) once the change is done.
class AuditLog {
 public:
  explicit AuditLog(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  }
  ~AuditLog() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  bool write(const nlohmann::json& line) {
    const auto text = dump(line) + "\n";
    return ::write(fd_, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd_) == 0;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

int run_accounts(const std::string& action, const AccountsArgs& args) {
  if (args.format != "table" && args.format != "json") {
    fmt::print(stderr, "error: --format {}: expected table or json\n", args.format);
    return kExitUsage;
  }
  const bool changes = action == "unlabel" || action == "forget";
  const auto op = operator_name(args);
  if (changes && op.empty()) {
    fmt::print(stderr, "error: who is making this change? Give --operator NAME (or set $USER)\n");
    return kExitUsage;
  }
  try {
    auto store = accounts::open_state(args.state);
    if (action == "list") {
      const auto keys = store->list(args.space, args.entity, args.after, args.limit);
      for (const auto& k : keys) {
        if (args.format == "json") {
          fmt::print("{}\n", dump({{"space", k.space}, {"entity", k.entity}, {"id", k.id}}));
        } else {
          fmt::print("{} {}\n", k.entity, k.id);
        }
      }
      if (keys.size() == args.limit && !keys.empty()) {
        const auto& last = keys.back();
        fmt::print(stderr, "more: --after {}\n", args.entity.empty() ? last.entity + ":" + last.id : last.id);
      }
      return kExitOk;
    }
    const EntityKey key{args.space, args.entity, args.id};
    const auto state = store->read({key}).at(0);
    if (action == "show") {
      if (state.empty()) {
        fmt::print(stderr, "nothing stored for {} {} in pack {}\n", key.entity, key.id, key.space);
        return kExitFindings;
      }
      if (args.format == "json") {
        fmt::print("{}\n", dump(state_json(key, state)));
      } else {
        print_table(key, state);
      }
      return kExitOk;
    }

    const auto path = audit_path(args, *store);
    if (path.empty()) {
      fmt::print(stderr, "error: --audit FILE is required with {} (it has no directory for audit.jsonl)\n",
                 store->describe());
      return kExitUsage;
    }
    AuditLog audit(path);
    if (!audit.ok()) {
      fmt::print(stderr, "error: cannot append to the audit file {}: {}\n", path, std::strerror(errno));
      return kExitUsage;
    }
    nlohmann::json line = {{"time", base::utc_seconds(accounts::system_now())},
                           {"operator", op},
                           {"action", action},
                           {"state", store->describe()},
                           {"space", key.space},
                           {"entity", key.entity},
                           {"id", key.id}};
    if (!args.note.empty()) line["note"] = args.note;

    if (action == "unlabel") {
      const auto it = std::find_if(state.labels.begin(), state.labels.end(),
                                   [&](const EntityState::Label& l) { return l.name == args.label; });
      if (it == state.labels.end()) {
        fmt::print(stderr, "{} {} has no label {} in pack {}\n", key.entity, key.id, args.label, key.space);
        return kExitFindings;
      }
      StateUpdate u;
      u.key = key;
      u.kind = StateUpdate::Kind::kUnlabel;
      u.name = args.label;
      store->apply({u});
      store->flush();
      line["removed"] = {
          {"label", it->name}, {"until", base::utc_seconds(it->until)}, {"reason", it->reason}};
    } else {
      if (!store->forget(key)) {
        fmt::print(stderr, "nothing stored for {} {} in pack {}\n", key.entity, key.id, key.space);
        return kExitFindings;
      }
      // What was removed, counted: the deleted values themselves do not go into the audit file.
      nlohmann::json labels = nlohmann::json::array();
      for (const auto& l : state.labels) labels.push_back(l.name);
      line["removed"] = {{"counter_buckets", state.buckets.size()},
                         {"distinct_values", state.seen.size()},
                         {"labels", labels}};
    }
    if (!audit.write(line)) {
      fmt::print(stderr, "error: the change was made but its audit line could not be written to {}: {}\n",
                 path, std::strerror(errno));
      return kExitUsage;
    }
    fmt::print("{} {} {} in pack {} (audit: {})\n",
               action == "unlabel" ? "lifted " + args.label + " from" : "forgot", key.entity, key.id,
               key.space, path);
    return kExitOk;
  } catch (const StateError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
}

}  // namespace

Action add_accounts_command(CLI::App& app) {
  auto args = std::make_shared<AccountsArgs>();
  auto* cmd =
      app.add_subcommand("accounts", "Show, list, unlabel and forget what Tusk remembers about accounts.");
  cmd->require_subcommand(1);
  auto common = [&](CLI::App* sub) {
    sub->add_option("--state", args->state,
                    "The account state: a directory, redis://HOST[:PORT][/DB] or memory")
        ->required();
    sub->add_option("--space", args->space, "The pack whose state it is (its name in pack.yaml)")->required();
  };
  auto* show = cmd->add_subcommand("show", "One entity's counters, distinct values and labels.");
  common(show);
  show->add_option("entity", args->entity, "The entity as the pack declares it (seller)")->required();
  show->add_option("id", args->id, "The entity's id as the records give it")->required();
  show->add_option("--format", args->format, "table (default) or json");
  show->footer("Exit status: 0 shown; 1 nothing is stored for it; 2 usage or store errors.");

  auto* list = cmd->add_subcommand("list", "A page of the entities a pack remembers, in key order.");
  common(list);
  list->add_option("--entity", args->entity, "Only this entity (seller)");
  list->add_option("--after", args->after, "Start after this id (with --entity) or ENTITY:ID (without)");
  list->add_option("--limit", args->limit, "At most this many (default 100)")->check(CLI::Range(1, 100000));
  list->add_option("--format", args->format, "table (default) or json");
  list->footer(
      "A full page prints the --after of the next on stderr. Exit status: 0 listed; 2 usage or store "
      "errors.");

  auto* unlabel = cmd->add_subcommand("unlabel", "Lift a label from an entity (an appeal upheld).");
  common(unlabel);
  unlabel->add_option("entity", args->entity, "The entity (seller)")->required();
  unlabel->add_option("id", args->id, "The entity's id")->required();
  unlabel->add_option("label", args->label, "The label to lift")->required();

  auto* forget = cmd->add_subcommand("forget", "Remove everything about an entity (a deletion request).");
  common(forget);
  forget->add_option("entity", args->entity, "The entity (seller)")->required();
  forget->add_option("id", args->id, "The entity's id")->required();

  for (auto* sub : {unlabel, forget}) {
    sub->add_option("--operator", args->op, "Who makes the change (default: $USER), for the audit line");
    sub->add_option(
        "--audit", args->audit,
        "Append the audit line here (default: audit.jsonl in the state directory; required for redis://)");
    sub->add_option("--note", args->note, "Why (an appeal or request number), for the audit line");
    sub->footer("Exit status: 0 done and audited; 1 nothing to remove; 2 usage, store or audit-file errors.");
  }
  return [args, show, list, unlabel] {
    const std::string action = show->parsed()      ? "show"
                               : list->parsed()    ? "list"
                               : unlabel->parsed() ? "unlabel"
                                                   : "forget";
    return run_accounts(action, *args);
  };
}

}  // namespace tusk::cli
