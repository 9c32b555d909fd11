// `tusk review`: the review queue of a verdict store from the command line — list open items,
// record decisions, show the audit log, check the hash chain (docs/review.md).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "serve/review_users.h"
#include "store/store.h"

#include <unistd.h>
#include <fstream>
#include <iostream>

namespace tusk::cli {
namespace {

struct ReviewArgs {
  std::string store;
  store::QueueFilter filter;
  std::string action = "review";
  std::string format = "text";
  std::int64_t id = 0;
  std::string decision, reviewer, note, case_id;
  std::string users_file, user_name, password_file;
};

// `review user add|remove`: the reviewer accounts of the console. The password comes from a file
// or from standard input (its first line), never from the command line.
int run_user(const ReviewArgs& args, bool add) {
  try {
    if (!add) {
      if (!serve::remove_user(args.users_file, args.user_name)) {
        fmt::print(stderr, "error: no reviewer {} in {}\n", args.user_name, args.users_file);
        return kExitUsage;
      }
      fmt::print("removed reviewer {} from {}\n", args.user_name, args.users_file);
      return kExitOk;
    }
    std::string password;
    if (!args.password_file.empty()) {
      std::ifstream in(args.password_file);
      if (!in) {
        fmt::print(stderr, "error: cannot read the password file {}\n", args.password_file);
        return kExitUsage;
      }
      std::getline(in, password);
    } else {
      if (isatty(0)) {
        fmt::print(stderr, "password for {} (at least {} characters), then Enter: ", args.user_name,
                   serve::kMinPasswordLength);
      }
      std::getline(std::cin, password);
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    const bool created = serve::add_user(args.users_file, args.user_name, password);
    fmt::print("{} reviewer {} in {}\n", created ? "added" : "changed the password of", args.user_name,
               args.users_file);
    return kExitOk;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

int run_list(const ReviewArgs& args, store::Store& db) {
  store::QueueFilter f = args.filter;
  f.action = args.action == "all" ? "" : args.action;
  const auto items = db.queue(f);
  if (args.format == "json") {
    for (const auto& v : items) {
      nlohmann::json j = {{"id", v.id},
                          {"listing_id", v.listing_id},
                          {"seller_id", v.seller_id},
                          {"lang", v.lang},
                          {"family", v.family},
                          {"tags", v.tags},
                          {"action", v.action},
                          {"score", v.score},
                          {"received_at", v.received_at},
                          {"verdict", nlohmann::json::parse(v.verdict_json, nullptr, false)}};
      fmt::print("{}\n", j.dump());
    }
    return kExitOk;
  }
  if (items.empty()) {
    fmt::print("no open items\n");
    return kExitOk;
  }
  fmt::print("{:>6}  {:>6}  {:<6}  {:<24}  {:<16}  {:<12}  {:<4}  {}\n", "id", "score", "action",
             "received (UTC)", "listing", "seller", "lang", "tags");
  for (const auto& v : items) {
    fmt::print("{:>6}  {:>6}  {:<6}  {:<24}  {:<16}  {:<12}  {:<4}  {}\n", v.id, v.score, v.action,
               v.received_at, v.listing_id, v.seller_id.empty() ? "-" : v.seller_id,
               v.lang.empty() ? "-" : v.lang, join(v.tags, ", "));
    const auto j = nlohmann::json::parse(v.verdict_json, nullptr, false);
    if (j.is_object() && j.contains("fired")) {
      for (const auto& fr : j["fired"]) {
        if (fr.value("score", 0.0) != 0 && !fr.value("reason", "").empty()) {
          fmt::print("{:>8}{}: {}\n", "", fr.value("rule", ""), fr.value("reason", ""));
        }
      }
    }
  }
  if (f.limit && items.size() == f.limit) {
    fmt::print("{} open items (--limit); the next page: --after {}\n", items.size(), items.back().id);
  } else {
    fmt::print("{} open item{}\n", items.size(), items.size() == 1 ? "" : "s");
  }
  return kExitOk;
}

int run_review(const ReviewArgs& args, const std::string& sub) {
  try {
    auto db = store::Store::open(args.store);
    if (sub == "list") return run_list(args, *db);
    if (sub == "decide") {
      const store::Decision d = db->decide(args.id, args.decision, args.reviewer, args.note, args.case_id);
      const auto v = db->verdict(args.id);
      fmt::print("verdict {} (listing {}): {} by {} at {}{}; now {}\n", args.id, v->listing_id, d.decision,
                 d.reviewer, d.decided_at, d.case_id.empty() ? "" : ", case " + d.case_id, v->status);
      return kExitOk;
    }
    if (sub == "audit") {
      for (const auto& a : db->audit()) {
        fmt::print("{}  {}  {}  before {}  after {}\n", a.at, a.who, a.what, a.before, a.after);
      }
      return kExitOk;
    }
    const store::ChainReport r = db->verify_chain();
    for (const auto& p : r.problems) fmt::print("{}\n", p);
    fmt::print("{}: {} verdicts and {} decisions checked\n", r.ok ? "chain intact" : "CHAIN BROKEN",
               r.verdicts, r.decisions);
    return r.ok ? kExitOk : kExitFindings;
  } catch (const store::StoreError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
}

}  // namespace

Action add_review_command(CLI::App& app) {
  auto args = std::make_shared<ReviewArgs>();
  auto* cmd = app.add_subcommand("review", "Work through the review queue of a verdict store.");
  cmd->require_subcommand(1);
  const char* store_help = "Verdict store: sqlite:PATH or postgresql://...";
  auto* list = cmd->add_subcommand("list", "Open review items, highest score first, then oldest first.");
  list->add_option("--store", args->store, store_help)->required();
  list->add_option("--family", args->filter.family,
                   "Only this product family (the verdict's first tag, e.g. ivory)");
  list->add_option("--tag", args->filter.tag, "Only verdicts with this tag");
  list->add_option("--lang", args->filter.lang, "Only records whose `lang` field is this");
  list->add_option("--seller", args->filter.seller, "Only this seller (the record's seller.id)");
  list->add_option("--action", args->action, "review (default), block or all")
      ->check(CLI::IsMember({"review", "block", "all"}));
  list->add_option("--rule", args->filter.rule, "Only verdicts where this rule fired");
  list->add_option("--limit", args->filter.limit, "At most this many items");
  list->add_option("--after", args->filter.after,
                   "The page after this item id (the last id of the previous page)");
  list->add_option("--format", args->format, "text (default) or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}));
  auto* decide = cmd->add_subcommand(
      "decide", "Record a decision on one item: confirm (block), dismiss (allow) or escalate.");
  decide->add_option("--store", args->store, store_help)->required();
  decide->add_option("--id", args->id, "The item's id (first column of `tusk review list`)")->required();
  decide->add_option("--decision", args->decision, "confirm, dismiss or escalate")
      ->required()
      ->check(CLI::IsMember({"confirm", "dismiss", "escalate"}));
  decide->add_option("--reviewer", args->reviewer, "Who decides (kept in the audit log)")->required();
  decide->add_option("--note", args->note, "Why (kept with the decision and in evidence bundles)");
  decide->add_option("--case", args->case_id,
                     "Attach the item to an investigation case (for `tusk evidence export --case`)");
  auto* audit =
      cmd->add_subcommand("audit", "The audit log: who decided what, when, status before and after.");
  audit->add_option("--store", args->store, store_help)->required();
  auto* verify = cmd->add_subcommand(
      "verify", "Check the store's hash chains: exit 1 naming each deleted or edited row.");
  verify->add_option("--store", args->store, store_help)->required();
  auto* user = cmd->add_subcommand(
      "user", "Reviewer accounts of the console of `tusk serve --store` (docs/review.md).");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand(
      "add", "Add a reviewer, or change their password; the password is read from standard input.");
  auto* user_remove = user->add_subcommand("remove", "Remove a reviewer: they can no longer sign in.");
  for (auto* sub : {user_add, user_remove}) {
    sub->add_option("name", args->user_name, "Reviewer name (letters, digits, . _ - @)")->required();
    sub->add_option("--users", args->users_file, "The accounts file (created with mode 0600)")->required();
  }
  user_add->add_option("--password-file", args->password_file,
                       "Read the password from this file's first line instead");
  cmd->footer(
      "Exit status: 0 done; 1 `verify` found a broken chain; 2 usage or store errors (unknown id, bad "
      "store).");
  return [args, list, decide, audit, user_add, user_remove] {
    if (user_add->parsed() || user_remove->parsed()) return run_user(*args, user_add->parsed());
    return run_review(*args, list->parsed()     ? "list"
                             : decide->parsed() ? "decide"
                             : audit->parsed()  ? "audit"
                                                : "verify");
  };
}

}  // namespace tusk::cli
