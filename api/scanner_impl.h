// Internal: what a tusk::Scanner holds — the pack it keeps alive and the per-record pipeline.
#pragma once

#include <memory>

#include "api/pack_impl.h"
#include "runtime/pipeline.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk::internal {

struct ScannerImpl {
  explicit ScannerImpl(std::shared_ptr<const Pack> p);

  std::shared_ptr<const Pack> pack;
  runtime::Pipeline pipeline;
};

// Pack and Scanner befriend this one struct so that their implementation stays private to api/.
struct Inspect {
  static const PackImpl& pack(const Pack& p) { return *p.impl_; }
  static ScannerImpl& scanner(Scanner& s) { return *s.impl_; }
  static const ScannerImpl& scanner(const Scanner& s) { return *s.impl_; }
};

}  // namespace tusk::internal
