// Test helper: applies account-state updates read as JSON lines from stdin to `--state SPEC`
// (argv[1]), so the CLI tests have state to show, list, unlabel and forget before the engine
// writes any. One line: {"space","entity","id","kind":"add|see|label","name","value","time",
// "count","expires"}; times may be given relative to now as "+N"/"-N" seconds.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "accounts/open_state.h"

namespace {

std::int64_t when(const nlohmann::json& v, std::int64_t now) {
  if (v.is_string()) return now + std::stoll(v.get<std::string>());
  return v.is_number() ? v.get<std::int64_t>() : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tusk_state_seed SPEC < updates.jsonl\n");
    return 2;
  }
  try {
    auto store = tusk::accounts::open_state(argv[1]);
    const auto now = tusk::accounts::system_now();
    std::vector<tusk::StateUpdate> ups;
    std::string line;
    while (std::getline(std::cin, line)) {
      if (line.empty()) continue;
      const auto j = nlohmann::json::parse(line);
      tusk::StateUpdate u;
      u.key = {j.at("space"), j.at("entity"), j.at("id")};
      const std::string kind = j.at("kind");
      u.kind = kind == "add"   ? tusk::StateUpdate::Kind::kAdd
               : kind == "see" ? tusk::StateUpdate::Kind::kSee
                               : tusk::StateUpdate::Kind::kLabel;
      u.name = j.value("name", "");
      u.value = j.value("value", "");
      u.time = when(j.value("time", nlohmann::json(0)), now);
      u.count = j.value("count", 0);
      u.expires = when(j.value("expires", nlohmann::json(0)), now);
      ups.push_back(std::move(u));
    }
    store->apply(ups);
    store->flush();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tusk_state_seed: %s\n", e.what());
    return 2;
  }
  return 0;
}
