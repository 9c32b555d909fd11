// `tusk scan`: JSONL in, one verdict (or error object) per input line out, in input order.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

#include "accounts/open_state.h"
#include "api/inspect.h"
#include "bundle/bundle.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/line_source.h"
#include "store/evidence.h"
#include "store/store.h"
#include "tusk/scanner.h"

namespace tusk::cli {
namespace {

// More threads than this is a usage error, not an attempt to allocate their scanners.
constexpr unsigned kMaxThreads = 1024;

struct ScanArgs {
  std::string pack;
  std::vector<std::string> inputs;
  std::string output;
  unsigned threads = 0;
  std::string stdlib;
  std::string backend = "auto";
  bool quiet = false;
  std::string store;  // verdict store URL; empty: none
  std::vector<std::string> store_actions{"review", "block"};
  std::string public_key;
  std::string format = "json";
  std::string record_shape = "listing";  // listing or post (docs/records.md)
  std::string state;                     // account state: memory, DIR or redis://; empty: memory
};

// A chunk of input lines and, after processing, their output lines.
struct Chunk {
  LineChunk in;
  std::string out;
  std::uint64_t counts[4] = {0, 0, 0, 0};  // allow, review, block, error
  std::uint64_t bytes = 0;
  std::vector<store::NewVerdict> keep;  // verdicts for the store (--store)
};

// Chunks read, scanned and committed by `threads` threads: one thread at a time reads the next
// chunk, the thread that read a chunk scans it, and chunks are committed (written) in input
// order by the thread that completes the next one due, so no thread waits for a round to end.
// At most kSlotsPerThread chunks per thread are in flight, and no more than kMaxSlots unless
// there are more threads than that (each needs one): memory stays bounded whatever the input's
// size and the thread count (each chunk is at most kLinesPerChunk lines and about
// kBytesPerChunk bytes; at least one line, so a record up to Limits::max_record_bytes always
// fits).
class OrderedChunks {
 public:
  static constexpr std::size_t kSlotsPerThread = 4;
  static constexpr std::size_t kMaxSlots = 64;  // ~64 MiB of input in flight
  static constexpr std::size_t kLinesPerChunk = 256;
  static constexpr std::size_t kBytesPerChunk = std::size_t{1} << 20;

  OrderedChunks(unsigned threads, LineSource& source)
      : threads_(threads),
        source_(source),
        // One thread reads, scans and writes a chunk before the next: one slot is enough, and
        // its buffers stay warm.
        slots_(threads == 1 ? 1
                            : std::max<std::size_t>(threads, std::min(threads * kSlotsPerThread, kMaxSlots))),
        done_(slots_.size(), 0) {}

  // scan(thread, chunk) fills a chunk's output; commit(chunk) takes it, in input order, one
  // call at a time. An exception from either stops the run and is rethrown here.
  template <class Scan, class Commit>
  void run(const Scan& scan, const Commit& commit) {
    if (threads_ == 1) {
      work(0, scan, commit);
      return;
    }
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads_; ++t) {
      pool.emplace_back([&, t] { guarded(t, scan, commit); });
    }
    guarded(0, scan, commit);
    for (auto& th : pool) th.join();
    if (failure_) std::rethrow_exception(failure_);
  }

  // The input error that stopped reading ("" if none); the lines before it were scanned.
  const std::string& read_error() const { return error_; }

 private:
  template <class Scan, class Commit>
  void guarded(unsigned t, const Scan& scan, const Commit& commit) {
    try {
      work(t, scan, commit);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mu_);
      if (!failure_) failure_ = std::current_exception();
      stop_ = true;
      room_.notify_all();
    }
  }

  template <class Scan, class Commit>
  void work(unsigned t, const Scan& scan, const Commit& commit) {
    const std::size_t n = slots_.size();
    for (;;) {
      std::uint64_t seq = 0;
      {
        const std::lock_guard<std::mutex> reading(read_mu_);
        {
          std::unique_lock<std::mutex> lock(mu_);
          room_.wait(lock, [&] { return stop_ || next_read_ < next_commit_ + n; });
          if (stop_ || input_done_) return;
          seq = next_read_;
        }
        if (!source_.next(slots_[seq % n].in, kLinesPerChunk, kBytesPerChunk, error_)) {
          input_done_ = true;
          return;
        }
        // After an input error the lines read before it are still scanned and written.
        if (!error_.empty()) input_done_ = true;
        const std::lock_guard<std::mutex> lock(mu_);
        ++next_read_;
      }
      scan(t, slots_[seq % n]);
      std::unique_lock<std::mutex> lock(mu_);
      done_[seq % n] = 1;
      if (committing_) continue;  // the committing thread will reach this chunk
      committing_ = true;
      while (!stop_ && next_commit_ < next_read_ && done_[next_commit_ % n] != 0) {
        Chunk& ready = slots_[next_commit_ % n];
        lock.unlock();
        commit(ready);
        lock.lock();
        done_[next_commit_ % n] = 0;
        ++next_commit_;
        room_.notify_all();
      }
      committing_ = false;
    }
  }

