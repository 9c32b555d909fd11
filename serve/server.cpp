#include "serve/server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_set>
#include <vector>

#include "accounts/open_state.h"
#include "base/json_text.h"
#include "base/sha256.h"
#include "serve/log.h"
#include "serve/metrics.h"
#include "serve/pack_location.h"
#include "serve/review_console.h"
#include "serve/verdict_recorder.h"
#include "tools/explain_json.h"
#include "tusk/engine.h"
#include "tusk/version.h"

namespace tusk::serve {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

std::string error_json(std::string_view code, std::string_view message) {
  std::string out = "{\"error\":{\"code\":";
  base::append_json_string(out, code);
  out += ",\"message\":";
  base::append_json_string(out, message);
  out += "}}\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// The decision log: one JSON line per verdict, flushed after every request so that nothing
// decided is lost when the process stops.

class DecisionLog {
 public:
  bool open(const std::string& target, std::string& error) {
    if (target.empty()) return true;
    if (target == "-") {
      file_ = stdout;
      return true;
    }
    file_ = std::fopen(target.c_str(), "ab");
    owned_ = file_ != nullptr;
    if (!file_) error = fmt::format("cannot open the decision log {} for appending", target);
    return file_ != nullptr;
  }
  ~DecisionLog() {
    if (owned_) std::fclose(file_);
  }
  bool enabled() const { return file_ != nullptr; }
  void write(const std::string& lines) {
    std::lock_guard lock(mutex_);
    std::fwrite(lines.data(), 1, lines.size(), file_);
    std::fflush(file_);
  }

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::mutex mutex_;
};

void append_decision(std::string& out, std::string_view request_id, std::string_view time,
                     std::string_view route, std::uint64_t line, double seconds, const Verdict& v) {
  out += "{\"request_id\":";
  base::append_json_string(out, request_id);
  out += ",\"time\":";
  base::append_json_string(out, time);
  out += ",\"route\":";
  base::append_json_string(out, route);
  if (line) out += fmt::format(",\"line\":{}", line);
  out += ",\"pack_digest\":";
  base::append_json_string(out, v.pack.digest);
  out += fmt::format(",\"duration_us\":{:.1f},\"verdict\":", seconds * 1e6);
  append_json(out, v);
  out += "}\n";
}

// ---------------------------------------------------------------------------------------------
// Shared state.

struct ReloadOutcome {
  bool ok = false;
  std::string stage;         // "compile" or "test" on failure
  bool pack_errors = false;  // errors in the pack or its test files (see LoadedPack)
  std::string error;
  std::string name, version, digest, previous_digest;
  std::size_t tests_passed = 0;
  double seconds = 0;
};

struct ActiveInfo {
  std::string name, version, digest, source, activated_at;
  std::size_t tests_passed = 0;
};

class Service;

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void drain() = 0;  // close now if idle, else after the response in progress
};

struct Worker {
  std::unordered_set<SessionBase*> sessions;
  std::unique_ptr<EngineScanner> scanner;  // used only on this worker's thread
  Verdict verdict;                         // reused between requests
  std::vector<std::string_view> lines;     // a batch request's group of lines, reused
  std::vector<Verdict> verdicts;           // and their verdicts, reused
  std::thread thread;
  // Declared last so that it is destroyed first: the handlers it still holds own sessions,
  // which unregister themselves from `sessions` above.
  net::io_context ioc{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
};

class Service {
 public:
  explicit Service(Options o) : opt(std::move(o)) {
    if (!opt.loader) {
      LocationSettings s;
      s.location = opt.pack;
      s.public_key_file = opt.public_key;
      s.ca_file = opt.pack_ca_file;
      source = std::make_unique<PackLocation>(std::move(s));
    }
  }

  Options opt;
  std::unique_ptr<PackLocation> source;  // null when a test supplies opt.loader
  Metrics metrics;
  DecisionLog decisions;
  std::string admin_digest;  // SHA-256 of the admin token; empty: admin routes are off
  std::optional<ssl::context> tls;
  std::vector<std::unique_ptr<Worker>> workers;
  std::atomic<bool> draining{false};
  std::string request_id_prefix;
  std::atomic<std::uint64_t> request_counter{0};
  std::unique_ptr<ReviewConsole> console;     // null: started without --store
  std::unique_ptr<VerdictRecorder> recorder;  // flagged verdicts into --store; null without it
  std::shared_ptr<StateStore> state;          // account state (--state); null: the engine's in-memory store

  const Engine* engine() const { return engine_.load(std::memory_order_acquire); }
  EngineScanner* scanner(Worker& w) {
    if (!w.scanner) {
      const Engine* e = engine();
      if (!e) return nullptr;
      w.scanner = std::make_unique<EngineScanner>(*e);
    }
    return w.scanner.get();
  }
  ActiveInfo active() const {
    std::lock_guard lock(info_mutex_);
    return active_;
  }

  // Reloads run one at a time on their own thread; requests that arrive during a reload are
  // answered by the next one, which starts after them and so sees the files as they are now.
  using ReloadDone = std::function<void(const ReloadOutcome&)>;
  void request_reload(std::string reason, ReloadDone done) {
    {
      std::lock_guard lock(reload_mutex_);
      pending_.push_back(std::move(done));
      reasons_.push_back(std::move(reason));
    }
    reload_cv_.notify_one();
  }
  void start_reloader() {
    reload_thread_ = std::thread([this] { reload_loop(); });
  }
  void stop_reloader() {
    {
      std::lock_guard lock(reload_mutex_);
      stop_ = true;
    }
    reload_cv_.notify_one();
    if (reload_thread_.joinable()) reload_thread_.join();
  }

