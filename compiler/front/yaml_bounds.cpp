#include "compiler/front/yaml_bounds.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

namespace tusk::compiler::front {
namespace {

struct Exceeded {
  YamlBoundsError error;
};

// Sizes every anchored node as it would be expanded (saturating, so exponential nesting cannot
// overflow) and adds an anchor's size each time an alias names it.
class AliasCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { leaf(anchor, 1); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = sizes_.find(anchor);
    const std::uint64_t size = it == sizes_.end() ? 1 : it->second;
    ++aliases_;
    alias_bytes_ = add(alias_bytes_, size);
    if (aliases_ > kMaxYamlAliases) {
      throw Exceeded{{fmt::format("more than {} YAML aliases", kMaxYamlAliases), mark}};
    }
    if (alias_bytes_ > kMaxYamlAliasBytes) {
      throw Exceeded{
          {fmt::format("YAML aliases that expand to more than {} MiB", kMaxYamlAliasBytes >> 20), mark}};
    }
    leaf(0, size);
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    leaf(anchor, 1 + value.size());
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_.push_back({anchor, 1});
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_.push_back({anchor, 1});
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    std::uint64_t size;
  };
  static std::uint64_t add(std::uint64_t a, std::uint64_t b) {
    return std::min<std::uint64_t>(a + std::min(b, kCap), kCap);
  }
  void leaf(YAML::anchor_t anchor, std::uint64_t size) {
    if (anchor != 0) sizes_[anchor] = size;
    if (!open_.empty()) open_.back().size = add(open_.back().size, size);
  }
  void close() {
    if (open_.empty()) return;
    const Open done = open_.back();
    open_.pop_back();
    leaf(done.anchor, done.size);
  }

  static constexpr std::uint64_t kCap = std::uint64_t{1} << 62;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, std::uint64_t> sizes_;
  std::uint64_t aliases_ = 0;
  std::uint64_t alias_bytes_ = 0;
};

}  // namespace

std::optional<YamlBoundsError> check_yaml_aliases(const std::string& text) {
  if (text.find('*') == std::string::npos) return std::nullopt;  // no alias can be written without `*`
  std::istringstream in(text);
  try {
    YAML::Parser parser(in);
    AliasCounter counter;
    while (parser.HandleNextDocument(counter)) {
    }
  } catch (const Exceeded& e) {
    return e.error;
  } catch (const YAML::Exception&) {
    return std::nullopt;  // not YAML: the caller's YAML::Load says so, with its own message
  }
  return std::nullopt;
}

}  // namespace tusk::compiler::front
