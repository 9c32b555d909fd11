// The runtime side of compiling a pack: record schema and pattern databases.
#include "runtime/compiled_pack.h"

#include <fmt/format.h>

#include "runtime/pattern_cache.h"

namespace tusk::runtime {

std::string build_passes(CompiledPack& impl, bool use_cache, const std::string& cache_dir) {
  const compiler::plan::Plan& plan = *impl.plan;
  const PatternCacheOptions cache{use_cache, cache_dir};
  impl.schema = std::make_unique<RecordSchema>(plan.fields, plan.fields_read);
  impl.text_fields = plan.text_fields;
  for (const auto& pass : plan.passes) {
    CompiledPass cp;
    cp.profile = find_profile(pass.profile);
    if (cp.profile == nullptr) return fmt::format("unknown normalization profile `{}`", pass.profile);
    cp.fields = pass.fields;
    Normalizer normalizer(*cp.profile);
    std::vector<PatternSpec> specs;
    for (compiler::plan::SlotId s : pass.slots) {
      const compiler::plan::Slot& slot = plan.slots[s];
      if (slot.is_regex) {
        PatternSpec spec;
        spec.id = static_cast<std::uint32_t>(cp.patterns.size());
        spec.kind = PatternKind::kRegex;
        spec.text = slot.pattern;
        spec.flags = slot.flags;
        specs.push_back(std::move(spec));
        cp.patterns.push_back({s, 0});
        continue;
      }
      for (std::uint32_t t = 0; t < slot.terms.size(); ++t) {
        const compiler::plan::SlotTerm& term = slot.terms[t];
        PatternSpec spec;
        spec.id = static_cast<std::uint32_t>(cp.patterns.size());
        spec.kind = PatternKind::kTerm;
        // Terms go through the same normalization as the text they are matched in.
        spec.text = normalizer.normalize_term(term.text);
        if (spec.text.empty()) continue;  // a term of only separators or symbols matches nothing
        spec.prefix = term.prefix;
        spec.edit_distance = term.edit_distance;
        specs.push_back(std::move(spec));
        cp.patterns.push_back({s, t});
      }
    }
    std::string error;
    std::uint32_t bad = 0;
    PatternCacheStatus status;
    cp.db = compile_cached(specs, {}, cache, &error, &bad, &status);
    cp.cache = std::move(status.lookup);
    if (!cp.db) {
      const std::string which = bad < specs.size() ? plan.slots[cp.patterns[bad].slot].name : "?";
      return fmt::format("pattern database for profile `{}` failed in `{}`: {}", pass.profile, which, error);
    }
    impl.passes.push_back(std::move(cp));
  }
  return {};
}

}  // namespace tusk::runtime
