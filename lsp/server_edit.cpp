// The language server: completion, formatting, code actions, lenses and commands
// (lsp/server_impl.h).
#include "lsp/server_impl.h"

namespace tusk::lsp {

std::vector<std::string> Server::stdlib_modules() {
  if (!modules_.empty() || stdlib_dir_.empty()) return modules_;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(stdlib_dir_, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec) || it->path().extension() != ".tusk") continue;
    fs::path rel = fs::relative(it->path(), stdlib_dir_, ec).replace_extension();
    std::string name = "std";
    for (const auto& part : rel) name += "." + part.string();
    modules_.push_back(name);
  }
  std::sort(modules_.begin(), modules_.end());
  return modules_;
}

json Server::completion(const json& params) {
  Target t = target(params);
  const std::string_view text = t.file->text();
  std::uint32_t start = t.offset;
  while (start > 0) {
    const unsigned char c = static_cast<unsigned char>(text[start - 1]);
    if (!(std::isalnum(c) || c == '_' || c == '.')) break;
    --start;
  }
  const std::string word(text.substr(start, t.offset - start));
  std::uint32_t line_start = start;
  while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
  std::string before(text.substr(line_start, start - line_start));
  while (!before.empty() && std::isspace(static_cast<unsigned char>(before.back()))) before.pop_back();
  while (!before.empty() && std::isspace(static_cast<unsigned char>(before.front()))) before.erase(0, 1);

  struct Item {
    std::string label;
    int kind;
    std::string detail;
  };
  std::vector<Item> items;
  if (before == "use") {
    for (const auto& m : stdlib_modules()) items.push_back({m, kModuleItem, "stdlib module"});
  } else {
    const std::string& module = t.st->index->module_of(t.file->id());
    for (const auto& [key, s] : t.st->index->symbols()) {
      if (s.kind == SymbolKind::kModule) continue;
      std::string label = key;
      if (!module.empty() && key.rfind(module + ".", 0) == 0) label = key.substr(module.size() + 1);
      const int kind = s.kind == SymbolKind::kRule    ? kReferenceItem
                       : s.kind == SymbolKind::kRegex ? kValueItem
                                                      : kConstantItem;
      std::string detail = to_string(s.kind);
      if (s.kind == SymbolKind::kLexicon) {
        if (const auto* l = checked_lexicon(*t.st, key)) {
          detail += fmt::format(", {} terms", l->terms.size());
        }
      }
      items.push_back({label, kind, detail});
    }
    const auto fields = t.st->good ? t.st->good->checked->fields : stdlib::default_fields();
    items.push_back({"text", kFieldItem, "field: every free-text field"});
    for (const auto& f : fields) {
      items.push_back({f.path, kFieldItem, fmt::format("field, {}", stdlib::to_string(f.type))});
    }
    for (const auto& fn : stdlib::functions()) {
      items.push_back({std::string(fn.name), kFunctionItem, std::string(fn.doc)});
    }
    for (const auto& m : stdlib_modules()) items.push_back({m, kModuleItem, "stdlib module"});
    for (const char* kw :
         {"and",       "or",      "not",    "mentions", "matches", "in",     "within",  "words",
          "rule",      "lexicon", "regex",  "when",     "score",   "reason", "tag",     "message",
          "decide",    "suggest", "test",   "expect",   "listing", "use",    "profile", "load",
          "otherwise", "allow",   "review", "block",    "true",    "false"}) {
      items.push_back({kw, kKeywordItem, "keyword"});
    }
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.label, a.kind) < std::tie(b.label, b.kind);
  });
  items.erase(
      std::unique(items.begin(), items.end(),
                  [](const Item& a, const Item& b) { return a.label == b.label && a.kind == b.kind; }),
      items.end());
  const json edit_range = range_json(lines(*t.file).position(start), lines(*t.file).position(t.offset));
  json list = json::array();
  bool incomplete = !word.empty();
  for (const auto& it : items) {
    if (!word.empty() && it.label.rfind(word, 0) != 0) continue;
    if (list.size() == kMaxCompletions) {
      incomplete = true;
      break;
    }
    json item = {{"label", it.label}, {"kind", it.kind}, {"detail", it.detail}};
    if (!word.empty()) item["textEdit"] = {{"range", edit_range}, {"newText", it.label}};
    list.push_back(std::move(item));
  }
  return {{"isIncomplete", incomplete}, {"items", list}};
}

