// Inside the language server (lsp/server.h): the Server class and what its parts share. Its
// code is split by feature: server.cpp (transport, requests, packs, diagnostics),
// server_navigation.cpp (positions, definitions, references, hover) and server_edit.cpp
// (completion, formatting, code actions, lenses and commands).
#pragma once

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
#include "lsp/server.h"
#include "lsp/text.h"
#include "stdlib/fields.h"
#include "stdlib/functions.h"
#include "tools/test_runner.h"
#include "tusk/pack.h"
#include "tusk/version.h"

namespace tusk::lsp {

namespace fs = std::filesystem;
using json = nlohmann::json;

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kServerNotInitialized = -32002;
inline constexpr int kRequestFailed = -32803;

inline constexpr std::size_t kHoverTerms = 12;       // terms shown in a lexicon's hover
inline constexpr std::size_t kMaxCompletions = 300;  // items in one completion answer
inline constexpr const char* kRunTestCommand = "tusk.runTest";

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

json range_json(Position a, Position b);
bool ranges_overlap(const json& a, const json& b);
bool is_module_text(std::string_view text);
std::string md_code(std::string_view s);
std::string format_number(double v);

class Server {
 public:
  Server(std::istream& in, std::ostream& out, const ServerOptions& options);

  int run();

 private:
  // ------------------------------------------------------------------ transport

  struct Inbox {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::optional<std::string>> queue;  // nullopt: the input ended
  };

  static void read_loop(Inbox& box, std::istream& in);

  void send(const json& msg);
  void respond(const json& id, json result);
  void respond_error(const json& id, int code, const std::string& message);
  void notify(const std::string& method, json params);
  void show_message(MessageType type, const std::string& text);

  // Returns true when the server should stop (`exit`).
  bool handle(const std::string& body);

  json request(const std::string& method, const json& params);

  void notification(const std::string& method, const json& params);

  json initialize();

  // ------------------------------------------------------------------ packs

  // The pack a document belongs to.
  std::string pack_root(const Document& doc) const;

  bool open_path(const fs::path& p) const;

  static bool under(const std::string& path, const std::string& root);

  void touch(const std::string& uri);

  void close_in_pack(const std::string& root, const std::string& uri);

  compiler::front::VirtualFiles virtual_files(const std::string& root) const;

  compiler::front::CheckOptions check_options() const;

  void analyze(PackState& st);

  void flush();

  // The analysed pack of a document, checked first if it changed.
  PackState& state_for(const std::string& uri);

  // ------------------------------------------------------------------ diagnostics

  const LineMap& lines(const base::SourceFile& f);

  json range_of(const compiler::front::LoadedPack& lp, base::Span s);

  json location(const compiler::front::LoadedPack& lp, base::Span s);

  void publish_pack(PackState& st);

  void publish(const std::string& uri, json diags, std::optional<std::int64_t> version);

  // ------------------------------------------------------------------ positions

  struct Target {
    PackState* st;
    const base::SourceFile* file;
    std::uint32_t offset;
  };

  Target target(const json& params);

  // The symbol named or declared at a place, if any.
  const Symbol* symbol_at(const Target& t);

  // ------------------------------------------------------------------ navigation

  json definition(const json& params);

  json references(const json& params);

  // ------------------------------------------------------------------ hover

  json hover(const json& params);

  std::string describe_field(const PackState& st, const std::string& path);

  const compiler::front::CheckedLexicon* checked_lexicon(const PackState& st, const std::string& key) const;

  static std::string one_line(std::string_view s);

  std::string describe(const PackState& st, const Symbol& s);

  std::string resolved(const PackState& st, const Occurrence& o);

  // ------------------------------------------------------------------ completion

  std::vector<std::string> stdlib_modules();

  json completion(const json& params);

  // ------------------------------------------------------------------ formatting

  json formatting(const json& params);

  // ------------------------------------------------------------------ code actions and lenses

  json code_action(const json& params);

  json code_lens(const json& params);

  json execute_command(const json& params);

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

}  // namespace tusk::lsp