  const unsigned threads_;
  LineSource& source_;
  std::vector<Chunk> slots_;
  std::vector<char> done_;  // per slot: scanned, not yet committed
  std::mutex read_mu_;      // one reader at a time; guards source_, error_, input_done_
  std::string error_;
  bool input_done_ = false;
  std::mutex mu_;  // guards the rest
  std::condition_variable room_;
  std::uint64_t next_read_ = 0, next_commit_ = 0;
  bool committing_ = false;
  bool stop_ = false;
  std::exception_ptr failure_;
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
    out += cell(fmt::format("line {}", line), kIdWidth) + " " + cell("error", kActionWidth) + " " +
           cell("", kScoreWidth) + " " + v.error + "\n";
    return;
  }
  std::vector<const FiredRule*> fired;
  for (const auto& f : v.fired) fired.push_back(&f);
  std::stable_sort(fired.begin(), fired.end(),
                   [](const FiredRule* a, const FiredRule* b) { return a->score > b->score; });
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
  const std::string score = v.score == static_cast<long long>(v.score)
                                ? fmt::format("{}", static_cast<long long>(v.score))
                                : fmt::format("{:.2f}", v.score);
  out += cell(v.id.empty() ? fmt::format("line {}", line) : v.id, kIdWidth) + " " +
         cell(to_string(v.action), kActionWidth) + " " + cell(score, kScoreWidth) + " " +
         cell(rules.empty() ? "-" : rules, kRulesWidth) + " " + cell(evidence.empty() ? "-" : evidence, 60) +
         "\n";
  while (!out.empty() && out[out.size() - 2] == ' ') out.erase(out.size() - 2, 1);
}

// keep[action]: whether verdicts with that action go to the store.
void process(Scanner& scanner, Chunk& chunk, bool table, const bool keep[3], bool stateful) {
  chunk.out.clear();
  chunk.keep.clear();
  std::fill(std::begin(chunk.counts), std::end(chunk.counts), 0);
  chunk.bytes = 0;
  // A pack with account state scans a chunk as one batch: one state read and one write per
  // chunk (docs/accounts.md), in input order.
  std::vector<Verdict> batch;
  if (stateful) {
    scanner.scan_batch(chunk.in.lines, batch);
  }
  Verdict v;  // reused: its buffers keep their capacity across the chunk
  for (std::size_t i = 0; i < chunk.in.lines.size(); ++i) {
    if (stateful) {
      v = std::move(batch[i]);
    } else {
      scanner.scan(chunk.in.lines[i], v);
    }
    chunk.bytes += chunk.in.lines[i].size() + 1;
    if (!v.ok) {
      v.line = chunk.in.first_line + i;
      ++chunk.counts[3];
    } else {
      ++chunk.counts[static_cast<int>(v.action)];
    }
    const std::size_t start = chunk.out.size();
    if (table) {
      append_row(chunk.out, v, chunk.in.first_line + i);
    } else {
      append_json(chunk.out, v);
    }
    if (v.ok && keep[static_cast<int>(v.action)]) {
      // The store keeps the verdict as JSON whatever the output format.
      store::NewVerdict n = store::NewVerdict::from(
          chunk.in.lines[i], v, table ? std::string_view() : std::string_view(chunk.out).substr(start));
      n.received_at = store::utc_now();
      chunk.keep.push_back(std::move(n));
    }
    if (!table) chunk.out += '\n';
  }
}

