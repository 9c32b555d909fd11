// libFuzzer target: any bytes as a .tusk file through the parser and the checker, and as a
// lexicon file and a pack.yaml. The
// properties: no crash, no hang, no sanitizer finding, and every diagnostic renders (spans stay
// inside the file). Seeds: tests/golden/parse and tests/golden/check inputs.
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang
//   -DTUSK_BUILD_FUZZ=ON cmake --build build-fuzz --target tusk_parse_fuzz build-fuzz/bin/tusk_parse_fuzz
//   -max_total_time=60 corpus/ tests/golden/parse tests/golden/check
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/diagnostic.h"
#include "compiler/front/checker.h"
#include "compiler/front/driver.h"
#include "compiler/front/manifest.h"
#include "dsl/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  // The parser alone, on the raw bytes.
  tusk::base::SourceManager sources;
  const auto& file = sources.add("fuzz.tusk", text);
  tusk::base::Diagnostics diags;
  tusk::dsl::parse(file, diags);
  (void)tusk::base::render_text(diags, sources);

  // The same bytes as a lexicon file and as a pack.yaml: YAML anchors and aliases must stay
  // within their bounds (compiler/front/yaml_bounds.h) whatever they nest.
  {
    tusk::base::SourceManager yaml_sources;
    const auto& yaml = yaml_sources.add("fuzz.yaml", text);
    tusk::base::Diagnostics yaml_diags;
    (void)tusk::compiler::front::parse_lexicon_file(yaml, yaml_diags);
    (void)tusk::compiler::front::parse_manifest(yaml, yaml_diags);
    (void)tusk::base::render_text(yaml_diags, yaml_sources);
  }

  // The whole front end: the driver reads a pack file from disk, with the real stdlib.
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("tusk_parse_fuzz_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  const auto path = dir / "fuzz.tusk";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  tusk::compiler::front::CheckOptions options;
  options.stdlib_dir = TUSK_SOURCE_DIR "/stdlib";
  auto pack = tusk::compiler::front::load_pack(path.string(), options);
  (void)tusk::base::render_text(pack->diags, pack->sources);
  (void)tusk::base::render_json(pack->diags, pack->sources);
  return 0;
}
