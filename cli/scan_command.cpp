// `tusk scan`: JSONL in, one verdict (or error object) per input line out, in input order.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/common.h"
#include "tusk/scanner.h"

namespace tusk::cli {
namespace {

struct ScanArgs {
  std::string pack;
  std::vector<std::string> inputs;
  std::string output;
  unsigned threads = 0;
  std::string stdlib;
  std::string backend = "auto";
  bool quiet = false;
  std::string format = "json";
};

// A chunk of input lines and, after processing, their output lines.
struct Chunk {
  std::uint64_t first_line = 0;  // 1-based number of lines[0]
  std::vector<std::string> lines;
  std::string out;
  std::uint64_t counts[4] = {0, 0, 0, 0};  // allow, review, block, error
  std::uint64_t bytes = 0;
};

class LineSource {
 public:
  explicit LineSource(const std::vector<std::string>& inputs) : inputs_(inputs) {
    if (inputs_.empty()) inputs_.push_back("-");
  }
  // Fills `chunk` with up to `max_lines` lines; false at the end of all inputs.
  bool next(Chunk& chunk, std::size_t max_lines, std::string& error) {
    chunk.lines.clear();
    chunk.first_line = line_ + 1;
    while (chunk.lines.size() < max_lines) {
      if (!stream_ && !open_next(error)) break;
      std::string line;
      if (!std::getline(*stream_, line)) {
        close();
        continue;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      ++line_;
      chunk.lines.push_back(std::move(line));
    }
    return !chunk.lines.empty();
  }

 private:
  bool open_next(std::string& error) {
    while (next_input_ < inputs_.size()) {
      const std::string& path = inputs_[next_input_++];
      if (path == "-") {
        stream_ = &std::cin;
        return true;
      }
      file_ = std::make_unique<std::ifstream>(path, std::ios::binary);
      if (!*file_) {
        error = fmt::format("cannot read {}", path);
        return false;
      }
      stream_ = file_.get();
      return true;
    }
    return false;
  }
  void close() {
    stream_ = nullptr;
    file_.reset();
  }

  std::vector<std::string> inputs_;
  std::size_t next_input_ = 0;
  std::istream* stream_ = nullptr;
  std::unique_ptr<std::ifstream> file_;
  std::uint64_t line_ = 0;
};

// `--format table`: one line per listing for people. Cells are cut (on a code point) to their
// column's width so that the columns line up in a terminal.
std::string cell(std::string_view text, std::size_t width) {
  std::string out;
  std::size_t cols = 0;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    if (cols + 1 == width && i + n < text.size()) {
      out += "…";
      ++cols;
      break;
    }
    std::string_view ch = text.substr(i, n);
    out += (ch == "\n" || ch == "\t") ? std::string_view(" ") : ch;
    ++cols;
    i += n;
  }
  return out + std::string(width > cols ? width - cols : 0, ' ');
}

constexpr std::size_t kIdWidth = 18, kActionWidth = 7, kScoreWidth = 7, kRulesWidth = 44;

std::string table_header() {
  return cell("id", kIdWidth) + " " + cell("action", kActionWidth) + " " + cell("score", kScoreWidth) + " " +
         cell("top rules", kRulesWidth) + " first evidence\n";
}

void append_row(std::string& out, const Verdict& v, std::uint64_t line) {
  if (!v.ok) {
    out += cell(fmt::format("line {}", line), kIdWidth) + " " + cell("error", kActionWidth) + " " + cell("", kScoreWidth) +
           " " + v.error + "\n";
    return;
  }
  std::vector<const FiredRule*> fired;
  for (const auto& f : v.fired) fired.push_back(&f);
  std::stable_sort(fired.begin(), fired.end(), [](const FiredRule* a, const FiredRule* b) { return a->score > b->score; });
  std::string rules;
  for (std::size_t i = 0; i < fired.size() && i < 3; ++i) {
    rules += fmt::format("{}{} {:+}", i ? ", " : "", fired[i]->rule, fired[i]->score);
  }
  if (fired.size() > 3) rules += fmt::format(" (+{})", fired.size() - 3);
  std::string evidence;
  for (const FiredRule* f : fired) {
    if (f->evidence.empty()) continue;
    const Evidence& e = f->evidence.front();
    evidence = fmt::format("{}: \"{}\" ({})", e.field, e.text, e.lexicon);
    break;
  }
  const std::string score = v.score == static_cast<long long>(v.score) ? fmt::format("{}", static_cast<long long>(v.score))
                                                                         : fmt::format("{:.2f}", v.score);
  out += cell(v.id.empty() ? fmt::format("line {}", line) : v.id, kIdWidth) + " " +
         cell(to_string(v.action), kActionWidth) + " " + cell(score, kScoreWidth) + " " +
         cell(rules.empty() ? "-" : rules, kRulesWidth) + " " + cell(evidence.empty() ? "-" : evidence, 60) + "\n";
  while (!out.empty() && out[out.size() - 2] == ' ') out.erase(out.size() - 2, 1);
}

void process(Scanner& scanner, Chunk& chunk, bool table) {
  chunk.out.clear();
  std::fill(std::begin(chunk.counts), std::end(chunk.counts), 0);
  chunk.bytes = 0;
  Verdict v;  // reused: its buffers keep their capacity across the chunk
  for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
    scanner.scan(chunk.lines[i], v);
    chunk.bytes += chunk.lines[i].size() + 1;
    if (!v.ok) {
      v.line = chunk.first_line + i;
      ++chunk.counts[3];
    } else {
      ++chunk.counts[static_cast<int>(v.action)];
    }
    if (table) {
      append_row(chunk.out, v, chunk.first_line + i);
    } else {
      append_json(chunk.out, v);
      chunk.out += '\n';
    }
  }
}

int run_scan(const ScanArgs& args) {
  auto pack = load_pack_or_report(args.pack, args.stdlib, args.backend);
  if (!pack) return pack_failure_exit(args.pack);

  std::FILE* out = stdout;
  if (!args.output.empty() && args.output != "-") {
    out = std::fopen(args.output.c_str(), "wb");
    if (out == nullptr) {
      fmt::print(stderr, "error: cannot write {}\n", args.output);
      return kExitUsage;
    }
  }
  const unsigned threads = args.threads ? args.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<Scanner> scanners;
  for (unsigned t = 0; t < threads; ++t) scanners.emplace_back(pack);

  LineSource source(args.inputs);
  const bool progress = !args.quiet && stderr_is_terminal();
  constexpr std::size_t kLinesPerChunk = 256;
  std::vector<Chunk> chunks(threads * 4);
  std::uint64_t totals[4] = {0, 0, 0, 0};
  std::uint64_t records = 0, bytes = 0;
  std::string error;
  const auto started = std::chrono::steady_clock::now();
  if (args.format == "table") {
    const std::string header = table_header();
    std::fwrite(header.data(), 1, header.size(), out);
  }

  // Read a round of chunks, evaluate them in parallel, write them in order: output order is
  // input order whatever the thread count.
  for (bool more = true; more;) {
    std::size_t filled = 0;
    while (filled < chunks.size() && source.next(chunks[filled], kLinesPerChunk, error)) ++filled;
    if (!error.empty()) {
      fmt::print(stderr, "error: {}\n", error);
      return kExitUsage;
    }
    more = filled == chunks.size();
    if (filled == 0) break;
    std::atomic<std::size_t> next{0};
    auto work = [&](unsigned t) {
      for (std::size_t c; (c = next.fetch_add(1)) < filled;) process(scanners[t], chunks[c], args.format == "table");
    };
    if (threads == 1 || filled == 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
      work(0);
      for (auto& th : pool) th.join();
    }
    for (std::size_t c = 0; c < filled; ++c) {
      std::fwrite(chunks[c].out.data(), 1, chunks[c].out.size(), out);
      for (int k = 0; k < 4; ++k) totals[k] += chunks[c].counts[k];
      records += chunks[c].lines.size();
      bytes += chunks[c].bytes;
    }
    if (progress) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      fmt::print(stderr, "\r{} records  {:.0f} rec/s  {:.1f} MB/s  block {}  review {}  allow {}  errors {}   ",
                 records, records / std::max(secs, 1e-9), bytes / 1e6 / std::max(secs, 1e-9), totals[2], totals[1],
                 totals[0], totals[3]);
    }
  }
  std::fflush(out);
  if (out != stdout) std::fclose(out);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (progress) fmt::print(stderr, "\n");
  if (!args.quiet) {
    fmt::print(stderr, "scanned {} records ({:.2f} MB) in {:.3f} s with {} thread{}: block {}, review {}, allow {}, errors {}\n",
               records, bytes / 1e6, secs, threads, threads == 1 ? "" : "s", totals[2], totals[1], totals[0], totals[3]);
  }
  return totals[3] > 0 ? kExitFindings : kExitOk;
}

}  // namespace