int run_scan(const ScanArgs& args) {
  const std::uint64_t native_after = native_after_for(args.inputs);
  auto pack = bundle::is_bundle_path(args.pack)
                  ? load_bundle_or_report(args.pack, args.public_key, args.backend, native_after)
                  : load_pack_or_report(args.pack, args.stdlib, args.backend, native_after);
  if (!pack) return bundle::is_bundle_path(args.pack) ? kExitUsage : pack_failure_exit(args.pack);

  std::FILE* out = stdout;
  const std::string out_name = !args.output.empty() && args.output != "-" ? args.output : "standard output";
  if (!args.output.empty() && args.output != "-") {
    out = std::fopen(args.output.c_str(), "wb");
    if (out == nullptr) {
      fmt::print(stderr, "error: cannot write {}: {}\n", args.output, std::strerror(errno));
      return kExitUsage;
    }
  }
  // One write(2) per MiB of verdicts rather than two per chunk (docs/performance.md: system calls
  // on the scan path).
  // The buffer outlives this function (standard output does, and an early return leaves the
  // file to exit()), so it is static: one per process, set before any output.
  // Not zero-filled: stdio touches only the pages it uses (a page fault costs ~10 µs here).
  constexpr std::size_t kOutBuffer = std::size_t{1} << 20;
  static std::unique_ptr<char[]> out_buffer;
  if (!out_buffer) {
    out_buffer = std::make_unique_for_overwrite<char[]>(kOutBuffer);
    std::setvbuf(out, out_buffer.get(), _IOFBF, kOutBuffer);
  }
  // Every write is checked: verdicts that did not reach the output are an I/O error (exit 2),
  // never a silent success.
  std::string write_error;
  const auto write = [&](const std::string& bytes) {
    if (!write_error.empty() || bytes.empty()) return;
    if (std::fwrite(bytes.data(), 1, bytes.size(), out) != bytes.size()) {
      write_error = fmt::format("cannot write {}: {}", out_name, std::strerror(errno));
    }
  };
  // The verdict store: flagged verdicts with their record bytes; the pack's sources are kept once
  // per digest so that evidence bundles can reproduce the verdicts.
  std::unique_ptr<store::Store> db;
  bool keep[3] = {false, false, false};
  std::uint64_t stored = 0, unstored = 0;
  std::string store_error;
  if (!args.store.empty()) {
    for (const auto& a : args.store_actions) keep[a == "allow" ? 0 : a == "review" ? 1 : 2] = true;
    try {
      db = store::Store::open(args.store);
      if (!db->has_pack(pack->info().digest)) {
        db->put_pack(pack->info().digest, store::sources_of(*pack));
      }
    } catch (const store::StoreError& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      return kExitUsage;
    }
  }
  // Account state makes a verdict depend on the listings before it: such a pack is scanned in
  // input order on one thread (docs/accounts.md, "Semantics").
  const bool stateful = tusk::inspect::plan(*pack).stateful();
  if (stateful && args.threads > 1 && !args.quiet) {
    fmt::print(
        stderr,
        "note: pack `{}` keeps account state (entities, counters, labels): its verdicts depend on input "
        "order, so it is scanned on one thread (--threads {} ignored)\n",
        pack->info().name, args.threads);
  }
  const unsigned threads = stateful       ? 1u
                           : args.threads ? args.threads
                                          : std::max(1u, std::thread::hardware_concurrency());
  // Account state (--state): one store for the run, flushed before exit. Without it a stateful
  // pack remembers only within this run.
  std::shared_ptr<StateStore> state;
  if (!args.state.empty()) {
    try {
      state = accounts::open_state(args.state);
    } catch (const StateError& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      return kExitUsage;
    }
  }
  std::vector<Scanner> scanners;
  for (unsigned t = 0; t < threads; ++t) {
    scanners.emplace_back(pack);
    if (state) scanners.back().set_state(state);
    scanners.back().set_record_shape(args.record_shape == "post" ? RecordShape::kPost
                                                                 : RecordShape::kListing);
  }

  LineSource source(args.inputs);
  const bool progress = !args.quiet && stderr_is_terminal();
  std::uint64_t totals[4] = {0, 0, 0, 0};
  std::uint64_t records = 0, bytes = 0;
  std::string error;
  const auto started = std::chrono::steady_clock::now();
  if (args.format == "table") {
    const std::string header = table_header();
    std::fwrite(header.data(), 1, header.size(), out);
  }

  // Written in input order, by whichever thread finished the next chunk due: the output, then
  // the store (after the output: a store that fails does not cost an output line).
  const auto commit = [&](Chunk& c) {
    write(c.out);
    for (int k = 0; k < 4; ++k) totals[k] += c.counts[k];
    records += c.in.lines.size();
    bytes += c.bytes;
    if (db && !c.keep.empty()) {
      if (store_error.empty()) {
        try {
          stored += db->add_verdicts(c.keep).size();
        } catch (const store::StoreError& e) {
          store_error = e.what();
          unstored += c.keep.size();
        }
      } else {
        unstored += c.keep.size();
      }
    }
    if (progress) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      fmt::print(stderr,
                 "\r{} records  {:.0f} rec/s  {:.1f} MB/s  block {}  review {}  allow {}  errors {}   ",
                 records, records / std::max(secs, 1e-9), bytes / 1e6 / std::max(secs, 1e-9), totals[2],
                 totals[1], totals[0], totals[3]);
    }
  };
  const bool table = args.format == "table";
  OrderedChunks pipeline(threads, source);
  pipeline.run([&](unsigned t, Chunk& c) { process(scanners[t], c, table, keep, stateful); }, commit);
  error = pipeline.read_error();
  if (state) {
    try {
      state->flush();
    } catch (const StateError& e) {
      if (write_error.empty()) {
        write_error = fmt::format("the account state could not be flushed: {}", e.what());
      }
    }
  }
  if (std::fflush(out) != 0 && write_error.empty()) {
    write_error = fmt::format("cannot write {}: {}", out_name, std::strerror(errno));
  }
  if (out != stdout && std::fclose(out) != 0 && write_error.empty()) {
    write_error = fmt::format("cannot write {}: {}", out_name, std::strerror(errno));
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (progress) fmt::print(stderr, "\n");
  if (!args.quiet) {
    fmt::print(stderr,
               "scanned {} records ({:.2f} MB) in {:.3f} s with {} thread{}: block {}, review {}, allow {}, "
               "errors {}\n",
               records, bytes / 1e6, secs, threads, threads == 1 ? "" : "s", totals[2], totals[1], totals[0],
               totals[3]);
  }
  if (!error.empty()) fmt::print(stderr, "error: {}\n", error);
  if (!write_error.empty()) fmt::print(stderr, "error: {}\n", write_error);
  if (!error.empty() || !write_error.empty()) return kExitUsage;
  if (db && !args.quiet && store_error.empty()) {
    fmt::print(stderr, "stored {} flagged verdict{} in the {} store\n", stored, stored == 1 ? "" : "s",
               db->backend());
  }
  if (!store_error.empty()) {
    fmt::print(
        stderr,
        "error: the verdict store failed: {}\nerror: {} flagged verdict{} not stored (their output lines "
        "were written)\n",
        store_error, unstored, unstored == 1 ? " was" : "s were");
    return kExitUsage;
  }
  return totals[3] > 0 ? kExitFindings : kExitOk;
}

}  // namespace

