// libFuzzer: the input bytes drive the random pack generator (so every input is a well-typed
// pack in Tusk source) and then the listings; both backends must print identical verdicts.
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang
//   -DTUSK_BUILD_FUZZ=ON cmake --build build-fuzz --target tusk_backend_fuzz build-fuzz/bin/tusk_backend_fuzz
//   -max_total_time=600 corpus/
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "tests/support/random_pack.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace {

class FuzzChoices final : public tusk::testing::Choices {
 public:
  explicit FuzzChoices(FuzzedDataProvider& data) : data_(data) {}
  // An exhausted input answers 0: the simplest choice everywhere, so generation ends.
  std::uint64_t below(std::uint64_t n) override {
    return data_.ConsumeIntegralInRange<std::uint64_t>(0, n - 1);
  }

 private:
  FuzzedDataProvider& data_;
};

std::shared_ptr<const tusk::Pack> compile(const std::string& dir, tusk::Backend backend) {
  tusk::CompileOptions options;
  options.stdlib_dir = std::filesystem::path(TUSK_SOURCE_DIR) / "stdlib";
  options.backend = backend;
  return tusk::Pack::compile(dir, options).pack;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / fmt::format("tusk-backend-fuzz-{}", ::getpid());
  static const bool env = [] {
    // Fuzzed packs must not fill the user's object cache.
    ::setenv("TUSK_CACHE_DIR", (dir / "cache").c_str(), 1);
    return true;
  }();
  (void)env;
  FuzzedDataProvider data(bytes, size);
  FuzzChoices choices(data);
  tusk::testing::RandomPackOptions options;
  options.rules = 1 + static_cast<int>(choices.below(10));
  options.max_depth = 1 + static_cast<int>(choices.below(4));
  const auto pack = tusk::testing::random_pack(choices, options);
  pack.write(dir / "pack");
  auto interp = compile((dir / "pack").string(), tusk::Backend::kInterp);
  if (!interp) return 0;
  auto jit = compile((dir / "pack").string(), tusk::Backend::kJit);
  if (!jit) {
    std::fprintf(stderr, "the JIT rejected a pack the interpreter runs:\n%s\n", pack.source().c_str());
    std::abort();
  }
  tusk::Scanner si(interp), sj(jit);
  for (int i = 0; i < 16 && data.remaining_bytes() > 0; ++i) {
    const std::string json = tusk::testing::random_listing(choices).json();
    const std::string a = tusk::to_json(si.scan(json)), b = tusk::to_json(sj.scan(json));
    if (a != b) {
      std::fprintf(stderr, "backends differ\n--- main.tusk\n%s--- listing\n%s\n--- interp\n%s\n--- jit\n%s\n",
                   pack.source().c_str(), json.c_str(), a.c_str(), b.c_str());
      std::abort();
    }
  }
  return 0;
}