 private:
  void reload_loop() {
    for (;;) {
      std::vector<ReloadDone> waiting;
      std::string reason;
      {
        std::unique_lock lock(reload_mutex_);
        auto wake = [&] { return stop_ || !pending_.empty(); };
        if (opt.watch_seconds > 0 && source) {
          const auto period = std::chrono::milliseconds(static_cast<long long>(opt.watch_seconds * 1000));
          if (!reload_cv_.wait_for(lock, period, wake)) {
            lock.unlock();
            poll_source();
            continue;
          }
        } else {
          reload_cv_.wait(lock, wake);
        }
        if (stop_) return;
        waiting.swap(pending_);
        reason = reasons_.front();
        reasons_.clear();
      }
      const ReloadOutcome outcome = reload_now(reason);
      for (auto& done : waiting) done(outcome);
    }
  }

  // --watch: reload when the source changed (files touched, a new bundle at the URL). Only
  // while a pack is active: until the first load succeeds, the startup path decides.
  void poll_source() {
    if (!engine()) return;
    std::string error;
    const bool changed = source->changed(error);
    if (!error.empty()) {
      metrics.poll(false);
      log("warn", "checking the pack source failed; the active pack stays",
          {{"source", opt.pack}, {"error", error}});
      return;
    }
    metrics.poll(true);
    if (changed) reload_now("watch");
  }

  ReloadOutcome reload_now(const std::string& reason) {
    const auto started = Clock::now();
    CompileOptions copts;
    copts.stdlib_dir = opt.stdlib;
    copts.backend = opt.backend == "jit"      ? Backend::kJit
                    : opt.backend == "interp" ? Backend::kInterp
                                              : Backend::kAuto;
    LoadedPack loaded;
    try {
      loaded = opt.loader ? opt.loader(opt.pack, copts) : source->load(copts);
    } catch (const std::exception& e) {
      loaded.stage = "compile";
      loaded.error = e.what();
    }
    ReloadOutcome out;
    out.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    {
      std::lock_guard lock(info_mutex_);
      out.previous_digest = active_.digest;
    }
    if (!loaded.pack) {
      out.stage = loaded.stage.empty() ? "compile" : loaded.stage;
      out.pack_errors = loaded.pack_errors;
      out.error = loaded.error;
      metrics.reload(false);
      log("error", "pack rejected; the active pack stays",
          {{"reason", reason},
           {"source", opt.pack},
           {"stage", out.stage},
           {"error", out.error},
           {"active_digest", out.previous_digest},
           raw_field("seconds", fmt::format("{:.3f}", out.seconds))});
      return out;
    }
    const PackInfo& info = loaded.pack->info();
    if (reason == "watch" && info.digest == out.previous_digest) {
      // Touched but not changed (a file saved again, a bundle re-uploaded): nothing to swap.
      out.ok = true;
      out.digest = info.digest;
      log("info", "the pack source changed but its digest did not; nothing to activate",
          {{"source", opt.pack}, {"digest", info.digest}});
      return out;
    }
    // Before the first verdict of this pack: its sources go to the store, for evidence bundles.
    if (recorder) recorder->pack_activated(*loaded.pack);
    if (engine_owner_) {
      engine_owner_->swap(loaded.pack);
    } else {
      engine_owner_ = std::make_unique<Engine>(loaded.pack);
      if (state) engine_owner_->set_state(state);
      engine_.store(engine_owner_.get(), std::memory_order_release);
    }
    const double unix_now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    {
      std::lock_guard lock(info_mutex_);
      active_ = ActiveInfo{info.name, info.version, info.digest, opt.pack, utc_now(), loaded.tests_passed};
    }
    metrics.set_pack(info.name, info.version, info.digest, unix_now);
    metrics.reload(true);
    out.ok = true;
    out.name = info.name;
    out.version = info.version;
    out.digest = info.digest;
    out.tests_passed = loaded.tests_passed;
    log("info", "pack activated",
        {{"reason", reason},
         {"source", opt.pack},
         {"name", info.name},
         {"version", info.version},
         {"digest", info.digest},
         {"previous_digest", out.previous_digest},
         raw_field("tests_passed", std::to_string(loaded.tests_passed)),
         raw_field("seconds", fmt::format("{:.3f}", out.seconds))});
    return out;
  }

  std::atomic<const Engine*> engine_{nullptr};
  std::unique_ptr<Engine> engine_owner_;  // written only by the reload thread
  mutable std::mutex info_mutex_;
  ActiveInfo active_;

