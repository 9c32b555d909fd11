// Reading a JSONL corpus for the commands that evaluate one (eval, diff, bench).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tusk::cli {

// Calls `fn` with each line of each input (`-` is standard input), in order; a trailing `\r`
// is dropped and blank lines are skipped. Returns an error message, or "" on success.
std::string for_each_line(const std::vector<std::string>& inputs,
                          const std::function<void(std::string_view)>& fn);

// The inputs joined for reports: "a.jsonl", "a.jsonl b.jsonl", "(stdin)".
std::string corpus_name(const std::vector<std::string>& inputs);

}  // namespace tusk::cli
