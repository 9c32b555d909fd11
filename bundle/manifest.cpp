#include "bundle/manifest.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <set>

#include "base/json_text.h"
#include "bundle/archive.h"

namespace tusk::bundle {

std::string manifest_json(const Manifest& m) {
  using base::json_string;
  std::string out = "{\n";
  out += fmt::format("  \"format\": {},\n", m.format);
  out += "  \"name\": " + json_string(m.name) + ",\n";
  out += "  \"version\": " + json_string(m.version) + ",\n";
  out += "  \"digest\": " + json_string(m.digest) + ",\n";
  out += "  \"main\": " + json_string(m.main) + ",\n";
  out += "  \"tusk_version\": " + json_string(m.tusk_version) + ",\n";
  out += "  \"created_at\": " + json_string(m.created_at) + ",\n";
  out += "  \"key_id\": " + json_string(m.key_id) + ",\n";
  out += fmt::format("  \"tests\": {{\"passed\": {}, \"failed\": {}, \"failures_allowed\": {}}},\n",
                     m.tests.passed, m.tests.failed, m.tests.failures_allowed ? "true" : "false");
  out += "  \"members\": [";
  for (std::size_t i = 0; i < m.members.size(); ++i) {
    const Member& x = m.members[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"path\": " + json_string(x.path) + ", \"role\": " + json_string(x.role) +
           fmt::format(", \"size\": {}, \"sha256\": ", x.size) + json_string(x.sha256) + "}";
  }
  out += m.members.empty() ? "]\n" : "\n  ]\n";
  out += "}\n";
  return out;
}

namespace {

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string parse_manifest(const std::string& text, Manifest& out) {
  namespace dom = simdjson::dom;
  dom::parser parser;
  dom::element root;
  if (auto err = parser.parse(text).get(root); err) {
    return fmt::format("not valid JSON: {}", simdjson::error_message(err));
  }
  if (!root.is_object()) return "not a JSON object";
  auto str = [&](const char* key, std::string& into) -> std::string {
    std::string_view v;
    if (root[key].get(v) != simdjson::SUCCESS) return fmt::format("`{}` is missing or not a string", key);
    into = std::string(v);
    return {};
  };
  int64_t format = 0;
  if (root["format"].get(format) != simdjson::SUCCESS) return "`format` is missing or not an integer";
  if (format != kFormat) {
    return fmt::format("bundle format {} is not supported (this tusk reads format {})", format, kFormat);
  }
  out.format = static_cast<int>(format);
  for (auto [key, into] : {std::pair<const char*, std::string*>{"name", &out.name},
                           {"version", &out.version},
                           {"digest", &out.digest},
                           {"main", &out.main},
                           {"tusk_version", &out.tusk_version},
                           {"created_at", &out.created_at},
                           {"key_id", &out.key_id}}) {
    if (std::string e = str(key, *into); !e.empty()) return e;
  }
  if (!is_hex64(out.digest)) return "`digest` is not 64 lowercase hex digits";
  dom::object tests;
  uint64_t passed = 0, failed = 0;
  bool allowed = false;
  if (root["tests"].get(tests) != simdjson::SUCCESS || tests["passed"].get(passed) != simdjson::SUCCESS ||
      tests["failed"].get(failed) != simdjson::SUCCESS ||
      tests["failures_allowed"].get(allowed) != simdjson::SUCCESS) {
    return "`tests` must be {\"passed\": N, \"failed\": N, \"failures_allowed\": BOOL}";
  }
  out.tests = {static_cast<std::size_t>(passed), static_cast<std::size_t>(failed), allowed};
  dom::array members;
  if (root["members"].get(members) != simdjson::SUCCESS) return "`members` is missing or not an array";
  std::set<std::string> seen;
  std::size_t i = 0;
  for (dom::element e : members) {
    Member m;
    std::string_view path, role, sha;
    uint64_t size = 0;
    if (e["path"].get(path) != simdjson::SUCCESS || e["role"].get(role) != simdjson::SUCCESS ||
        e["size"].get(size) != simdjson::SUCCESS || e["sha256"].get(sha) != simdjson::SUCCESS) {
      return fmt::format("member {} must have `path`, `role`, `size` and `sha256`", i);
    }
    m.path = std::string(path);
    m.role = std::string(role);
    m.size = size;
    m.sha256 = std::string(sha);
    if (std::string why = unsafe_name(m.path); !why.empty()) {
      return fmt::format("member `{}`: {}", m.path, why);
    }
    if (m.path.rfind("pack/", 0) != 0 && m.path.rfind("std/", 0) != 0) {
      return fmt::format("member `{}` is neither under pack/ nor under std/", m.path);
    }
    if (m.role != "source" && m.role != "test") {
      return fmt::format("member `{}` has an unknown role `{}`", m.path, m.role);
    }
    if (!is_hex64(m.sha256)) {
      return fmt::format("member `{}`: `sha256` is not 64 lowercase hex digits", m.path);
    }
    if (!seen.insert(m.path).second) return fmt::format("member `{}` is listed twice", m.path);
    out.members.push_back(std::move(m));
    ++i;
  }
  return {};
}

}  // namespace tusk::bundle