  std::mutex reload_mutex_;
  std::condition_variable reload_cv_;
  std::vector<ReloadDone> pending_;
  std::vector<std::string> reasons_;
  bool stop_ = false;
  std::thread reload_thread_;
};

std::string reload_json(const ReloadOutcome& o) {
  std::string out = fmt::format("{{\"ok\":{}", o.ok ? "true" : "false");
  auto field = [&](const char* key, const std::string& value) {
    out += fmt::format(",\"{}\":", key);
    base::append_json_string(out, value);
  };
  if (o.ok) {
    field("name", o.name);
    field("version", o.version);
    field("digest", o.digest);
    field("previous_digest", o.previous_digest);
    out += fmt::format(",\"tests_passed\":{}", o.tests_passed);
  } else {
    out += ",\"error\":{\"code\":";
    base::append_json_string(out, o.stage == "test" ? "pack_tests_failed" : "pack_compile_failed");
    out += ",\"message\":";
    base::append_json_string(out, o.error);
    out += "}";
    field("active_digest", o.previous_digest);
  }
  out += fmt::format(",\"seconds\":{:.3f}}}\n", o.seconds);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Routing.

struct RouteMatch {
  Route route = Route::kUnmatched;
  http::verb method = http::verb::get;  // the one method the route answers
};

RouteMatch match_route(std::string_view target) {
  const auto q = target.find('?');
  if (q != std::string_view::npos) target = target.substr(0, q);
  if (target == "/v1/screen") return {Route::kScreen, http::verb::post};
  if (target == "/v1/screen/batch") return {Route::kScreenBatch, http::verb::post};
  if (target == "/v1/explain") return {Route::kExplain, http::verb::post};
  if (target == "/v1/pack") return {Route::kPack, http::verb::get};
  if (target == "/v1/pack/reload") return {Route::kPackReload, http::verb::post};
  if (target == "/healthz") return {Route::kHealthz, http::verb::get};
  if (target == "/readyz") return {Route::kReadyz, http::verb::get};
  if (target == "/metrics") return {Route::kMetrics, http::verb::get};
  if (target == "/review" || target.rfind("/review/", 0) == 0) return {Route::kReview, http::verb::unknown};
  return {};
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// A connection: reads requests one after the other (keep-alive), answers each on this worker's
// thread, and closes on a timeout, a protocol error, `Connection: close` or a drain.

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <class... Args>
  Session(Service& svc, Worker& worker, tcp::socket socket, Args&&... args)
      : svc_(svc), worker_(worker), stream_(std::move(socket), std::forward<Args>(args)...) {
    svc_.metrics.connection_opened();
    worker_.sessions.insert(this);
  }
  ~Session() override {
    worker_.sessions.erase(this);
    svc_.metrics.connection_closed();
  }

  void start() {
    if constexpr (kTls) {
      lowest().expires_after(seconds(svc_.opt.read_timeout));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close();
                                self->wait_for_request();
                              });
    } else {
      wait_for_request();
    }
  }

