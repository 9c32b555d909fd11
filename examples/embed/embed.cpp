// Embedding Tusk from C++: compile a pack once, share it, scan with one Scanner per thread,
// and hot-reload through an Engine. Usage: embed_cpp PACK_DIR < listings.jsonl > verdicts.jsonl
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <tusk/engine.h>
#include <tusk/pack.h>
#include <tusk/scanner.h>
#include <tusk/version.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embed_cpp PACK_DIR < listings.jsonl\n";
    return 2;
  }
  // Problems in the pack come back as data, never as exceptions.
  tusk::CompileResult compiled = tusk::Pack::compile(argv[1]);
  if (!compiled.pack) {
    std::cerr << compiled.rendered;
    return 1;
  }
  std::cerr << "tusk " << tusk::version() << ", pack " << compiled.pack->info().name << " "
            << compiled.pack->info().version << "\n";

  // A batch on this thread: one verdict per line, in order, errors in place.
  std::vector<std::string> lines;
  for (std::string line; std::getline(std::cin, line);) lines.push_back(line);
  std::vector<std::string_view> views(lines.begin(), lines.end());
  tusk::Scanner scanner(compiled.pack);
  std::vector<tusk::Verdict> verdicts = scanner.scan_batch(views);
  for (const tusk::Verdict& v : verdicts) std::cout << tusk::to_json(v) << "\n";

  // A listing built field by field, without JSON.
  scanner.begin("built-1");
  scanner.set_text("title", "Carved white plastic bangle");
  scanner.set_text("category", "antiques");
  scanner.set_money("price", 320, "USD");
  std::cout << tusk::to_json(scanner.scan_listing()) << "\n";

  // The Engine: two threads scan while the pack is reloaded; each verdict names its pack.
  tusk::Engine engine(compiled.pack);
  std::vector<std::thread> workers;
  std::vector<std::size_t> reviewed(2, 0);
  for (int t = 0; t < 2; ++t) {
    workers.emplace_back([&, t] {
      tusk::EngineScanner worker(engine);
      for (const auto& line : views) reviewed[t] += worker.scan(line).action != tusk::Action::kAllow;
    });
  }
  tusk::CompileResult reloaded = engine.reload(argv[1]);
  for (auto& w : workers) w.join();
  std::cerr << "reload " << (reloaded.pack ? "ok" : "failed") << "; flagged " << reviewed[0] << " and "
            << reviewed[1] << " of " << views.size() << " listings per thread\n";
  return reviewed[0] == reviewed[1] ? 0 : 1;
}
