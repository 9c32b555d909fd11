#include "lsp/server_impl.h"

namespace tusk::lsp {

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

Server::Server(std::istream& in, std::ostream& out, const ServerOptions& options) : in_(in), out_(out) {
  std::string dir = options.stdlib_dir.empty() ? compiler::front::default_stdlib_dir() : options.stdlib_dir;
  std::error_code ec;
  stdlib_dir_ = dir.empty() ? dir : fs::absolute(dir, ec).lexically_normal().generic_string();
}

int Server::run() {
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

void Server::read_loop(Inbox& box, std::istream& in) {
  while (true) {
    auto body = read_message(in);
    std::lock_guard lock(box.mu);
    box.queue.push_back(body);
    box.cv.notify_one();
    if (!body) return;
  }
}

void Server::send(const json& msg) {
  write_message(out_, msg.dump(-1, ' ', false, json::error_handler_t::replace));
}

void Server::respond(const json& id, json result) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Server::respond_error(const json& id, int code, const std::string& message) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void Server::notify(const std::string& method, json params) {
  send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

void Server::show_message(MessageType type, const std::string& text) {
  notify("window/showMessage", {{"type", static_cast<int>(type)}, {"message", text}});
}

bool Server::handle(const std::string& body) {
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

json Server::request(const std::string& method, const json& params) {
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

void Server::notification(const std::string& method, const json& params) {
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

json Server::initialize() {
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

std::string Server::pack_root(const Document& doc) const {
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

bool Server::open_path(const fs::path& p) const {
  const std::string s = p.lexically_normal().generic_string();
  return std::any_of(docs_.begin(), docs_.end(), [&](const auto& d) { return d.second.path == s; });
}

bool Server::under(const std::string& path, const std::string& root) {
  return path == root ||
         (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/');
}

void Server::touch(const std::string& uri) {
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

void Server::close_in_pack(const std::string& root, const std::string& uri) {
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

compiler::front::VirtualFiles Server::virtual_files(const std::string& root) const {
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

compiler::front::CheckOptions Server::check_options() const {
  compiler::front::CheckOptions o;
  o.stdlib_dir = stdlib_dir_;
  return o;
}

void Server::analyze(PackState& st) {
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

void Server::flush() {
  for (auto& [root, st] : packs_) {
    if (!st->dirty) continue;
    analyze(*st);
    publish_pack(*st);
  }
}

PackState& Server::state_for(const std::string& uri) {
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

const LineMap& Server::lines(const base::SourceFile& f) {
  auto it = line_maps_.find(&f);
  if (it == line_maps_.end() || it->second.first != f.text().data()) {
    it = line_maps_.insert_or_assign(&f, std::make_pair(f.text().data(), LineMap(f.text()))).first;
  }
  return it->second.second;
}

json Server::range_of(const compiler::front::LoadedPack& lp, base::Span s) {
  const base::SourceFile& f = lp.sources.file(s.source);
  const LineMap& m = lines(f);
  return range_json(m.position(s.begin), m.position(s.end));
}

json Server::location(const compiler::front::LoadedPack& lp, base::Span s) {
  return {{"uri", path_to_uri(lp.sources.file(s.source).path())}, {"range", range_of(lp, s)}};
}

void Server::publish_pack(PackState& st) {
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

void Server::publish(const std::string& uri, json diags, std::optional<std::int64_t> version) {
  json params = {{"uri", uri}, {"diagnostics", std::move(diags)}};
  if (version) params["version"] = *version;
  notify("textDocument/publishDiagnostics", std::move(params));
}

int serve(std::istream& in, std::ostream& out, const ServerOptions& options) {
  // std::cin is tied to std::cout: each read would flush the output from the reader thread
  // while the main thread writes it.
  in.tie(nullptr);
  Server server(in, out, options);
  return server.run();
}

}  // namespace tusk::lsp