  // Answers 503 and closes: the connection cap is reached.
  void reject() {
    svc_.metrics.connection_rejected();
    close_after_ = true;
    started_ = Clock::now();
    res_ = {};
    res_.version(11);
    respond_error(Route::kUnmatched, http::status::service_unavailable, "too_many_connections",
                  "the server has reached its connection limit; retry later");
    if constexpr (kTls) {
      lowest().expires_after(seconds(svc_.opt.read_timeout));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close();
                                self->write();
                              });
    } else {
      write();
    }
  }

  void drain() override {
    close_after_ = true;
    if (idle_) {
      idle_ = false;
      beast::error_code ec;
      lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
      lowest().cancel();
    }
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void wait_for_request() {
    if (svc_.draining.load() || close_after_) return close();
    if (buffer_.size() > 0) return read_header();
    // Keep-alive: wait for the first byte of the next request within the idle timeout.
    idle_ = true;
    lowest().expires_after(seconds(svc_.opt.idle_timeout));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->idle_ = false;
                              if (ec || n == 0) return self->close();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    request_id_.clear();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(svc_.opt.header_limit));
    // No body limit while the header is parsed: Beast would reject a Content-Length over it
    // before the route is known, and the answer could not name the route and its limit.
    // on_header sets the route's limit (and answers 413 at once for a Content-Length over it).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    // The whole request, headers and body, must arrive within the read timeout.
    lowest().expires_after(seconds(svc_.opt.read_timeout));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec, Route::kUnmatched);
    auto& req = parser_->get();
    match_ = match_route(req.target());
    if (match_.route == Route::kScreenBatch) {
      limit_ = svc_.opt.batch_body_limit;
    } else {
      limit_ = svc_.opt.body_limit;
    }
    const auto length = parser_->content_length();
    if (length && *length > limit_) {
      close_after_ = true;
      linger_ = true;
      return respond_too_large();
    }
    parser_->body_limit(limit_);
    if (req[http::field::expect] == "100-continue" && !parser_->is_done()) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(stream_, *cont,
                        [self = this->shared_from_this(), cont](beast::error_code ec, std::size_t) {
                          if (ec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    if (match_.route == Route::kScreenBatch && parser_->get().method() == match_.method &&
        svc_.scanner(worker_)) {
      return start_batch();
    }
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->on_read_error(ec, self->match_.route);
                       self->handle();
                     });
  }

  void on_read_error(beast::error_code ec, Route route) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::eof || ec == net::error::connection_reset ||
        ec == ssl::error::stream_truncated) {
      return close();  // the client went away or was too slow: nothing to answer
    }
    close_after_ = true;
    linger_ = true;
    res_ = {};
    res_.version(11);
    started_ = Clock::now();
    if (ec == http::error::body_limit) return respond_too_large();
    if (ec == http::error::header_limit) {
      respond_error(route, http::status::request_header_fields_too_large, "headers_too_large",
                    fmt::format("the request line and headers exceed {} bytes", svc_.opt.header_limit));
    } else {
      respond_error(route, http::status::bad_request, "bad_request",
                    fmt::format("malformed HTTP request: {}", ec.message()));
    }
    write();
  }

  void respond_too_large() {
    res_ = {};
    res_.version(11);
    started_ = Clock::now();
    respond_error(match_.route, http::status::payload_too_large, "body_too_large",
                  fmt::format("the request body exceeds the limit of {} bytes for {}", limit_,
                              route_label(match_.route)));
    write();
  }

  void respond_error(Route route, http::status status, std::string_view code, std::string_view message) {
    res_.result(status);
    res_.set(http::field::content_type, "application/json");
    res_.body() = error_json(code, message);
    route_ = route;
  }

  void respond_json(Route route, http::status status, std::string body,
                    const char* type = "application/json") {
    res_.result(status);
    res_.set(http::field::content_type, type);
    res_.body() = std::move(body);
    route_ = route;
  }

  void handle() {
    started_ = Clock::now();
    auto& req = parser_->get();
    res_ = {};
    res_.version(req.version());
    take_request_id(req["X-Request-Id"]);
    if (!req.keep_alive()) close_after_ = true;

    const Route route = match_.route;
    if (route == Route::kReview) {
      review(req);
    } else if (route == Route::kUnmatched) {
      respond_error(route, http::status::not_found, "not_found",
                    fmt::format("no route {}", std::string(req.target())));
    } else if (req.method() != match_.method) {
      res_.set(http::field::allow, http::to_string(match_.method));
      respond_error(
          route, http::status::method_not_allowed, "method_not_allowed",
          fmt::format("{} answers {} only", route_label(route), std::string(http::to_string(match_.method))));
    } else {
      switch (route) {
        case Route::kScreen:
          screen(req.body());
          break;
        case Route::kScreenBatch:
          // Only when no pack was active as the body began: otherwise it is streamed (start_batch).
          respond_error(route, http::status::service_unavailable, "not_ready", "no pack is active yet");
          break;
        case Route::kExplain:
          explain(req.body());
          break;
        case Route::kPack:
          pack_info();
          break;
        case Route::kPackReload:
          if (!admin_allowed(req)) break;
          return reload();  // answers later, from the reload thread's outcome
        case Route::kHealthz:
          respond_json(route, http::status::ok, "{\"status\":\"ok\"}\n");
          break;
        case Route::kReadyz:
          readyz();
          break;
        case Route::kMetrics:
          respond_json(route, http::status::ok, svc_.metrics.render(),
                       "text/plain; version=0.0.4; charset=utf-8");
          break;
        default:
          break;
      }
    }
    write();
  }

  // The reviewer console (serve/review_console.h) answers everything under /review.
  void review(const http::request<http::string_body>& req) {
    if (!svc_.console) {
      respond_error(
          Route::kReview, http::status::not_found, "console_off",
          "the reviewer console is off: start tusk serve with --store and --review-users");  // also without
                                                                                             // users
      return;
    }
    beast::error_code ec;
    const auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    ConsoleRequest creq{std::string(req.method_string()),
                        std::string(req.target()),
                        std::string(req[http::field::cookie]),
                        std::string(req[http::field::content_type]),
                        req.body(),
                        ec ? "" : peer.address().to_string(),
                        {}};
    // Read only when the operator named the header: otherwise a client could sign itself in.
    if (!svc_.opt.review_trusted_header.empty()) {
      const auto [first, last] = req.equal_range(svc_.opt.review_trusted_header);
      if (first != last && std::next(first) != last) {
        // A proxy that adds its header after the client's instead of replacing it: which one
        // is the proxy's cannot be told, so neither is believed.
        respond_error(Route::kReview, http::status::bad_request, "ambiguous_trusted_header",
                      fmt::format("the {} header appears more than once", svc_.opt.review_trusted_header));
        return;
      }
      if (first != last) creq.trusted_user = std::string(first->value());
    }
    ConsoleResponse cres = svc_.console->handle(creq);
    res_.result(cres.status);
    res_.set(http::field::content_type, cres.content_type);
    for (auto& [name, value] : cres.headers) res_.insert(name, value);
    res_.body() = std::move(cres.body);
    route_ = Route::kReview;
  }

  EngineScanner* scanner_or_503() {
    EngineScanner* s = svc_.scanner(worker_);
    if (!s) {
      respond_error(match_.route, http::status::service_unavailable, "not_ready", "no pack is active yet");
    }
    return s;
  }

  void screen(const std::string& body) {
    EngineScanner* es = scanner_or_503();
    if (!es) return;
    Verdict& v = worker_.verdict;
    es->scan(body, v);
    svc_.metrics.verdict(v);
    if (!v.ok) {
      respond_error(Route::kScreen, http::status::bad_request, "invalid_listing", v.error);
      return;
    }
    std::string out;
    append_json(out, v);
    if (svc_.recorder && svc_.recorder->keeps(v)) svc_.recorder->add(body, v, out);
    out += '\n';
    respond_json(Route::kScreen, http::status::ok, std::move(out));
    if (svc_.decisions.enabled()) {
      std::string line;
      append_decision(line, request_id_, utc_now(), "/v1/screen", 0, elapsed(), v);
      svc_.decisions.write(line);
    }
  }

  // ---- POST /v1/screen/batch, streamed ----
  //
  // The `tusk scan` contract: one output line per input line, in order; a line that cannot be
  // read gets {"line": N, "error": "..."} in its place. One pack decides the whole batch. The
  // body is screened as it arrives and the verdicts go out as chunks of the response
  // (Transfer-Encoding: chunked) while the client is still sending: the server holds at most
  // one read and one chunk of output per connection, whatever the batch's size. The counts
  // come last, as trailers (X-Tusk-Records, X-Tusk-Errors).

  struct Batch {
    EngineScanner* scanner = nullptr;
    std::uint64_t line = 0, errors = 0;
    std::size_t consumed = 0;  // bytes of the body string already screened
    std::string out, sending, decisions, time;
    bool header_sent = false;
    std::optional<http::response<http::empty_body>> header;
    std::optional<http::response_serializer<http::empty_body>> serializer;
    http::fields trailer;
  };

  void start_batch() {
    started_ = Clock::now();
    auto& req = parser_->get();
    take_request_id(req["X-Request-Id"]);
    if (!req.keep_alive()) close_after_ = true;
    route_ = Route::kScreenBatch;
    batch_.emplace();
    batch_->scanner = svc_.scanner(worker_);
    // Beast reads at most the buffer's free capacity (a few KB after the headers): without
    // room, a 7 MB body came in 4 KB reads, each with its own screening group, output chunk,
    // timer resets and system calls.
    buffer_.reserve(kBatchRead);
    if (svc_.decisions.enabled()) batch_->time = utc_now();
    batch_read();
  }

  void batch_read() {
    if (parser_->is_done()) return batch_finish();
    lowest().expires_after(seconds(svc_.opt.read_timeout));
    http::async_read_some(stream_, buffer_, *parser_,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->batch_broken(ec);
                            self->batch_screen(false);
                            if (self->parser_->is_done()) return self->batch_finish();
                            // What was read is answered before reading on: a client that sends a line and
                            // waits for its verdict gets it, and the server holds one read's worth of output
                            // at most.
                            if (self->batch_->out.empty()) return self->batch_read();
                            self->batch_flush([self] { self->batch_read(); });
                          });
  }

  // Screens the complete lines received so far (and, at the end, a last line without a newline),
  // then drops them from the body string so it holds only the unfinished line. The lines are
  // screened in groups of up to kScreenGroup with Scanner::scan_batch: a pack with account state
  // reads the state of a group's entities once and writes its updates once (docs/accounts.md),
  // and the verdicts are those of the same lines screened one by one.
  static constexpr std::size_t kScreenGroup = 256;
  static constexpr std::size_t kBatchRead = 256 << 10;  // bytes of body per read, at most
  void batch_screen(bool last) {
    Batch& b = *batch_;
    std::string& body = parser_->get().body();
    Scanner& scanner = b.scanner->scanner();
    std::vector<std::string_view>& lines = worker_.lines;
    std::vector<Verdict>& verdicts = worker_.verdicts;
    std::size_t pos = 0;
    for (;;) {
      lines.clear();
      while (pos < body.size() && lines.size() < kScreenGroup) {
        std::size_t end = body.find('\n', pos);
        if (end == std::string::npos) {
          if (!last) break;
          end = body.size();
        }
        std::string_view text(body.data() + pos, end - pos);
        pos = end + 1;
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        lines.push_back(text);
      }
      if (lines.empty()) break;
      const auto t0 = svc_.decisions.enabled() ? Clock::now() : Clock::time_point{};
      scanner.scan_batch(lines, verdicts);
      // A group is screened as one: each line is logged with its share of the group's time.
      double each = 0;
      if (svc_.decisions.enabled()) {
        each = std::chrono::duration<double>(Clock::now() - t0).count() / static_cast<double>(lines.size());
      }
      for (std::size_t i = 0; i < lines.size(); ++i) {
        Verdict& v = verdicts[i];
        v.line = ++b.line;
        if (!v.ok) ++b.errors;
        svc_.metrics.verdict(v);
        const std::size_t at = b.out.size();
        append_json(b.out, v);
        if (svc_.recorder && svc_.recorder->keeps(v)) {
          svc_.recorder->add(lines[i], v, std::string_view(b.out).substr(at));
        }
        b.out += '\n';
        if (svc_.decisions.enabled()) {
          append_decision(b.decisions, request_id_, b.time, "/v1/screen/batch", b.line, each, v);
        }
      }
    }
    body.erase(0, std::min(pos, body.size()));
  }

  // Sends the response header once, then the output so far as one chunk; `next` runs after.
  template <class Next>
  void batch_flush(Next next) {
    Batch& b = *batch_;
    if (!b.header_sent) {
      if (svc_.draining.load()) close_after_ = true;
      b.header.emplace(http::status::ok, 11);
      b.header->set(http::field::server, "tusk");
      b.header->set(http::field::content_type, "application/x-ndjson");
      b.header->set("X-Request-Id", request_id_);
      b.header->set(http::field::trailer, "X-Tusk-Records, X-Tusk-Errors");
      b.header->keep_alive(!close_after_);
      b.header->chunked(true);
      b.serializer.emplace(*b.header);
      lowest().expires_after(seconds(svc_.opt.read_timeout));
      http::async_write_header(
          stream_, *b.serializer,
          [self = this->shared_from_this(), next](beast::error_code ec, std::size_t) mutable {
            if (ec) return self->close();
            self->batch_->header_sent = true;
            self->batch_flush(std::move(next));
          });
      return;
    }
    if (b.out.empty()) return next();
    b.sending.swap(b.out);
    b.out.clear();
    lowest().expires_after(seconds(svc_.opt.read_timeout));
    net::async_write(stream_, http::make_chunk(net::buffer(b.sending)),
                     [self = this->shared_from_this(), next](beast::error_code ec, std::size_t) mutable {
                       if (ec) return self->close();
                       next();
                     });
  }

  void batch_finish() {
    batch_screen(true);
    batch_flush([self = this->shared_from_this()] {
      Batch& b = *self->batch_;
      b.trailer.set("X-Tusk-Records", std::to_string(b.line));
      b.trailer.set("X-Tusk-Errors", std::to_string(b.errors));
      self->svc_.metrics.request(Route::kScreenBatch, 200, self->elapsed());
      if (!b.decisions.empty()) self->svc_.decisions.write(b.decisions);
      net::async_write(self->stream_, http::make_chunk_last(b.trailer),
                       [self](beast::error_code ec, std::size_t) {
                         self->batch_.reset();
                         self->buffer_.shrink_to_fit();  // an idle connection keeps no batch-sized buffer
                         if (ec || self->close_after_) return self->close();
                         self->parser_.reset();
                         self->wait_for_request();
                       });
    });
  }

  // The request broke off (a body over the limit, bad chunked encoding, a client too slow or
  // gone). Before any answer was sent, the usual JSON error answers it; after, the status is
  // already out, so the connection is closed without the last chunk: a client sees an
  // incomplete response, never a complete-looking one that lacks lines.
  void batch_broken(beast::error_code ec) {
    const bool answered = batch_->header_sent;
    if (!batch_->decisions.empty()) svc_.decisions.write(batch_->decisions);
    batch_.reset();
    if (!answered) return on_read_error(ec, Route::kScreenBatch);
    log("warn", "a streamed batch broke off after its answer began; closing the connection",
        {{"request_id", request_id_}, {"error", ec.message()}});
    close_after_ = true;
    close();
  }

  void explain(const std::string& body) {
    EngineScanner* es = scanner_or_503();
    if (!es) return;
    std::string out, error;
    if (!tools::explain_json(es->scanner(), body, out, error)) {
      respond_error(Route::kExplain, http::status::bad_request, "invalid_listing", error);
      return;
    }
    out += '\n';
    respond_json(Route::kExplain, http::status::ok, std::move(out));
  }

  void pack_info() {
    const ActiveInfo a = svc_.active();
    if (a.digest.empty()) {
      respond_error(Route::kPack, http::status::service_unavailable, "not_ready", "no pack is active yet");
      return;
    }
    std::string out = "{\"name\":";
    base::append_json_string(out, a.name);
    out += ",\"version\":";
    base::append_json_string(out, a.version);
    out += ",\"digest\":";
    base::append_json_string(out, a.digest);
    out += ",\"source\":";
    base::append_json_string(out, a.source);
    out += ",\"activated_at\":";
    base::append_json_string(out, a.activated_at);
    out += fmt::format(",\"tests_passed\":{}}}\n", a.tests_passed);
    respond_json(Route::kPack, http::status::ok, std::move(out));
  }

  void readyz() {
    if (svc_.draining.load()) {
      respond_error(Route::kReadyz, http::status::service_unavailable, "draining",
                    "the server is shutting down");
    } else if (!svc_.engine()) {
      respond_error(Route::kReadyz, http::status::service_unavailable, "not_ready", "no pack is active yet");
    } else {
      const ActiveInfo a = svc_.active();
      respond_json(Route::kReadyz, http::status::ok,
                   fmt::format("{{\"status\":\"ready\",\"digest\":\"{}\"}}\n", a.digest));
    }
  }

  bool admin_allowed(const http::request<http::string_body>& req) {
    if (svc_.admin_digest.empty()) {
      respond_error(Route::kPackReload, http::status::forbidden, "admin_disabled",
                    "admin routes are off: start the server with --admin-token-file");
      return false;
    }
    const auto auth = req[http::field::authorization];
    constexpr std::string_view kBearer = "Bearer ";
    bool ok = false;
    if (auth.size() > kBearer.size() && beast::iequals(auth.substr(0, kBearer.size()), kBearer)) {
      // Compare digests of equal length in constant time: neither the token's bytes nor its
      // length leak through the comparison's timing.
      const std::string given =
          base::sha256_hex(std::string_view(auth.data() + kBearer.size(), auth.size() - kBearer.size()));
      ok = CRYPTO_memcmp(given.data(), svc_.admin_digest.data(), given.size()) == 0;
    }
    if (!ok) {
      res_.set(http::field::www_authenticate, "Bearer realm=\"tusk\"");
      respond_error(Route::kPackReload, http::status::unauthorized, "unauthorized",
                    "this route needs the admin bearer token (Authorization: Bearer TOKEN)");
    }
    return ok;
  }

  void reload() {
    auto self = this->shared_from_this();
    Worker* worker = &worker_;
    svc_.request_reload("admin", [self, worker](const ReloadOutcome& outcome) {
      net::post(worker->ioc, [self, outcome] {
        self->respond_json(Route::kPackReload,
                           outcome.ok ? http::status::ok : http::status::unprocessable_entity,
                           reload_json(outcome));
        self->write();
      });
    });
  }

  // The client's X-Request-Id when it is a sane token, else a new one.
  void take_request_id(std::string_view given) {
    request_id_ = valid_request_id(given)
                      ? std::string(given)
                      : fmt::format("{}-{:x}", svc_.request_id_prefix, svc_.request_counter.fetch_add(1) + 1);
  }

  double elapsed() const { return std::chrono::duration<double>(Clock::now() - started_).count(); }

  void write() {
    if (svc_.draining.load()) close_after_ = true;
    if (request_id_.empty()) {
      take_request_id(parser_ && parser_->is_header_done() ? parser_->get()["X-Request-Id"] : "");
    }
    res_.set(http::field::server, "tusk");
    res_.set("X-Request-Id", request_id_);
    res_.keep_alive(!close_after_);
    res_.prepare_payload();
    svc_.metrics.request(route_, res_.result_int(), elapsed());
    lowest().expires_after(seconds(svc_.opt.read_timeout));
    http::async_write(stream_, res_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || self->close_after_) return self->close();
      self->parser_.reset();
      self->wait_for_request();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    if constexpr (kTls) {
      lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ec2;
        self->lowest().socket().close(ec2);
      });
      return;
    }
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger_) {
      // After an error answer the client may still be sending its body: read and drop it for a
      // moment so that closing does not reset the connection before the client reads the answer.
      lowest().expires_after(std::chrono::seconds(1));
      return discard();
    }
    lowest().socket().close(ec);
  }

  void discard() {
    auto sink = std::make_shared<std::array<char, 16384>>();
    lowest().async_read_some(net::buffer(*sink),
                             [self = this->shared_from_this(), sink](beast::error_code ec, std::size_t) {
                               if (ec) {
                                 beast::error_code ec2;
                                 self->lowest().socket().close(ec2);
                                 return;
                               }
                               self->discard();
                             });
  }

  Service& svc_;
  Worker& worker_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  std::optional<Batch> batch_;  // while a batch request is streamed
  RouteMatch match_;
  Route route_ = Route::kUnmatched;
  std::size_t limit_ = 0;
  std::string request_id_;
  Clock::time_point started_;
  bool idle_ = false;
  bool close_after_ = false;
  bool linger_ = false;
  bool closed_ = false;
};

