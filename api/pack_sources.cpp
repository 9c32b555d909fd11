// tusk/pack_sources.h: the digest's inputs of a compiled pack, read from its loaded sources.
#include "tusk/pack_sources.h"

#include "api/scanner_impl.h"

namespace tusk {

std::vector<PackSource> pack_sources(const Pack& pack) {
  std::vector<PackSource> out;
  const compiler::front::LoadedPack* loaded = internal::Inspect::pack(pack).loaded.get();
  if (loaded == nullptr) return out;
  out.reserve(loaded->digest_inputs.size());
  for (const auto& [name, id] : loaded->digest_inputs) {
    out.push_back({name, std::string(loaded->sources.file(id).text())});
  }
  return out;
}

}  // namespace tusk
