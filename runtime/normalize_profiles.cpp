// The named normalization profiles. docs/normalization.md explains each; keep the two in step.
#include <array>

#include "base/diagnostic.h"
#include "runtime/normalize.h"

namespace tusk::runtime {
namespace {

constexpr StepSet kStrictSteps{Step::kNfkc, Step::kCaseFold, Step::kWhitespace};

constexpr StepSet kDefaultSteps{
    Step::kInvisible,  Step::kWidth,     Step::kNfkc, Step::kCaseFold, Step::kTraditionalToSimplified,
    Step::kWhitespace, Step::kSeparators};

constexpr StepSet kNoDiacriticsSteps = kDefaultSteps.with(Step::kDiacritics);

constexpr StepSet kEvasiveSteps = kNoDiacriticsSteps.with(Step::kConfusables).with(Step::kDigitFolding);

constexpr std::array kProfiles{
    Profile{"raw", "no change except invalid UTF-8 to U+FFFD; for regexes over the text as written", {}},
    Profile{"strict", "NFKC, full case folding, whitespace runs to one space", kStrictSteps},
    Profile{"default",
            "strict + invisible characters removed, full-width to half-width, Traditional to "
            "Simplified Chinese, spelled-out letters joined (\"i.v.o.r.y\")",
            kDefaultSteps},
    Profile{"no_diacritics", "default + diacritics removed (\"ngà voi\" -> \"nga voi\", \"đ\" -> \"d\")",
            kNoDiacriticsSteps},
    Profile{"evasive",
            "no_diacritics + look-alike letters to Latin (Cyrillic \"і\" -> \"i\") and digits or "
            "symbols for letters inside words (\"1v0ry\" -> \"ivory\")",
            kEvasiveSteps},
};

struct Alias {
  std::string_view alias;
  std::string_view name;
};
constexpr std::array kAliases{Alias{"vi", "no_diacritics"}};

}  // namespace

std::string_view step_name(Step step) {
  switch (step) {
    case Step::kInvisible:
      return "invisible";
    case Step::kWidth:
      return "width";
    case Step::kNfkc:
      return "nfkc";
    case Step::kCaseFold:
      return "case_fold";
    case Step::kTraditionalToSimplified:
      return "traditional_to_simplified";
    case Step::kDiacritics:
      return "diacritics";
    case Step::kConfusables:
      return "confusables";
    case Step::kWhitespace:
      return "whitespace";
    case Step::kSeparators:
      return "separators";
    case Step::kDigitFolding:
      return "digit_folding";
  }
  return "?";
}

std::span<const Profile> profiles() { return kProfiles; }

const Profile* find_profile(std::string_view name) {
  for (const Alias& a : kAliases) {
    if (a.alias == name) name = a.name;
  }
  for (const Profile& p : kProfiles) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  names.reserve(kProfiles.size());
  for (const Profile& p : kProfiles) names.emplace_back(p.name);
  for (const Alias& a : kAliases) names.emplace_back(a.alias);
  return names;
}

std::optional<std::string> suggest_profile(std::string_view unknown) {
  return base::closest_name(unknown, profile_names());
}

}  // namespace tusk::runtime