using PlainSession = Session<beast::tcp_stream>;
using TlsSession = Session<beast::ssl_stream<beast::tcp_stream>>;

// ---------------------------------------------------------------------------------------------

// A header name as proxies set them: letters, digits and '-' (a subset of RFC 9110's token).
bool valid_header_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const unsigned char c : name) {
    if (!std::isalnum(c) && c != '-') return false;
  }
  return true;
}

bool parse_listen(const std::string& listen, tcp::endpoint& ep, std::string& error) {
  std::string host, port;
  if (!listen.empty() && listen.front() == '[') {
    const auto close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      error = fmt::format("--listen {}: expected [IPV6]:PORT", listen);
      return false;
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
      error = fmt::format("--listen {}: expected HOST:PORT", listen);
      return false;
    }
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (host == "localhost") host = "127.0.0.1";
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) {
    error = fmt::format("--listen {}: {} is not an IP address", listen, host);
    return false;
  }
  unsigned long p = 0;
  try {
    std::size_t used = 0;
    p = std::stoul(port, &used);
    if (used != port.size() || p > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    error = fmt::format("--listen {}: bad port {}", listen, port);
    return false;
  }
  ep = tcp::endpoint(address, static_cast<unsigned short>(p));
  return true;
}

std::string read_file(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Acceptor {
 public:
  Acceptor(Service& svc, net::io_context& ioc) : svc_(svc), acceptor_(ioc) {}

  bool open(const tcp::endpoint& ep, std::string& error) {
    beast::error_code ec;
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      error = fmt::format("cannot listen on {}:{}: {}", ep.address().to_string(), ep.port(), ec.message());
      return false;
    }
    return true;
  }
  tcp::endpoint local() const { return acceptor_.local_endpoint(); }

  void accept() {
    Worker& w = *svc_.workers[next_++ % svc_.workers.size()];
    acceptor_.async_accept(w.ioc, [this, &w](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        net::post(w.ioc, [this, &w, socket = std::move(socket)]() mutable { start(w, std::move(socket)); });
      }
      accept();
    });
  }
  void close() {
    beast::error_code ec;
    acceptor_.close(ec);
  }

 private:
  void start(Worker& w, tcp::socket socket) {
    const bool full = svc_.metrics.open_connections() >= static_cast<std::int64_t>(svc_.opt.max_connections);
    if (svc_.tls) {
      auto s = std::make_shared<TlsSession>(svc_, w, std::move(socket), *svc_.tls);
      full ? s->reject() : s->start();
    } else {
      auto s = std::make_shared<PlainSession>(svc_, w, std::move(socket));
      full ? s->reject() : s->start();
    }
  }

  Service& svc_;
  tcp::acceptor acceptor_;
  std::size_t next_ = 0;
};

}  // namespace