Action add_scan_command(CLI::App& app) {
  auto args = std::make_shared<ScanArgs>();
  auto* cmd = app.add_subcommand("scan", "Evaluate listings (JSON Lines) with a pack; print one verdict per line.");
  cmd->add_option("--pack,-p", args->pack, "Pack directory (with pack.yaml) or a single .tusk file")->required();
  cmd->add_option("inputs", args->inputs, "JSONL files to scan; `-` or nothing reads standard input");
  cmd->add_option("-o,--output", args->output, "Write verdicts here instead of standard output");
  cmd->add_option("--threads,-j", args->threads, "Worker threads (default: all cores)");
  cmd->add_option("--backend", args->backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib, "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress bar and no summary on standard error");
  cmd->add_option("--format", args->format,
                  "`json` (the default, also on a terminal: one verdict object per line, for programs) or `table` (one "
                  "line per listing for people: id, action, score, the top three rules, the first evidence)")
      ->check(CLI::IsMember({"json", "table"}));
  cmd->footer(
      "Output: one JSON object per input line, in input order: a verdict, or {\"line\": N, \"error\": \"...\"} "
      "for a line that cannot be read (bad JSON, not an object, invalid UTF-8, a field of the wrong type).\n"
      "Exit status: 0 every record evaluated; 1 some records were errors; 2 usage or I/O errors; 3 errors in the pack.");
  return [args] { return run_scan(*args); };
}

}  // namespace tusk::cli
