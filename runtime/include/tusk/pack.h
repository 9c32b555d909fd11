// A compiled pack: immutable and safe to share between threads. Evaluate listings with a
// Scanner (scanner.h), one per thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tusk/diagnostic.h"
#include "tusk/verdict.h"

namespace tusk {

enum class Backend { kAuto, kJit, kInterp };

struct CompileOptions {
  std::string stdlib_dir;            // empty: $TUSK_STDLIB or the built-in standard library
  std::vector<std::string> allow;    // warnings to switch off, by code or name
  Backend backend = Backend::kAuto;
};

class Pack;

struct CompileResult {
  std::shared_ptr<const Pack> pack;       // null when there were errors
  std::vector<Diagnostic> diagnostics;    // errors and warnings, in source order
  std::string rendered;                   // all diagnostics, rustc-style
};

namespace internal {
struct PackImpl;
}

class Pack {
 public:
  // `path` is a pack directory (with pack.yaml) or a single .tusk file.
  static CompileResult compile(const std::string& path, const CompileOptions& options = {});

  const PackInfo& info() const;
  const internal::PackImpl& impl() const { return *impl_; }
  ~Pack();

  explicit Pack(std::unique_ptr<internal::PackImpl> impl);

 private:
  std::unique_ptr<internal::PackImpl> impl_;
};

}  // namespace tusk