int run(Options options) {
  Service svc(std::move(options));
  const Options& opt = svc.opt;
  std::string error;
  tcp::endpoint endpoint;
  auto fail = [](const std::string& message) {
    log("error", message);
    return 2;
  };
  if (opt.pack.empty()) return fail("no pack: give --pack or `pack:` in the config file");
  if (svc.source) {
    if (std::string e = svc.source->check(); !e.empty()) return fail(e);
  }
  if (opt.watch_seconds < 0) return fail("--watch: expected a number of seconds, 0 for off");
  if (!parse_listen(opt.listen, endpoint, error)) return fail(error);
  if (opt.backend != "auto" && opt.backend != "jit" && opt.backend != "interp") {
    return fail(fmt::format("backend {}: expected auto, jit or interp", opt.backend));
  }
  if (!opt.admin_token_file.empty()) {
    bool ok = false;
    std::string token = read_file(opt.admin_token_file, ok);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
      token.pop_back();
    }
    if (!ok) return fail(fmt::format("cannot read the admin token file {}", opt.admin_token_file));
    if (token.size() < 16) {
      return fail(fmt::format("the admin token in {} is shorter than 16 characters", opt.admin_token_file));
    }
    svc.admin_digest = base::sha256_hex(token);
  }
  if (opt.tls_cert.empty() != opt.tls_key.empty()) return fail("TLS needs both --tls-cert and --tls-key");
  if (!opt.tls_cert.empty()) {
    svc.tls.emplace(ssl::context::tls_server);
    svc.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    svc.tls->use_certificate_chain_file(opt.tls_cert, ec);
    if (ec) return fail(fmt::format("cannot load the TLS certificate {}: {}", opt.tls_cert, ec.message()));
    svc.tls->use_private_key_file(opt.tls_key, ssl::context::pem, ec);
    if (ec) return fail(fmt::format("cannot load the TLS key {}: {}", opt.tls_key, ec.message()));
  }
  if (!svc.decisions.open(opt.decision_log, error)) return fail(error);
  if (!opt.store.empty()) {
    try {
      // The console needs reviewer accounts; without them the store only receives verdicts.
      if (!opt.review_users.empty()) {
        svc.console = std::make_unique<ReviewConsole>(
            ConsoleOptions{.store = opt.store,
                           .users_file = opt.review_users,
                           .tls = svc.tls.has_value(),
                           .evidence_key = opt.evidence_key,
                           .pack_dir = opt.pack,
                           .stdlib_dir = opt.stdlib,
                           .trusted_header = opt.review_trusted_header,
                           // The account store the engine reads and updates (--state, else its in-memory
                           // one); null until the first pack is active.
                           .account_state = [&svc]() -> std::shared_ptr<StateStore> {
                             const Engine* e = svc.engine();
                             return e ? e->state() : nullptr;
                           }});
      }
    } catch (const std::exception& e) {
      return fail(e.what());
    }
    try {
      svc.recorder = std::make_unique<VerdictRecorder>(opt.store, opt.store_actions);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  } else if (!opt.review_users.empty()) {
    return fail("--review-users needs --store: the reviewer console works on a verdict store");
  }
  if (!opt.review_trusted_header.empty()) {
    if (opt.review_users.empty()) {
      return fail(
          "--review-trusted-header needs the console (--store and --review-users): names it gives must be "
          "reviewers");
    }
    if (!valid_header_name(opt.review_trusted_header)) {
      return fail(fmt::format("--review-trusted-header {}: not a header name (letters, digits and -)",
                              opt.review_trusted_header));
    }
    log("warn",
        "reviewers are signed in by a request header: only a reverse proxy that strips it from clients may "
        "reach "
        "this port",
        {{"header", opt.review_trusted_header}, {"listen", opt.listen}});
  }
  if (!opt.state.empty()) {
    try {
      svc.state = accounts::open_state(opt.state);
    } catch (const std::exception& e) {
      return fail(fmt::format("--state: {}", e.what()));
    }
  }
  {
    std::random_device rd;
    svc.request_id_prefix = fmt::format("{:08x}", rd());
  }

  const unsigned threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 0; t < threads; ++t) {
    auto w = std::make_unique<Worker>();
    w->guard.emplace(w->ioc.get_executor());
    svc.workers.push_back(std::move(w));
  }
  Acceptor acceptor(svc, svc.workers[0]->ioc);
  if (!acceptor.open(endpoint, error)) return fail(error);
  const tcp::endpoint bound = acceptor.local();

  // The control thread (this one): signals, the first load, shutdown.
  net::io_context control{1};
  net::signal_set signals(control, SIGINT, SIGTERM, SIGHUP);
  int exit_code = 0;
  bool stopping = false;
  std::function<void()> wait_signal;
  auto begin_shutdown = [&](const std::string& why) {
    if (stopping) return;
    stopping = true;
    svc.draining.store(true);
    log("info", "draining",
        {{"reason", why},
         raw_field("open_connections", std::to_string(svc.metrics.open_connections())),
         raw_field("drain_seconds", fmt::format("{}", opt.drain_seconds))});
    net::post(svc.workers[0]->ioc, [&] { acceptor.close(); });
    for (auto& w : svc.workers) {
      Worker* wp = w.get();
      net::post(wp->ioc, [wp] {
        std::vector<SessionBase*> sessions(wp->sessions.begin(), wp->sessions.end());
        for (SessionBase* s : sessions) s->drain();
      });
    }
    const auto deadline = Clock::now() + seconds(opt.drain_seconds);
    auto timer = std::make_shared<net::steady_timer>(control);
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [&, timer, deadline, poll] {
      if (svc.metrics.open_connections() <= 0 || Clock::now() >= deadline) {
        if (svc.metrics.open_connections() > 0) {
          log("warn", "drain deadline passed; closing the remaining connections",
              {raw_field("open_connections", std::to_string(svc.metrics.open_connections()))});
        }
        signals.cancel();
        control.stop();
        return;
      }
      timer->expires_after(std::chrono::milliseconds(10));
      timer->async_wait([poll](beast::error_code) { (*poll)(); });
    };
    (*poll)();
  };
  wait_signal = [&] {
    signals.async_wait([&](beast::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        if (!stopping) svc.request_reload("SIGHUP", [](const ReloadOutcome&) {});
      } else {
        if (stopping) {
          log("warn", "second signal: stopping without waiting for the drain");
          control.stop();
          return;
        }
        begin_shutdown(sig == SIGTERM ? "SIGTERM" : "SIGINT");
      }
      wait_signal();
    });
  };
  wait_signal();

  for (auto& w : svc.workers) {
    Worker* wp = w.get();
    wp->thread = std::thread([wp] { wp->ioc.run(); });
  }
  svc.start_reloader();
  acceptor.accept();
  log("info", "listening",
      {{"address", bound.address().to_string()},
       raw_field("port", std::to_string(bound.port())),
       raw_field("threads", std::to_string(threads)),
       raw_field("tls", svc.tls ? "true" : "false"),
       raw_field("admin", svc.admin_digest.empty() ? "false" : "true"),
       raw_field("review_console", svc.console ? "true" : "false"),
       {"pack", opt.pack},
       {"version", version()}});
  svc.request_reload("startup", [&](const ReloadOutcome& o) {
    if (!o.ok) {
      const int code = o.pack_errors ? 3 : 2;  // the CLI's kExitPackErrors / kExitUsage
      net::post(control, [&, code] {
        log("error", "the pack could not be loaded at startup; stopping");
        exit_code = code;
        begin_shutdown("startup failure");
      });
    }
  });

  control.run();

  for (auto& w : svc.workers) w->ioc.stop();
  for (auto& w : svc.workers) {
    if (w->thread.joinable()) w->thread.join();
  }
  svc.stop_reloader();
  if (svc.recorder) {
    svc.recorder.reset();  // writes what is still queued
  }
  if (svc.state) {
    try {
      svc.state->flush();
    } catch (const std::exception& e) {
      log("error", "cannot flush the account state", {{"error", e.what()}});
    }
  }
  log("info", "stopped", {raw_field("exit_code", std::to_string(exit_code))});
  return exit_code;
}

}  // namespace tusk::serve
