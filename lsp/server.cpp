#include "lsp/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "base/diagnostic.h"
#include "compiler/front/driver.h"
#include "dsl/formatter.h"
#include "dsl/parser.h"
#include "lsp/index.h"
#include "lsp/jsonrpc.h"
#include "lsp/text.h"
#include "stdlib/fields.h"
#include "stdlib/functions.h"
#include "tools/test_runner.h"
#include "tusk/pack.h"
#include "tusk/version.h"

namespace tusk::lsp {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kServerNotInitialized = -32002;
constexpr int kRequestFailed = -32803;

constexpr std::size_t kHoverTerms = 12;       // terms shown in a lexicon's hover
constexpr std::size_t kMaxCompletions = 300;  // items in one completion answer
constexpr const char* kRunTestCommand = "tusk.runTest";

// LSP kinds (CompletionItemKind, DiagnosticSeverity, MessageType).
enum CompletionKind {
  kFunctionItem = 3,
  kFieldItem = 5,
  kModuleItem = 9,
  kValueItem = 12,
  kKeywordItem = 14,
  kReferenceItem = 18,
  kConstantItem = 21
};
enum MessageType { kErrorMessage = 1, kWarningMessage = 2, kInfoMessage = 3, kLogMessage = 4 };

struct RequestError {
  int code;
  std::string message;
};

struct Document {
  std::string path;
  std::string text;
  std::int64_t version = 0;
};

// A pack as last checked, with what the requests read from it.
struct PackState {
  std::string root;          // directory with pack.yaml, or a single .tusk file
  bool module_only = false;  // a module file, parsed on its own
  bool dirty = true;
  std::string last_changed;  // URI whose diagnostics are published last
  std::shared_ptr<compiler::front::LoadedPack> loaded;
  std::shared_ptr<compiler::front::LoadedPack> good;  // the last load that checked without errors
  std::unique_ptr<Index> index;
  std::set<std::string> published;  // URIs that were sent diagnostics
};

// A fix attached to a published diagnostic, for code actions.
// NOLINTNEXTLINE(bugprone-exception-escape): json's default constructor is not noexcept; it allocates nothing
struct StoredFix {
  json diagnostic;
  std::string title;
  std::string uri;
  json range;
  std::string new_text;
};

json range_json(Position a, Position b) {
  return {{"start", {{"line", a.line}, {"character", a.character}}},
          {"end", {{"line", b.line}, {"character", b.character}}}};
}

bool ranges_overlap(const json& a, const json& b) {
  auto key = [](const json& p) {
    return std::make_pair(p.at("line").get<int>(), p.at("character").get<int>());
  };
  return !(key(a.at("end")) < key(b.at("start")) || key(b.at("end")) < key(a.at("start")));
}

bool is_module_text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.substr(i, 2) == "//") {
      i = text.find('\n', i);
      if (i == std::string_view::npos) return false;
    } else if (text.substr(i, 2) == "/*") {
      i = text.find("*/", i);
      if (i == std::string_view::npos) return false;
      i += 2;
    } else {
      return text.substr(i, 7) == "module " || text.substr(i, 7) == "module\t";
    }
  }
  return false;
}

std::string md_code(std::string_view s) {
  // Inline code that survives backticks inside.
  return s.find('`') == std::string_view::npos ? fmt::format("`{}`", s) : fmt::format("`` {} ``", s);
}

std::string format_number(double v) {
  std::string s = fmt::format("{:.6g}", v);
  return s;
}

class Server {
 public:
  Server(std::istream& in, std::ostream& out, const ServerOptions& options) : in_(in), out_(out) {
    std::string dir = options.stdlib_dir.empty() ? compiler::front::default_stdlib_dir() : options.stdlib_dir;
    std::error_code ec;
    stdlib_dir_ = dir.empty() ? dir : fs::absolute(dir, ec).lexically_normal().generic_string();
  }