Action add_scan_command(CLI::App& app) {
  auto args = std::make_shared<ScanArgs>();
  auto* cmd =
      app.add_subcommand("scan", "Evaluate listings (JSON Lines) with a pack; print one verdict per line.");
  cmd->add_option(
         "--pack,-p", args->pack,
         "Pack directory (with pack.yaml), a single .tusk file, or a bundle (.tusk.tar.gz, docs/bundles.md)")
      ->required();
  cmd->add_option("--public-key", args->public_key,
                  "With a bundle: require its manifest to be signed by this Ed25519 public key")
      ->type_name("PUB");
  cmd->add_option("inputs", args->inputs, "JSONL files to scan; `-` or nothing reads standard input");
  cmd->add_option("-o,--output", args->output, "Write verdicts here instead of standard output");
  cmd->add_option("--threads,-j", args->threads, "Worker threads, 1 to 1024 (default: all cores)")
      ->check(CLI::Range(0u, kMaxThreads));
  cmd->add_option("--backend", args->backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->add_option(
         "--record-shape", args->record_shape,
         "How input lines are read: listing (default) or post (`text`, `author`, `created_at` read as "
         "`title`, `seller`, `posted_at`; docs/records.md)")
      ->check(CLI::IsMember({"listing", "post"}));
  cmd->add_flag("--quiet,-q", args->quiet, "No progress bar and no summary on standard error");
  cmd->add_option(
      "--state", args->state,
      "Account state of packs with entities, counters or labels (docs/accounts.md): `memory` (the default: "
      "this run only), a directory (embedded store, kept across runs) or redis://HOST[:PORT][/DB] (shared)");
  cmd->add_option(
      "--store", args->store,
      "Also keep flagged verdicts, with the record bytes as received, in a verdict store: sqlite:PATH or "
      "postgresql://... (docs/review.md)");
  cmd->add_option("--store-actions", args->store_actions, "Actions kept by --store (default: review block)")
      ->check(CLI::IsMember({"allow", "review", "block"}))
      ->delimiter(',');
  cmd->add_option("--format", args->format,
                  "`json` (the default, also on a terminal: one verdict object per line, for programs) or "
                  "`table` (one "
                  "line per listing for people: id, action, score, the top three rules, the first evidence)")
      ->check(CLI::IsMember({"json", "table"}));
  cmd->footer(
      "Output: one JSON object per input line, in input order: a verdict, or {\"line\": N, \"error\": "
      "\"...\"} "
      "for a line that cannot be read (bad JSON, not an object, invalid UTF-8, a field of the wrong type).\n"
      "Error lines' `line` counts lines across all inputs, in order, as the output does. A UTF-8 byte order "
      "mark at the start of an input is skipped.\n"
      "With --store, verdicts whose action is in --store-actions are also written to the store; the output "
      "is the same.\n"
      "Exit status: 0 every record evaluated; 1 some records were errors; 2 usage, I/O or store errors (an "
      "input "
      "that cannot be read, such as a directory, or output that cannot be written, such as a full disk; "
      "verdicts "
      "for the lines read before it are still written); 3 errors in the pack.");
  return [args] { return run_scan(*args); };
}

}  // namespace tusk::cli