json Server::formatting(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  auto it = docs_.find(uri);
  if (it == docs_.end()) throw RequestError{kRequestFailed, fmt::format("`{}` is not open", uri)};
  base::SourceManager sources;
  base::Diagnostics diags;
  const base::SourceFile& src = sources.add(it->second.path, it->second.text);
  const dsl::File file = dsl::parse(src, diags);
  if (diags.has_errors()) {
    // As `tusk fmt`: a file with syntax errors is not formatted (it would lose what failed).
    throw RequestError{kRequestFailed, "cannot format a file with syntax errors; fix them first"};
  }
  const std::string formatted = dsl::format(file, src);
  if (formatted == it->second.text) return json::array();
  const LineMap m(it->second.text);
  return json::array(
      {{{"range", range_json({0, 0}, m.position(static_cast<std::uint32_t>(it->second.text.size())))},
        {"newText", formatted}}});
}

json Server::code_action(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  if (docs_.count(uri) != 0) state_for(uri);
  json out = json::array();
  auto it = fixes_.find(uri);
  if (it == fixes_.end()) return out;
  for (const auto& f : it->second) {
    if (!ranges_overlap(f.diagnostic.at("range"), params.at("range"))) continue;
    json edit = {{"range", f.range}, {"newText", f.new_text}};
    out.push_back({{"title", f.title},
                   {"kind", "quickfix"},
                   {"isPreferred", true},
                   {"diagnostics", json::array({f.diagnostic})},
                   {"edit", {{"changes", {{f.uri, json::array({edit})}}}}}});
  }
  return out;
}

json Server::code_lens(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  PackState& st = state_for(uri);
  json out = json::array();
  const base::SourceFile* f = st.loaded->sources.find(docs_.at(uri).path);
  if (f == nullptr || st.module_only) return out;
  for (const auto& file : st.loaded->files) {
    if (file.source != f->id()) continue;
    for (const auto& decl : file.decls) {
      const auto* t = std::get_if<dsl::TestDecl>(&decl);
      if (t == nullptr) continue;
      const LineMap& m = lines(*f);
      out.push_back(
          {{"range", range_json(m.position(t->span.begin), m.position(t->name.span.end))},
           {"command",
            {{"title", "▶ Run test"}, {"command", kRunTestCommand}, {"arguments", {uri, t->name.value}}}}});
    }
  }
  return out;
}

json Server::execute_command(const json& params) {
  const std::string command = params.at("command");
  if (command != kRunTestCommand) {
    throw RequestError{kInvalidParams, fmt::format("unknown command `{}`", command)};
  }
  const json& args = params.at("arguments");
  if (!args.is_array() || args.size() != 2 || !args[0].is_string() || !args[1].is_string()) {
    throw RequestError{kInvalidParams, "tusk.runTest takes [document URI, test name]"};
  }
  const std::string uri = args[0];
  const std::string name = args[1];
  auto doc = docs_.find(uri);
  if (doc == docs_.end()) throw RequestError{kRequestFailed, fmt::format("`{}` is not open", uri)};
  const std::string root = pack_root(doc->second);
  CompileOptions options;
  options.stdlib_dir = stdlib_dir_;
  options.backend = Backend::kInterp;  // one listing: no time for machine code to pay off
  auto compiled = Pack::compile_sources(virtual_files(root), root, options);
  json result = {{"test", name}};
  if (!compiled.pack) {
    const std::string msg = fmt::format("test \"{}\" did not run: the pack has errors", name);
    show_message(kErrorMessage, msg);
    result["passed"] = false;
    result["error"] = msg;
    return result;
  }
  const auto cases = tools::inline_tests(*compiled.pack);
  auto c =
      std::find_if(cases.begin(), cases.end(), [&](const tools::TestCase& tc) { return tc.name == name; });
  if (c == cases.end()) {
    throw RequestError{kRequestFailed, fmt::format("the pack has no test \"{}\"", name)};
  }
  tools::TestRunner runner(compiled.pack);
  const tools::CaseResult r = runner.run(*c);
  result["passed"] = r.passed;
  result["action"] = to_string(r.verdict.action);
  result["score"] = r.verdict.score;
  json failures = json::array();
  for (const auto& f : r.failures) failures.push_back({{"expected", f.expected}, {"actual", f.actual}});
  result["failures"] = failures;
  if (!r.error.empty()) result["error"] = r.error;
  std::string msg;
  if (r.passed) {
    msg = fmt::format("✓ test \"{}\" passed: {}, score {}", name, to_string(r.verdict.action),
                      format_number(r.verdict.score));
    show_message(kInfoMessage, msg);
  } else {
    std::vector<std::string> why;
    for (const auto& f : r.failures) {
      why.push_back(fmt::format("expected {}, got {}", f.expected, f.actual));
    }
    if (!r.error.empty()) why.push_back(r.error);
    msg = fmt::format("✗ test \"{}\" failed: {}", name, fmt::join(why, "; "));
    show_message(kErrorMessage, msg);
    if (!r.explanation.empty()) {
      notify("window/logMessage", {{"type", static_cast<int>(kLogMessage)}, {"message", r.explanation}});
    }
  }
  return result;
}

}  // namespace tusk::lsp