  int run() {
    // The reader owns a share of the queue: after `exit` it may still be blocked on input,
    // and outlives the server.
    std::thread reader([inbox = inbox_, &in = in_] { read_loop(*inbox, in); });
    int rc = 1;
    Inbox& box = *inbox_;
    while (true) {
      std::optional<std::string> body;
      bool more = false;
      {
        std::unique_lock lock(box.mu);
        box.cv.wait(lock, [&] { return !box.queue.empty(); });
        body = std::move(box.queue.front());
        box.queue.pop_front();
        more = !box.queue.empty();
      }
      if (!body) break;  // end of input
      if (handle(*body)) {
        rc = shutdown_ ? 0 : 1;
        break;
      }
      // A burst of edits is checked once, when it has been read.
      if (!more) {
        std::unique_lock lock(box.mu);
        more = !box.queue.empty();
      }
      if (!more) flush();
    }
    // The reader thread may be blocked on input; the process ends with the server.
    reader.detach();
    return rc;
  }

 private:
  // ------------------------------------------------------------------ transport

  struct Inbox {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::optional<std::string>> queue;  // nullopt: the input ended
  };

  static void read_loop(Inbox& box, std::istream& in) {
    while (true) {
      auto body = read_message(in);
      std::lock_guard lock(box.mu);
      box.queue.push_back(body);
      box.cv.notify_one();
      if (!body) return;
    }
  }

  void send(const json& msg) {
    write_message(out_, msg.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  void respond(const json& id, json result) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
  }
  void respond_error(const json& id, int code, const std::string& message) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }
  void notify(const std::string& method, json params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }
  void show_message(MessageType type, const std::string& text) {
    notify("window/showMessage", {{"type", static_cast<int>(type)}, {"message", text}});
  }

  // Returns true when the server should stop (`exit`).
  bool handle(const std::string& body) {
    json msg;
    try {
      msg = json::parse(body);
    } catch (const json::parse_error& e) {
      respond_error(nullptr, kParseError, fmt::format("the message is not JSON: {}", e.what()));
      return false;
    }
    if (!msg.is_object() || !msg.contains("method") || !msg["method"].is_string()) {
      if (msg.is_object() && msg.contains("id") && !msg.contains("method")) return false;  // a response to us
      respond_error(msg.is_object() && msg.contains("id") ? msg["id"] : json(nullptr), kInvalidRequest,
                    "a request needs a string `method`");
      return false;
    }
    const std::string method = msg["method"];
    const bool is_request = msg.contains("id");
    const json id = is_request ? msg["id"] : json(nullptr);
    const json params = msg.contains("params") ? msg["params"] : json::object();

    if (method == "exit") return true;
    if (!initialized_ && method != "initialize") {
      if (is_request) respond_error(id, kServerNotInitialized, "the server has not been initialized");
      return false;
    }
    if (shutdown_ && is_request) {
      respond_error(id, kInvalidRequest, "the server is shutting down");
      return false;
    }
    try {
      if (is_request) {
        respond(id, request(method, params));
      } else {
        notification(method, params);
      }
    } catch (const RequestError& e) {
      if (is_request) respond_error(id, e.code, e.message);
    } catch (const json::exception& e) {
      if (is_request) {
        respond_error(id, kInvalidParams, fmt::format("bad parameters for {}: {}", method, e.what()));
      }
    }
    return false;
  }

  json request(const std::string& method, const json& params) {
    if (method == "initialize") return initialize();
    if (method == "shutdown") {
      shutdown_ = true;
      return nullptr;
    }
    if (method == "textDocument/definition") return definition(params);
    if (method == "textDocument/references") return references(params);
    if (method == "textDocument/hover") return hover(params);
    if (method == "textDocument/completion") return completion(params);
    if (method == "textDocument/formatting") return formatting(params);
    if (method == "textDocument/codeAction") return code_action(params);
    if (method == "textDocument/codeLens") return code_lens(params);
    if (method == "workspace/executeCommand") return execute_command(params);
    throw RequestError{kMethodNotFound, fmt::format("unsupported request `{}`", method)};
  }

