// Evaluates listings against a pack. A Scanner holds per-thread state (decoder, normalizer and
// pattern scratch, buffers): create one per thread; it is not thread-safe. Many scanners may
// share one Pack.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "tusk/pack.h"
#include "tusk/verdict.h"

namespace tusk {

namespace internal {
class ScannerImpl;
}

class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const Pack> pack);
  ~Scanner();
  Scanner(Scanner&&) noexcept;
  Scanner& operator=(Scanner&&) noexcept;

  // Evaluates one listing given as a JSON object. Never throws for bad input: a listing that
  // cannot be read yields a verdict with ok == false and the reason in `error`.
  Verdict scan(std::string_view json);

  const Pack& pack() const;
  internal::ScannerImpl& impl() { return *impl_; }

 private:
  std::unique_ptr<internal::ScannerImpl> impl_;
};

}  // namespace tusk