  void notification(const std::string& method, const json& params) {
    if (method == "textDocument/didOpen") {
      const auto& td = params.at("textDocument");
      const std::string uri = td.at("uri");
      const std::string path = uri_to_path(uri);
      if (path.empty()) return;
      docs_[uri] = {path, td.at("text").get<std::string>(), td.value("version", std::int64_t{0})};
      touch(uri);
    } else if (method == "textDocument/didChange") {
      const std::string uri = params.at("textDocument").at("uri");
      auto it = docs_.find(uri);
      if (it == docs_.end()) return;
      it->second.version = params.at("textDocument").value("version", it->second.version);
      for (const auto& change : params.at("contentChanges")) {
        // Full synchronization: each change is the whole text (ranged changes are not offered).
        if (!change.contains("range")) it->second.text = change.at("text").get<std::string>();
      }
      touch(uri);
    } else if (method == "textDocument/didClose") {
      const std::string uri = params.at("textDocument").at("uri");
      auto it = docs_.find(uri);
      if (it == docs_.end()) return;
      const std::string root = pack_root(it->second);
      docs_.erase(it);
      close_in_pack(root, uri);
    }
    // initialized, didSave, $/cancelRequest, $/setTrace and the rest need nothing.
  }

  json initialize() {
    initialized_ = true;
    return {{"capabilities",
             {{"positionEncoding", "utf-16"},
              {"textDocumentSync", {{"openClose", true}, {"change", 1}}},
              {"definitionProvider", true},
              {"referencesProvider", true},
              {"hoverProvider", true},
              {"completionProvider", {{"triggerCharacters", {"."}}}},
              {"documentFormattingProvider", true},
              {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
              {"codeLensProvider", {{"resolveProvider", false}}},
              {"executeCommandProvider", {{"commands", {kRunTestCommand}}}}}},
            {"serverInfo", {{"name", "tusk"}, {"version", std::string(tusk::version())}}}};
  }

  // ------------------------------------------------------------------ packs

  // The pack a document belongs to.
  std::string pack_root(const Document& doc) const {
    if (is_module_text(doc.text)) return doc.path;
    fs::path dir = fs::path(doc.path).parent_path();
    for (int depth = 0; depth < 16 && !dir.empty(); ++depth) {
      std::error_code ec;
      if (fs::is_regular_file(dir / "pack.yaml", ec) || open_path(dir / "pack.yaml")) {
        return dir.generic_string();
      }
      if (dir == dir.parent_path()) break;
      dir = dir.parent_path();
    }
    return doc.path;
  }

  bool open_path(const fs::path& p) const {
    const std::string s = p.lexically_normal().generic_string();
    return std::any_of(docs_.begin(), docs_.end(), [&](const auto& d) { return d.second.path == s; });
  }

  static bool under(const std::string& path, const std::string& root) {
    return path == root ||
           (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/');
  }

  void touch(const std::string& uri) {
    const Document& doc = docs_.at(uri);
    const std::string root = pack_root(doc);
    auto& st = packs_[root];
    if (!st) {
      st = std::make_unique<PackState>();
      st->root = root;
    }
    st->module_only = root == doc.path && is_module_text(doc.text);
    st->dirty = true;
    st->last_changed = uri;
  }

  void close_in_pack(const std::string& root, const std::string& uri) {
    auto it = packs_.find(root);
    if (it == packs_.end()) return;
    const bool any_open =
        std::any_of(docs_.begin(), docs_.end(), [&](const auto& d) { return under(d.second.path, root); });
    if (!any_open) {
      for (const auto& u : it->second->published) publish(u, json::array(), std::nullopt);
      packs_.erase(it);
      return;
    }
    it->second->dirty = true;
    it->second->last_changed = uri;
  }

  compiler::front::VirtualFiles virtual_files(const std::string& root) const {
    compiler::front::VirtualFiles vfs;
    for (const auto& [uri, doc] : docs_) {
      if (under(doc.path, root)) vfs[doc.path] = doc.text;
    }
    // With a virtual file map the loader lists only virtual files, so a pack.yaml without
    // `sources` needs the .tusk files beside it from disk too.
    std::error_code ec;
    if (fs::is_directory(root, ec)) {
      for (const auto& e : fs::directory_iterator(root, ec)) {
        if (!e.is_regular_file(ec)) continue;
        const std::string p = e.path().lexically_normal().generic_string();
        if (vfs.count(p) != 0 || (e.path().extension() != ".tusk" && e.path().filename() != "pack.yaml")) {
          continue;
        }
        std::ifstream f(e.path(), std::ios::binary);
        std::ostringstream ss;
        ss << f.rdbuf();
        vfs[p] = ss.str();
      }
    }
    return vfs;
  }

  compiler::front::CheckOptions check_options() const {
    compiler::front::CheckOptions o;
    o.stdlib_dir = stdlib_dir_;
    return o;
  }

  void analyze(PackState& st) {
    if (st.module_only) {
      auto lp = std::make_shared<compiler::front::LoadedPack>();
      for (const auto& [uri, doc] : docs_) {
        if (doc.path != st.root) continue;
        const base::SourceFile& src = lp->sources.add(doc.path, doc.text);
        lp->files.push_back(dsl::parse(src, lp->diags));
      }
      lp->diags.sort();
      st.loaded = std::move(lp);
    } else {
      st.loaded = std::shared_ptr<compiler::front::LoadedPack>(
          compiler::front::load_pack(st.root, check_options(), virtual_files(st.root)));
      if (st.loaded->checked) st.good = st.loaded;
    }
    st.index = std::make_unique<Index>(*st.loaded);
    st.dirty = false;
  }

  void flush() {
    for (auto& [root, st] : packs_) {
      if (!st->dirty) continue;
      analyze(*st);
      publish_pack(*st);
    }
  }

  // The analysed pack of a document, checked first if it changed.
  PackState& state_for(const std::string& uri) {
    auto it = docs_.find(uri);
    if (it == docs_.end()) throw RequestError{kRequestFailed, fmt::format("`{}` is not open", uri)};
    auto p = packs_.find(pack_root(it->second));
    if (p == packs_.end()) throw RequestError{kRequestFailed, fmt::format("`{}` belongs to no pack", uri)};
    if (p->second->dirty) {
      analyze(*p->second);
      publish_pack(*p->second);
    }
    return *p->second;
  }

  // ------------------------------------------------------------------ diagnostics

  const LineMap& lines(const base::SourceFile& f) {
    auto it = line_maps_.find(&f);
    if (it == line_maps_.end() || it->second.first != f.text().data()) {
      it = line_maps_.insert_or_assign(&f, std::make_pair(f.text().data(), LineMap(f.text()))).first;
    }
    return it->second.second;
  }

  json range_of(const compiler::front::LoadedPack& lp, base::Span s) {
    const base::SourceFile& f = lp.sources.file(s.source);
    const LineMap& m = lines(f);
    return range_json(m.position(s.begin), m.position(s.end));
  }

  json location(const compiler::front::LoadedPack& lp, base::Span s) {
    return {{"uri", path_to_uri(lp.sources.file(s.source).path())}, {"range", range_of(lp, s)}};
  }

  void publish_pack(PackState& st) {
    line_maps_.clear();
    const compiler::front::LoadedPack& lp = *st.loaded;
    std::map<std::string, json> by_uri;
    std::map<std::string, std::vector<StoredFix>> fixes;
    for (const auto& [uri, doc] : docs_) {
      if (under(doc.path, st.root)) by_uri[uri] = json::array();
    }
    for (const auto& u : st.published) by_uri.emplace(u, json::array());
    for (const auto& d : lp.diags.all()) {
      const auto& ci = base::info(d.code);
      std::string uri;
      json range = range_json({}, {});
      if (d.primary.span.valid()) {
        uri = path_to_uri(lp.sources.file(d.primary.span.source).path());
        range = range_of(lp, d.primary.span);
      } else {
        // No place in a file (a missing pack.yaml, no sources): shown at the top of the
        // document that was edited.
        uri = st.last_changed;
      }
      std::string message = d.message;
      if (!d.primary.message.empty()) message += fmt::format(" ({})", d.primary.message);
      for (const auto& n : d.notes) message += "\nnote: " + n;
      if (d.help) message += "\nhelp: " + *d.help;
      json diag = {{"range", range},
                   {"severity", d.severity == base::Severity::kError     ? 1
                                : d.severity == base::Severity::kWarning ? 2
                                                                         : 3},
                   {"code", std::string(ci.id)},
                   {"source", "tusk"},
                   {"message", message}};
      if (ci.name == "unused-lexicon" || ci.name.find("unused") != std::string_view::npos) diag["tags"] = {1};
      if (!d.secondary.empty()) {
        json rel = json::array();
        for (const auto& s : d.secondary) {
          if (s.span.valid()) rel.push_back({{"location", location(lp, s.span)}, {"message", s.message}});
        }
        diag["relatedInformation"] = rel;
      }
      if (d.fix && d.fix->span.valid()) {
        StoredFix f;
        f.uri = path_to_uri(lp.sources.file(d.fix->span.source).path());
        f.range = range_of(lp, d.fix->span);
        f.new_text = d.fix->replacement;
        const std::string old(lp.sources.file(d.fix->span.source).slice(d.fix->span));
        if (old.empty()) {
          f.title = fmt::format("Insert {}", md_code(f.new_text));
        } else if (f.new_text.empty()) {
          f.title = fmt::format("Remove {}", md_code(old));
        } else {
          f.title = fmt::format("Change {} to {}", md_code(old), md_code(f.new_text));
        }
        diag["data"] = {
            {"fix", {{"uri", f.uri}, {"range", f.range}, {"newText", f.new_text}, {"title", f.title}}}};
        f.diagnostic = diag;
        fixes[uri].push_back(f);
      }
      by_uri[uri].push_back(std::move(diag));
    }
    // Everything else first, the edited document last.
    std::vector<std::string> order;
    for (const auto& [uri, list] : by_uri) {
      if (uri != st.last_changed) order.push_back(uri);
    }
    if (by_uri.count(st.last_changed) != 0) order.push_back(st.last_changed);
    st.published.clear();
    for (const auto& uri : order) {
      fixes_[uri] = fixes[uri];
      auto doc = docs_.find(uri);
      publish(uri, by_uri[uri],
              doc == docs_.end() ? std::nullopt : std::optional<std::int64_t>(doc->second.version));
      if (!by_uri[uri].empty()) st.published.insert(uri);
    }
  }

  void publish(const std::string& uri, json diags, std::optional<std::int64_t> version) {
    json params = {{"uri", uri}, {"diagnostics", std::move(diags)}};
    if (version) params["version"] = *version;
    notify("textDocument/publishDiagnostics", std::move(params));
  }

  // ------------------------------------------------------------------ positions

  struct Target {
    PackState* st;
    const base::SourceFile* file;
    std::uint32_t offset;
  };

  Target target(const json& params) {
    const std::string uri = params.at("textDocument").at("uri");
    PackState& st = state_for(uri);
    const base::SourceFile* f = st.loaded->sources.find(docs_.at(uri).path);
    if (f == nullptr) {
      throw RequestError{kRequestFailed, fmt::format("`{}` is not a source of its pack", uri)};
    }
    const auto& p = params.at("position");
    const std::uint32_t off =
        lines(*f).offset({p.at("line").get<std::uint32_t>(), p.at("character").get<std::uint32_t>()});
    return {&st, f, off};
  }

  // The symbol named or declared at a place, if any.
  const Symbol* symbol_at(const Target& t) {
    if (const Symbol* s = t.st->index->symbol_at(t.file->id(), t.offset)) return s;
    if (const Occurrence* o = t.st->index->occurrence_at(t.file->id(), t.offset);
        o && o->kind == Occurrence::Kind::kSymbol) {
      return t.st->index->find(o->key);
    }
    return nullptr;
  }

  // ------------------------------------------------------------------ navigation

  json definition(const json& params) {
    Target t = target(params);
    const Symbol* s = symbol_at(t);
    if (s == nullptr) return nullptr;
    return location(*t.st->loaded, s->kind == SymbolKind::kModule ? s->decl_span : s->name_span);
  }

  json references(const json& params) {
    Target t = target(params);
    const Symbol* s = symbol_at(t);
    if (s == nullptr) return json::array();
    json out = json::array();
    const bool with_decl = params.contains("context") && params["context"].value("includeDeclaration", false);
    if (with_decl) out.push_back(location(*t.st->loaded, s->name_span));
    for (const Occurrence* o : t.st->index->references(s->key)) {
      out.push_back(location(*t.st->loaded, o->span));
    }
    return out;
  }

  // ------------------------------------------------------------------ hover

  json hover(const json& params) {
    Target t = target(params);
    const Index& index = *t.st->index;
    std::string md;
    base::Span span;
    if (const Symbol* s = symbol_at(t)) {
      md = describe(*t.st, *s);
      const Occurrence* o = index.occurrence_at(t.file->id(), t.offset);
      span = o && o->kind == Occurrence::Kind::kSymbol ? o->span : s->name_span;
      if (s->name_span.source == t.file->id() && s->name_span.begin <= t.offset &&
          t.offset <= s->name_span.end) {
        span = s->name_span;
      }
    } else if (const Occurrence* o = index.occurrence_at(t.file->id(), t.offset)) {
      span = o->span;
      if (o->kind == Occurrence::Kind::kField) {
        md = describe_field(*t.st, o->key);
      } else if (o->kind == Occurrence::Kind::kFunction) {
        const auto* fn = stdlib::find_function(o->key);
        if (fn) md = fmt::format("**function** `{}`\n\n{}", fn->name, fn->doc);
      }
    }
    if (md.empty()) return nullptr;
    return {{"contents", {{"kind", "markdown"}, {"value", md}}}, {"range", range_of(*t.st->loaded, span)}};
  }

  std::string describe_field(const PackState& st, const std::string& path) {
    if (path == "text") {
      std::vector<std::string> parts;
      const auto fields = st.good ? st.good->checked->fields : stdlib::default_fields();
      for (const auto& f : fields) {
        if (f.in_text) parts.push_back(md_code(f.path));
      }
      return fmt::format("**field** `text`: every free-text field of the listing ({})",
                         fmt::join(parts, ", "));
    }
    const auto fields = st.good ? st.good->checked->fields : stdlib::default_fields();
    for (const auto& f : fields) {
      if (f.path == path) {
        return fmt::format("**field** `{}`: {}{}", f.path, stdlib::to_string(f.type),
                           f.in_text ? " (part of `text`)" : "");
      }
    }
    return "";
  }

  const compiler::front::CheckedLexicon* checked_lexicon(const PackState& st, const std::string& key) const {
    if (!st.good) return nullptr;
    for (const auto& l : st.good->checked->lexicons) {
      if (l.name == key) return &l;
    }
    return nullptr;
  }

  static std::string one_line(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
      if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
    return out;
  }

  std::string describe(const PackState& st, const Symbol& s) {
    const compiler::front::LoadedPack& lp = *st.loaded;
    switch (s.kind) {
      case SymbolKind::kLexicon: {
        const auto* d = static_cast<const dsl::LexiconDecl*>(s.decl);
        std::string md = fmt::format("**lexicon** `{}`", s.key);
        if (const auto* l = checked_lexicon(st, s.key)) {
          md +=
              fmt::format(" — {} term{}, profile `{}`\n\n", l->terms.size(), l->terms.size() == 1 ? "" : "s",
                          l->profile.empty() ? st.good->checked->default_profile : l->profile);
          std::map<std::string, int> langs;
          for (const auto& term : l->terms) ++langs[term.lang.empty() ? "untagged" : term.lang];
          std::vector<std::string> lang_list;
          lang_list.reserve(langs.size());
          for (const auto& [lang, n] : langs) lang_list.push_back(fmt::format("{} {}", lang, n));
          md += fmt::format("Languages: {}\n\n", fmt::join(lang_list, ", "));
          md += "| term | lang | source |\n|---|---|---|\n";
          for (std::size_t i = 0; i < l->terms.size() && i < kHoverTerms; ++i) {
            const auto& term = l->terms[i];
            std::string text = term.text + (term.prefix ? "*" : "") +
                               (term.edit_distance ? fmt::format("~{}", term.edit_distance) : "");
            std::string source = term.source.empty() ? std::string("—") : term.source;
            if (!term.status.empty()) source += fmt::format(" ({})", term.status);
            for (auto* cell : {&text, &source}) {
              std::string esc;
              for (char c : *cell) esc += c == '|' ? std::string("\\|") : std::string(1, c);
              *cell = esc;
            }
            md += fmt::format("| {} | {} | {} |\n", text, term.lang.empty() ? "—" : term.lang, source);
          }
          if (l->terms.size() > kHoverTerms) {
            md +=
                fmt::format("\n… and {} more (`tusk lexicon show {}`)", l->terms.size() - kHoverTerms, s.key);
          }
          return md;
        }
        // Not checked (the pack has errors, or the lexicon is not used): what is written.
        if (d != nullptr && d->profile) md += fmt::format(", profile `{}`", d->profile->name);
        if (d != nullptr && d->body) {
          md +=
              fmt::format("\n\n```tusk\n{}\n```", lp.sources.file(d->body->span.source).slice(d->body->span));
        }
        return md;
      }
      case SymbolKind::kRule: {
        const auto* d = static_cast<const dsl::RuleDecl*>(s.decl);
        std::string md = fmt::format("**rule** `{}`", s.key);
        if (d->score) md += fmt::format(" — score {}", d->score->text);
        if (d->when) {
          md += fmt::format("\n\n```tusk\nwhen {}\n```",
                            one_line(lp.sources.file(d->when->span.source).slice(d->when->span)));
          // What each name in the condition resolves to.
          std::vector<std::string> seen;
          std::string names;
          for (const auto& o : st.index->occurrences()) {
            if (o.span.source != d->when->span.source || o.span.begin < d->when->span.begin ||
                o.span.end > d->when->span.end) {
              continue;
            }
            const std::string written(lp.sources.file(o.span.source).slice(o.span));
            if (std::find(seen.begin(), seen.end(), written) != seen.end()) continue;
            seen.push_back(written);
            names += fmt::format("- `{}`: {}\n", written, resolved(st, o));
          }
          if (!names.empty()) md += "\n\n" + names;
        }
        if (d->reason) md += fmt::format("\n\nreason: {}", d->reason->value);
        if (!d->tags.empty()) {
          std::vector<std::string> tags;
          for (const auto& tg : d->tags) tags.push_back(md_code(tg.value));
          md += fmt::format("\n\ntags: {}", fmt::join(tags, ", "));
        }
        return md;
      }
      case SymbolKind::kRegex: {
        const auto* d = static_cast<const dsl::RegexDecl*>(s.decl);
        return fmt::format("**regex** `{}`\n\n```tusk\n/{}/{}\n```", s.key, d->regex.pattern, d->regex.flags);
      }
      case SymbolKind::kAlternative: {
        const auto* d = static_cast<const dsl::AlternativeDecl*>(s.decl);
        std::string md = fmt::format("**alternative** `{}`", s.key);
        for (const auto& t : d->texts) {
          md += fmt::format("\n\n{}{}", t.lang ? fmt::format("[{}] ", t.lang->name) : "", t.text.value);
        }
        return md;
      }
      case SymbolKind::kModule: {
        std::size_t lexicons = 0, rules = 0;
        for (const auto& [k, sym] : st.index->symbols()) {
          if (k.size() > s.key.size() && k.compare(0, s.key.size() + 1, s.key + ".") == 0) {
            lexicons += sym.kind == SymbolKind::kLexicon;
            rules += sym.kind == SymbolKind::kRule;
          }
        }
        const std::string path = lp.sources.file(s.name_span.source).path();
        std::string rel = path;
        if (!stdlib_dir_.empty() && path.rfind(stdlib_dir_ + "/", 0) == 0) {
          rel = "stdlib/" + path.substr(stdlib_dir_.size() + 1);
        }
        return fmt::format("**module** `{}` — {} lexicon{}, {} rule{}\n\n{}", s.key, lexicons,
                           lexicons == 1 ? "" : "s", rules, rules == 1 ? "" : "s", md_code(rel));
      }
    }
    return "";
  }

  std::string resolved(const PackState& st, const Occurrence& o) {
    switch (o.kind) {
      case Occurrence::Kind::kSymbol: {
        const Symbol* s = st.index->find(o.key);
        if (s == nullptr) return "?";
        if (s->kind == SymbolKind::kLexicon) {
          if (const auto* l = checked_lexicon(st, s->key)) {
            return fmt::format("lexicon `{}`, {} term{}", s->key, l->terms.size(),
                               l->terms.size() == 1 ? "" : "s");
          }
        }
        if (s->kind == SymbolKind::kRule) {
          const auto* d = static_cast<const dsl::RuleDecl*>(s->decl);
          return fmt::format("rule `{}`{}", s->key,
                             d->score ? fmt::format(" (score {})", d->score->text) : "");
        }
        return fmt::format("{} `{}`", to_string(s->kind), s->key);
      }
      case Occurrence::Kind::kField: {
        if (o.key == "text") return "the listing's free text";
        const auto fields = st.good ? st.good->checked->fields : stdlib::default_fields();
        for (const auto& f : fields) {
          if (f.path == o.key) return fmt::format("field, {}", stdlib::to_string(f.type));
        }
        return "field";
      }
      case Occurrence::Kind::kFunction:
        return "function";
      case Occurrence::Kind::kUnknown:
        return "not defined";
    }
    return "";
  }

  // ------------------------------------------------------------------ completion

  std::vector<std::string> stdlib_modules() {
    if (!modules_.empty() || stdlib_dir_.empty()) return modules_;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(stdlib_dir_, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
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

  json completion(const json& params) {
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

  // ------------------------------------------------------------------ formatting

  json formatting(const json& params) {
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

  // ------------------------------------------------------------------ code actions and lenses

  json code_action(const json& params) {
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

  json code_lens(const json& params) {
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

  json execute_command(const json& params) {
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

  std::istream& in_;
  std::ostream& out_;
  std::string stdlib_dir_;
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  bool initialized_ = false;
  bool shutdown_ = false;
  std::map<std::string, Document> docs_;
  std::map<std::string, std::unique_ptr<PackState>> packs_;
  std::map<std::string, std::vector<StoredFix>> fixes_;
  std::map<const base::SourceFile*, std::pair<const char*, LineMap>> line_maps_;
  std::vector<std::string> modules_;
};

}  // namespace

int serve(std::istream& in, std::ostream& out, const ServerOptions& options) {
  // std::cin is tied to std::cout: each read would flush the output from the reader thread
  // while the main thread writes it.
  in.tie(nullptr);
  Server server(in, out, options);
  return server.run();
}

}  // namespace tusk::lsp
