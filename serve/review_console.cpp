#include "serve/review_console.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "base/json_text.h"
#include "base/sha256.h"
#include "base/utc_time.h"
#include "serve/review_assets.h"
#include "serve/review_explain.h"
#include "serve/review_users.h"
#include "serve/review_web.h"
#include "store/evidence.h"
#include "store/store.h"

namespace tusk::serve {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSessionCookie = "tusk_review";
constexpr const char* kLoginCookie = "tusk_review_login";
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

// ---------------------------------------------------------------------------------------------
// Sessions and failed sign-ins, in memory: a restart signs everybody out and forgets failures.

struct Session {
  std::string user, csrf;
  Clock::time_point created, last;
};

struct Failures {
  std::deque<Clock::time_point> times;
  Clock::time_point locked_until{};
};

constexpr std::size_t kDefaultPage = 100, kMaxPage = 500;
constexpr std::size_t kHistory = 20;  // a seller's other listings shown on a verdict's page

struct Filter {
  std::string action = "review", tag, rule, family, lang, seller;
  std::size_t limit = 0;  // items per queue page; 0: kDefaultPage

  static Filter from(const Params& p) {
    Filter f;
    auto get = [&](const char* k) {
      auto it = p.find(k);
      return it == p.end() ? std::string() : it->second;
    };
    f.action = get("action");
    if (f.action != "block" && f.action != "all") f.action = "review";
    f.tag = get("tag");
    f.rule = get("rule");
    f.family = get("family");
    f.lang = get("lang");
    f.seller = get("seller");
    const std::string n = get("limit");
    if (!n.empty() && n.size() <= 4 && n.find_first_not_of("0123456789") == std::string::npos) {
      f.limit = std::min<std::size_t>(std::stoul(n), kMaxPage);
    }
    return f;
  }
  std::size_t page_size() const { return limit ? limit : kDefaultPage; }
  std::string query() const {
    std::string q;
    auto add = [&](const char* k, const std::string& v) {
      if (!v.empty()) q += fmt::format("{}{}={}", q.empty() ? "" : "&", k, url_encode(v));
    };
    if (action != "review") add("action", action);
    add("tag", tag);
    add("rule", rule);
    add("family", family);
    add("lang", lang);
    add("seller", seller);
    if (limit) add("limit", std::to_string(limit));
    return q;
  }
};

std::string page(const std::string& title, const std::string& user, const std::string& csrf,
                 const std::string& body, const std::string& body_class = "") {
  std::string nav;
  if (!user.empty()) {
    nav = fmt::format(
        "<nav><a href=\"/review/queue\">Queue</a> <a href=\"/review/audit\">Audit log</a>"
        "<span class=\"who\">signed in as <b>{}</b></span>"
        "<form method=\"post\" action=\"/review/logout\" class=\"inline\"><input type=\"hidden\" "
        "name=\"csrf\" value=\"{}\">"
        "<button type=\"submit\" id=\"signout\">Sign out</button></form></nav>",
        html(user), html(csrf));
  }
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>{} · Tusk review</title><link rel=\"stylesheet\" href=\"/review/static/console.css\">"
      "<script src=\"/review/static/console.js\" defer></script></head>"
      "<body class=\"{}\"><header><h1>Tusk review</h1>{}</header><main>{}</main></body></html>\n",
      html(title), body_class, nav, body);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct ReviewConsole::Impl {
  ConsoleOptions opt;
  std::unique_ptr<store::Store> db;
  std::mutex store_mutex;  // one connection, used by one thread at a time

  std::mutex mutex;  // sessions, failures, users
  std::map<std::string, Session> sessions;
  std::map<std::string, Failures> failures;  // "user:NAME", "client:ADDR"
  std::map<std::string, std::string> users;
  struct timespec users_mtime {};
  std::string dummy_hash;  // verified for unknown names, so that they take as long as known ones

  // -------------------------------------------------------------------------------------------
  ConsoleResponse respond(unsigned status, std::string body) {
    ConsoleResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  ConsoleResponse error(unsigned status, std::string_view code, std::string_view message) {
    ConsoleResponse r;
    r.status = status;
    r.content_type = "application/json";
    std::string out = "{\"error\":{\"code\":";
    base::append_json_string(out, code);
    out += ",\"message\":";
    base::append_json_string(out, message);
    out += "}}\n";
    r.body = std::move(out);
    return r;
  }
  ConsoleResponse redirect(const std::string& to) {
    ConsoleResponse r;
    r.status = 303;
    r.headers.emplace_back("Location", to);
    r.body = fmt::format("<!DOCTYPE html><a href=\"{}\">continue</a>\n", html(to));
    return r;
  }
  std::string cookie(const std::string& name, const std::string& value, double max_age) const {
    return fmt::format("{}={}; Path=/review; HttpOnly; SameSite=Strict{}{}", name, value,
                       opt.tls ? "; Secure" : "",
                       max_age >= 0 ? fmt::format("; Max-Age={}", static_cast<long>(max_age)) : "");
  }

  void audit(const std::string& who, const std::string& what, const std::string& after) {
    std::lock_guard lock(store_mutex);
    db->add_audit(who, what, "", after);
  }

  // -------------------------------------------------------------------------------------------
  // Accounts and sign-in.

  void reload_users_if_changed() {
    struct stat st {};
    if (::stat(opt.users_file.c_str(), &st) != 0) return;
    if (st.st_mtim.tv_sec == users_mtime.tv_sec && st.st_mtim.tv_nsec == users_mtime.tv_nsec) return;
    try {
      users = read_users(opt.users_file);
      users_mtime = st.st_mtim;
    } catch (const std::exception&) {
      // A file being rewritten or broken: keep the accounts read before.
    }
  }

  bool locked(const std::string& key, Clock::time_point now) {
    auto it = failures.find(key);
    return it != failures.end() && it->second.locked_until > now;
  }
  // Counts a failure; true when it locks the key.
  bool fail(const std::string& key, int limit, Clock::time_point now) {
    Failures& f = failures[key];
    const auto window =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.failure_window));
    while (!f.times.empty() && now - f.times.front() > window) f.times.pop_front();
    f.times.push_back(now);
    if (static_cast<int>(f.times.size()) >= limit) {
      f.locked_until = now + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(opt.lockout_seconds));
      f.times.clear();
      return true;
    }
    return false;
  }

  std::optional<Session> session_of(const ConsoleRequest& req, std::string* token_out = nullptr) {
    const std::string token = cookie_value(req.cookie, kSessionCookie);
    if (token.empty()) return std::nullopt;
    std::lock_guard lock(mutex);
    auto it = sessions.find(token);
    if (it == sessions.end()) return std::nullopt;
    const auto now = Clock::now();
    auto secs = [](double s) {
      return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    };
    if (now - it->second.last > secs(opt.session_idle) || now - it->second.created > secs(opt.session_max)) {
      sessions.erase(it);
      return std::nullopt;
    }
    it->second.last = now;
    if (token_out) *token_out = token;
    return it->second;
  }

  ConsoleResponse login_page(const ConsoleRequest&, const Params& query) {
    const std::string token = random_token();
    std::string message;
    const auto e = query.find("error");
    if (e != query.end()) {
      if (e->second == "failed") {
        message = "Wrong name or password.";
      } else if (e->second == "locked") {
        message =
            "Too many failed sign-ins: this account is locked for a while. Ask an operator if it was not "
            "you.";
      } else if (e->second == "expired") {
        message = "The sign-in form expired; please try again.";
      }
    }
    const auto out = query.find("signed-out");
    if (out != query.end()) message = "You are signed out.";
    std::string body = fmt::format(
        "<h2>Sign in</h2>{}<form method=\"post\" action=\"/review/login\" class=\"signin\">"
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">"
        "<label>Name <input name=\"user\" id=\"user\" autocomplete=\"username\" required autofocus></label>"
        "<label>Password <input name=\"password\" id=\"password\" type=\"password\" "
        "autocomplete=\"current-password\" required></label>"
        "<button type=\"submit\" id=\"signin\">Sign in</button></form>",
        message.empty() ? "" : fmt::format("<p class=\"message\" id=\"message\">{}</p>", html(message)),
        token);
    ConsoleResponse r = respond(200, page("Sign in", "", "", body));
    r.headers.emplace_back("Set-Cookie", cookie(kLoginCookie, token, 3600));
    return r;
  }

  ConsoleResponse login(const ConsoleRequest& req, const Params& form) {
    const std::string expected = cookie_value(req.cookie, kLoginCookie);
    auto field = [&](const char* k) {
      auto it = form.find(k);
      return it == form.end() ? std::string() : it->second;
    };
    if (!same_token(field("csrf"), expected)) {
      return error(403, "csrf_failed",
                   "the sign-in form's token does not match its cookie: reload the sign-in page");
    }
    const std::string user = field("user"), password = field("password");
    const std::string who = valid_reviewer_name(user) ? user : "(invalid name)";
    const std::string client_json = json_text({{"client", req.client}});
    const auto now = Clock::now();
    std::string hash;
    bool is_locked = false, known = false;
    {
      std::lock_guard lock(mutex);
      is_locked = locked("user:" + who, now) || locked("client:" + req.client, now);
      reload_users_if_changed();
      auto it = users.find(user);
      known = it != users.end();
      hash = known ? it->second : dummy_hash;
    }
    if (is_locked) {
      audit(who, "sign-in refused: locked", client_json);
      return redirect("/review/login?error=locked");
    }
    const bool ok = verify_password(hash, password) && known;
    if (!ok) {
      bool now_locked = false;
      {
        std::lock_guard lock(mutex);
        now_locked = fail("user:" + who, opt.max_failures, now);
        now_locked = fail("client:" + req.client, opt.max_failures * 3, now) || now_locked;
      }
      audit(who, "sign-in failed", client_json);
      if (now_locked) {
        audit(who, "sign-in locked",
              json_text({{"client", req.client}, {"seconds", fmt::format("{}", opt.lockout_seconds)}}));
        return redirect("/review/login?error=locked");
      }
      return redirect("/review/login?error=failed");
    }
    const std::string token = random_token();
    {
      std::lock_guard lock(mutex);
      failures.erase("user:" + user);
      failures.erase("client:" + req.client);
      sessions[token] = Session{user, random_token(), now, now};
    }
    audit(user, "sign-in", client_json);
    ConsoleResponse r = redirect("/review/queue");
    r.headers.emplace_back("Set-Cookie", cookie(kSessionCookie, token, -1));
    r.headers.emplace_back("Set-Cookie", cookie(kLoginCookie, "", 0));
    return r;
  }

  ConsoleResponse logout(const ConsoleRequest& req, const std::string& token, const Session& s) {
    {
      std::lock_guard lock(mutex);
      sessions.erase(token);
    }
    audit(s.user, "sign-out", json_text({{"client", req.client}}));
    ConsoleResponse r = redirect("/review/login?signed-out=1");
    r.headers.emplace_back("Set-Cookie", cookie(kSessionCookie, "", 0));
    return r;
  }

  // -------------------------------------------------------------------------------------------
  // Pages.

  static store::QueueFilter queue_filter(const Filter& f) {
    store::QueueFilter qf;
    qf.family = f.family;
    qf.tag = f.tag;
    qf.lang = f.lang;
    qf.seller = f.seller;
    qf.rule = f.rule;
    qf.action = f.action == "all" ? "" : f.action;
    return qf;
  }

  // One page of the filtered queue, read by the store's query (docs/review.md): at most `limit`
  // items after verdict `after` (0: from the top).
  std::vector<store::StoredVerdict> queue(const Filter& f, std::size_t limit, std::int64_t after = 0) {
    store::QueueFilter qf = queue_filter(f);
    qf.limit = limit;
    qf.after = after;
    std::lock_guard lock(store_mutex);
    return db->queue(qf);
  }

  ConsoleResponse queue_page(const Session& s, const Params& query) {
    const Filter f = Filter::from(query);
    const std::size_t page_size = f.page_size();
    std::int64_t after = 0;
    if (const auto a = query.find("after"); a != query.end() && !a->second.empty() &&
                                            a->second.size() <= 18 &&
                                            a->second.find_first_not_of("0123456789") == std::string::npos) {
      after = std::stoll(a->second);
    }
    // One more than a page: whether there is a next page, without counting.
    const auto items = queue(f, page_size + 1, after);
    std::uint64_t total = 0;
    {
      std::lock_guard lock(store_mutex);
      total = db->queue_count(queue_filter(f));
    }
    auto input = [&](const char* name, const char* label, const std::string& value) {
      return fmt::format("<label>{} <input name=\"{}\" id=\"filter-{}\" value=\"{}\"></label>", label, name,
                         name, html(value));
    };
    auto option = [&](const char* v, const char* label) {
      return fmt::format("<option value=\"{}\"{}>{}</option>", v, f.action == v ? " selected" : "", label);
    };
    std::string body = "<h2>Queue</h2>";
    const auto msg = query.find("message");
    if (msg != query.end() && msg->second == "clear") {
      body += "<p class=\"message\" id=\"message\">The queue is clear for these filters.</p>";
    }
    body += "<form method=\"get\" action=\"/review/queue\" class=\"filters\">";
    body += "<label>Action <select name=\"action\" id=\"filter-action\">" +
            option("review", "review (open)") + option("block", "block (open)") +
            option("all", "review and block (open)") + "</select></label>";
    body += input("tag", "Tag", f.tag) + input("rule", "Rule", f.rule) + input("family", "Family", f.family) +
            input("lang", "Language", f.lang) + input("seller", "Seller", f.seller);
    if (f.limit) body += fmt::format("<input type=\"hidden\" name=\"limit\" value=\"{}\">", f.limit);
    body += "<button type=\"submit\">Filter</button> <a href=\"/review/queue\">clear filters</a></form>";
    const std::string q = f.query();
    const std::string first_page = fmt::format("/review/queue{}{}", q.empty() ? "" : "?", q);
    if (items.empty()) {
      body += after ? fmt::format(
                          "<p id=\"empty\">No open items after this point. <a href=\"{}\" id=\"first\">first "
                          "page</a></p>",
                          html(first_page))
                    : std::string("<p id=\"empty\">No open items.</p>");
      return respond(200, page("Queue", s.user, s.csrf, body));
    }
    const std::size_t shown = std::min(items.size(), page_size);
    body += fmt::format(
        "<p class=\"count\"><span id=\"total\">{}</span> open item{}{} · keys: <kbd>j</kbd>/<kbd>k</kbd> "
        "move, <kbd>Enter</kbd> "
        "open</p>",
        total, total == 1 ? "" : "s",
        shown < total ? fmt::format(", {} on this page", shown) : std::string());
    body +=
        "<table id=\"queue\"><thead><tr><th>id</th><th>score</th><th>action</th><th>received "
        "(UTC)</th><th>listing</th>"
        "<th>title</th><th>seller</th><th>lang</th><th>tags</th><th>why</th></tr></thead><tbody>";
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& v = items[i];
      std::string tags, why;
      for (const auto& t : v.tags) tags += (tags.empty() ? "" : ", ") + t;
      for (const auto& r : explain(v.verdict_json).rules) {
        if (r.score != 0 && !r.reason.empty()) {
          why += fmt::format("<div>{}: {}</div>", html(r.name), html(r.reason));
        }
      }
      const std::string link = fmt::format("/review/item/{}{}{}", v.id, q.empty() ? "" : "?", q);
      body += fmt::format(
          "<tr data-href=\"{}\" id=\"item-{}\"><td><a "
          "href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
          "<td class=\"title\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
          html(link), v.id, html(link), v.id, v.score, html(v.action), html(v.received_at),
          html(v.listing_id), html(record_title(v.record)), html(v.seller_id), html(v.lang), html(tags), why);
    }
    body += "</tbody></table>";
    // Keyset paging: the next page starts after the last item shown.
    std::string pager;
    if (after) pager += fmt::format("<a href=\"{}\" id=\"first\">first page</a>", html(first_page));
    if (items.size() > page_size) {
      pager +=
          fmt::format("{}<a href=\"/review/queue?{}{}after={}\" id=\"next\">next page</a>",
                      pager.empty() ? "" : " · ", html(q), q.empty() ? "" : "&amp;", items[page_size - 1].id);
    }
    if (!pager.empty()) body += "<p class=\"pager\">" + pager + "</p>";
    return respond(200, page("Queue", s.user, s.csrf, body, "queue"));
  }

  // The seller's other stored verdicts (newest first, at most kHistory) and what the account
  // store remembers about the seller now.
  std::string seller_section(const store::StoredVerdict& v, const store::SellerHistory& history) {
    // The entity the pack judged the listing's account by (its verdict's `account`), else the
    // seller: wildlife-style packs declare `entity seller = seller.id`.
    std::string entity = "seller", entity_id = v.seller_id;
    std::string seen_json;  // the account block of the verdict, as the listing saw the state
    const auto vj = nlohmann::json::parse(v.verdict_json, nullptr, false);
    if (vj.is_object() && vj.contains("account") && vj["account"].is_object()) {
      const auto& a = vj["account"];
      if (a.contains("entity") && a["entity"].is_string()) entity = a["entity"].get<std::string>();
      entity_id = a.contains("id") && a["id"].is_string() ? a["id"].get<std::string>() : "";
      seen_json = a.dump();
    }
    std::string body = fmt::format("<section id=\"history\"><h3>Seller {}</h3>",
                                   html(v.seller_id.empty() ? "-" : v.seller_id));
    if (v.seller_id.empty()) {
      body +=
          "<p id=\"history-none\" class=\"none\">The record has no <code>seller.id</code>: there is no "
          "seller history.</p>";
    } else if (history.total == 0) {
      body += fmt::format(
          "<p id=\"history-none\" class=\"none\">No other listings of seller {} are in the store.</p>",
          html(v.seller_id));
    } else {
      body += fmt::format(
          "<h4>Other flagged listings in the store: <span id=\"history-total\">{}</span>{}</h4>",
          history.total,
          history.total > history.items.size() ? fmt::format(" (the {} newest)", history.items.size()) : "");
      body +=
          "<table id=\"history-items\"><thead><tr><th>id</th><th>listing</th><th>received "
          "(UTC)</th><th>action</th>"
          "<th>score</th><th>status</th><th>tags</th></tr></thead><tbody>";
      for (const auto& h : history.items) {
        std::string tags;
        for (const auto& t : h.tags) tags += (tags.empty() ? "" : ", ") + t;
        body += fmt::format(
            "<tr id=\"history-{0}\"><td><a "
            "href=\"/review/item/{0}\">{0}</a></td><td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td>"
            "<td>{5}</td><td>{6}</td></tr>",
            h.id, html(h.listing_id), html(h.received_at), html(h.action), h.score, html(h.status),
            html(tags));
      }
      body += "</tbody></table>";
    }
    body += account_section(v.pack_name, entity, entity_id, seen_json);
    return body + "</section>";
  }

  std::string account_section(const std::string& space, const std::string& entity,
                              const std::string& entity_id, const std::string& seen_json) {
    std::string body = "<div id=\"account\"><h4>Account memory</h4>";
    if (!seen_json.empty()) {
      const auto a = nlohmann::json::parse(seen_json, nullptr, false);
      std::string state;
      if (a.contains("state") && a["state"].is_object()) {
        for (auto it = a["state"].begin(); it != a["state"].end(); ++it) {
          state += fmt::format("{}<code>{}</code> = {}", state.empty() ? "" : ", ", html(it.key()),
                               html(it.value().dump()));
        }
      }
      body += fmt::format(
          "<p id=\"account-then\">When this listing was judged: account decision <b>{}</b>{}{}.</p>",
          html(a.value("action", "")), state.empty() ? "" : "; ", state);
    }
    std::shared_ptr<StateStore> store = opt.account_state ? opt.account_state() : nullptr;
    if (!store) {
      return body +
             "<p id=\"account-none\" class=\"none\">No account store to read: no pack is active.</p></div>";
    }
    if (entity_id.empty()) {
      return body +
             "<p id=\"account-none\" class=\"none\">The listing has no account id: nothing is "
             "remembered.</p></div>";
    }
    const EntityKey key{space, entity, entity_id};
    EntityState st;
    try {
      st = store->read({key}).at(0);
    } catch (const std::exception& e) {
      return body +
             fmt::format(
                 "<p id=\"account-none\" class=\"note\">The account store {} cannot be read: {}</p></div>",
                 html(store->describe()), html(e.what()));
    }
    const std::string where = fmt::format("{} {} in pack {} (store: {})", html(entity), html(entity_id),
                                          html(space), html(store->describe()));
    if (st.empty()) {
      return body + fmt::format(
                        "<p id=\"account-none\" class=\"none\">Nothing is remembered now about {}.</p></div>",
                        where);
    }
    body += fmt::format("<p>What the account store holds now about {}:</p>", where);
    if (!st.labels.empty()) {
      body +=
          "<table id=\"account-labels\"><thead><tr><th>label</th><th>until (UTC)</th><th>set "
          "by</th></tr></thead><tbody>";
      for (const auto& l : st.labels) {
        body += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", html(l.name),
                            base::utc_seconds(l.until), html(l.reason));
      }
      body += "</tbody></table>";
    }
    // Counters as the store keeps them: events per time bucket, summed; the pack's window decides
    // which buckets a listing counts (docs/accounts.md), so this is what is held, not a window.
    struct Held {
      std::int64_t events = 0, first = 0, last = 0;
      std::size_t values = 0;
    };
    std::map<std::string, Held> counters;
    for (const auto& b : st.buckets) {
      Held& h = counters[b.counter];
      h.events += b.count;
      h.first = h.first ? std::min(h.first, b.start) : b.start;
      h.last = std::max(h.last, b.start);
    }
    for (const auto& seen : st.seen) {
      Held& h = counters[seen.counter];
      ++h.values;
      h.first = h.first ? std::min(h.first, seen.last) : seen.last;
      h.last = std::max(h.last, seen.last);
    }
    if (!counters.empty()) {
      body +=
          "<table id=\"account-counters\"><thead><tr><th>counter</th><th>held</th><th>from (UTC)</th><th>to "
          "(UTC)</th>"
          "</tr></thead><tbody>";
      for (const auto& [name, h] : counters) {
        body += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", html(name),
                            h.values ? fmt::format("{} distinct value{}", h.values, h.values == 1 ? "" : "s")
                                     : fmt::format("{} event{}", h.events, h.events == 1 ? "" : "s"),
                            base::utc_seconds(h.first), base::utc_seconds(h.last));
      }
      body += "</tbody></table>";
    }
    return body + "</div>";
  }

  ConsoleResponse item_page(const Session& s, std::int64_t id, const Params& query) {
    std::optional<store::StoredVerdict> v;
    std::vector<store::Decision> decisions;
    store::SellerHistory history;
    {
      std::lock_guard lock(store_mutex);
      v = db->verdict(id);
      if (v) {
        decisions = db->decisions(id);
        if (!v->seller_id.empty()) history = db->seller_history(v->seller_id, v->id, kHistory);
      }
    }
    if (!v) return error(404, "not_found", fmt::format("no verdict {} in the store", id));
    const Filter f = Filter::from(query);
    const Explanation e = explain(v->verdict_json);
    std::string body = fmt::format("<h2>Verdict {} · listing {}</h2>", v->id, html(v->listing_id));
    body += fmt::format(
        "<dl class=\"facts\"><dt>action</dt><dd class=\"action-{0}\">{0} (score {1})</dd><dt>status</dt><dd "
        "id=\"status\">{2}</dd>"
        "<dt>seller</dt><dd>{3}</dd><dt>language</dt><dd>{4}</dd><dt>received (UTC)</dt><dd>{5}</dd>"
        "<dt>pack</dt><dd>{6} {7} <code title=\"pack digest\">{8}</code></dd><dt>record "
        "SHA-256</dt><dd><code>{9}</code></dd></dl>",
        html(v->action), v->score, html(v->status), html(v->seller_id.empty() ? "-" : v->seller_id),
        html(v->lang.empty() ? "-" : v->lang), html(v->received_at), html(v->pack_name),
        html(v->pack_version), html(v->pack_digest.substr(0, 12)), html(v->record_sha256));

    // The listing, with the evidence marked where the seller wrote it.
    body += "<section id=\"listing\"><h3>The listing</h3>";
    const auto fields = record_fields(v->record);
    if (!fields) {
      body += "<p>The record is not JSON; its bytes follow.</p>";
    } else {
      body += "<dl class=\"record\">";
      for (const auto& [path, text] : *fields) {
        std::vector<const Explanation::Span*> spans;
        for (const auto& r : e.rules) {
          for (const auto& sp : r.evidence) {
            if (sp.field == path) spans.push_back(&sp);
          }
        }
        body += fmt::format("<dt>{}</dt><dd data-field=\"{}\">{}</dd>", html(path), html(path),
                            highlight(text, spans));
      }
      body += "</dl>";
    }
    body += fmt::format(
        "<details><summary>the record bytes as received</summary><pre "
        "id=\"raw\">{}</pre></details></section>",
        html(v->record));

    // Why.
    body +=
        "<section id=\"why\"><h3>Why it was "
        "flagged</h3><table><thead><tr><th>rule</th><th>score</th><th>reason</th>"
        "<th>evidence</th></tr></thead><tbody>";
    for (const auto& r : e.rules) {
      std::string ev;
      for (const auto& sp : r.evidence) {
        ev +=
            fmt::format("<div>{} [{}–{}): <q>{}</q> <small>{}{}{}</small></div>", html(sp.field), sp.start,
                        sp.end, html(sp.text), html(sp.lexicon), sp.term.empty() ? "" : " · ", html(sp.term));
      }
      body += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                          r.score != 0 ? "scored" : "zero", html(r.name), r.score, html(r.reason), ev);
    }
    body += "</tbody></table>";
    if (!e.message.empty()) body += fmt::format("<p>Message to the seller: <q>{}</q></p>", html(e.message));
    if (!e.suggestions.empty()) {
      body += "<p>Suggested alternatives:</p><ul>";
      for (const auto& [name, text] : e.suggestions) {
        body += fmt::format("<li>{} <small>{}</small></li>", html(text), html(name));
      }
      body += "</ul>";
    }
    for (const auto& n : e.notes) body += fmt::format("<p class=\"note\">note: {}</p>", html(n));
    body += "</section>";

    // Decide.
    body += fmt::format(
        "<section id=\"decide\"><h3>Decide</h3><form method=\"post\" action=\"/review/item/{0}/decide\" "
        "id=\"decide-form\">"
        "<input type=\"hidden\" name=\"csrf\" value=\"{1}\"><input type=\"hidden\" name=\"return\" "
        "value=\"{2}\">"
        "<label>Note <textarea name=\"note\" id=\"note\" rows=\"2\"></textarea></label>"
        "<label>Case (for escalations) <input name=\"case\" id=\"case\"></label>"
        "<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"confirm\" id=\"confirm\" "
        "class=\"confirm\">"
        "Confirm: block <kbd>c</kbd></button>"
        "<button type=\"submit\" name=\"decision\" value=\"dismiss\" id=\"dismiss\" "
        "class=\"dismiss\">Overturn: allow <kbd>d</kbd></button>"
        "<button type=\"submit\" name=\"decision\" value=\"escalate\" id=\"escalate\" "
        "class=\"escalate\">Escalate <kbd>e</kbd></button>"
        "</div><p class=\"keys\"><kbd>n</kbd> note · <kbd>q</kbd> back to the queue</p></form>"
        "<p><a href=\"/review/item/{0}/evidence\" id=\"evidence\">Export the evidence bundle of listing "
        "{3}</a></p></section>",
        v->id, html(s.csrf), html(f.query()), html(v->listing_id));

    if (!decisions.empty()) {
      body +=
          "<section id=\"decisions\"><h3>Decisions</h3><table><thead><tr><th>when "
          "(UTC)</th><th>reviewer</th><th>decision</th>"
          "<th>note</th><th>case</th></tr></thead><tbody>";
      for (const auto& d : decisions) {
        body += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            html(d.decided_at), html(d.reviewer), html(d.decision), html(d.note),
                            html(d.case_id));
      }
      body += "</tbody></table></section>";
    }
    body += seller_section(*v, history);
    const std::string q = f.query();
    body += fmt::format("<p><a href=\"/review/queue{}{}\" id=\"back\">back to the queue</a></p>",
                        q.empty() ? "" : "?", html(q));
    return respond(200, page(fmt::format("Verdict {}", v->id), s.user, s.csrf, body, "item"));
  }

  ConsoleResponse decide(const Session& s, std::int64_t id, const Params& form) {
    auto field = [&](const char* k) {
      auto it = form.find(k);
      return it == form.end() ? std::string() : it->second;
    };
    const std::string decision = field("decision");
    if (decision != "confirm" && decision != "dismiss" && decision != "escalate") {
      return error(400, "bad_decision", "decision must be confirm, dismiss or escalate");
    }
    try {
      std::lock_guard lock(store_mutex);
      db->decide(id, decision, s.user, field("note"), field("case"));
    } catch (const store::StoreError& e) {
      return error(404, "not_found", e.what());
    }
    // The next item of the same queue loads at once.
    const Filter f = Filter::from(parse_form(field("return")));
    const std::string q = f.query();
    for (const auto& next : queue(f, 2)) {
      if (next.id != id) {
        return redirect(fmt::format("/review/item/{}{}{}", next.id, q.empty() ? "" : "?", q));
      }
    }
    return redirect(fmt::format("/review/queue?{}{}message=clear", q, q.empty() ? "" : "&"));
  }

  ConsoleResponse evidence(const Session& s, const ConsoleRequest& req, std::int64_t id) {
    std::optional<store::StoredVerdict> v;
    {
      std::lock_guard lock(store_mutex);
      v = db->verdict(id);
    }
    if (!v) return error(404, "not_found", fmt::format("no verdict {} in the store", id));
    char path[] = "/tmp/tusk-evidence-XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0) return error(500, "internal", "cannot create a temporary file for the bundle");
    ::close(fd);
    store::ExportOptions eo;
    eo.selection.listing = v->listing_id;
    eo.pack_dir = opt.pack_dir;
    eo.stdlib_dir = opt.stdlib_dir;
    if (!opt.evidence_key.empty()) {
      std::ifstream in(opt.evidence_key);
      std::stringstream ss;
      ss << in.rdbuf();
      eo.sign_key_pem = ss.str();
    }
    std::string bytes;
    store::ExportResult result;
    try {
      {
        std::lock_guard lock(store_mutex);
        result = store::export_evidence(*db, eo, path);
      }
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      bytes = ss.str();
    } catch (const std::exception& e) {
      ::unlink(path);
      return error(500, "evidence_failed", e.what());
    }
    ::unlink(path);
    audit(
        s.user, fmt::format("export evidence listing {}", v->listing_id),
        json_text(
            {{"client", req.client}, {"verdict", std::to_string(id)}, {"sha256", base::sha256_hex(bytes)}}));
    std::string name;
    for (char c : v->listing_id) {
      name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    }
    ConsoleResponse r;
    r.content_type = "application/gzip";
    r.headers.emplace_back("Content-Disposition",
                           fmt::format("attachment; filename=\"evidence-{}.tar.gz\"", name));
    r.headers.emplace_back("X-Tusk-Signed", result.signed_ ? "true" : "false");
    r.body = std::move(bytes);
    return r;
  }

  ConsoleResponse audit_page(const Session& s) {
    std::vector<store::AuditEntry> entries;
    {
      std::lock_guard lock(store_mutex);
      entries = db->audit();
    }
    std::string body =
        "<h2>Audit log</h2><p>The latest 500 entries, newest first.</p><table id=\"audit\"><thead><tr>"
        "<th>#</th><th>when "
        "(UTC)</th><th>who</th><th>what</th><th>before</th><th>after</th></tr></thead><tbody>";
    std::size_t n = 0;
    for (auto it = entries.rbegin(); it != entries.rend() && n < 500; ++it, ++n) {
      body += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></"
          "tr>",
          it->id, html(it->at), html(it->who), html(it->what), html(it->before), html(it->after));
    }
    body += "</tbody></table>";
    return respond(200, page("Audit log", s.user, s.csrf, body));
  }

  // -------------------------------------------------------------------------------------------

  ConsoleResponse route(const ConsoleRequest& req) {
    std::string path = req.target, query_text;
    if (const auto q = path.find('?'); q != std::string::npos) {
      query_text = path.substr(q + 1);
      path.resize(q);
    }
    const Params query = parse_form(query_text);
    const bool get = req.method == "GET";
    auto method_not_allowed = [&](const char* allowed) {
      ConsoleResponse r = error(405, "method_not_allowed", fmt::format("{} answers {} only", path, allowed));
      r.headers.emplace_back("Allow", allowed);
      return r;
    };

    if (path == "/review/static/console.css" || path == "/review/static/console.js") {
      if (!get) return method_not_allowed("GET");
      ConsoleResponse r;
      const bool css = path.back() == 's' && path[path.size() - 2] == 's';
      r.content_type = css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
      r.body = css ? std::string(kConsoleCss) : std::string(kConsoleJs);
      return r;
    }
    // Signed in by a reverse proxy (ConsoleOptions::trusted_header): a session for the user it
    // names, made on the first request and whenever the header names someone else. Right after
    // a sign-out the sign-in page is shown as is, so that signing out is visible.
    if (!opt.trusted_header.empty() && !req.trusted_user.empty() &&
        !(path == "/review/login" && query.count("signed-out"))) {
      std::string token;
      if (auto refused = proxy_sign_in(req, token)) return *refused;
      if (!token.empty()) {
        // The new session counts for this request already, and the browser keeps it.
        ConsoleRequest with_session = req;
        with_session.cookie = fmt::format("{}={}", kSessionCookie, token);
        ConsoleResponse r = route_signed_in(with_session, path, query);
        r.headers.emplace_back("Set-Cookie", cookie(kSessionCookie, token, -1));
        return r;
      }
    }
    return route_signed_in(req, path, query);
  }

  // A session for the reviewer named by the trusted header, unless the request's session is
  // already theirs: `token` is then the new session's (else left empty). An error for a name
  // that is not in the reviewers file.
  std::optional<ConsoleResponse> proxy_sign_in(const ConsoleRequest& req, std::string& token) {
    const std::string& user = req.trusted_user;
    std::string old_token;
    const auto current = session_of(req, &old_token);
    if (current && current->user == user) return std::nullopt;
    bool known = false;
    {
      std::lock_guard lock(mutex);
      reload_users_if_changed();
      known = valid_reviewer_name(user) && users.count(user) > 0;
    }
    const std::string who = valid_reviewer_name(user) ? user : "(invalid name)";
    if (!known) {
      audit(who, fmt::format("sign-in refused: {} names no reviewer", opt.trusted_header),
            json_text({{"client", req.client}}));
      return error(
          403, "not_a_reviewer",
          fmt::format("the {} header names no reviewer of this console: ask an operator to add the account",
                      opt.trusted_header));
    }
    token = random_token();
    const auto now = Clock::now();
    {
      std::lock_guard lock(mutex);
      if (current) sessions.erase(old_token);  // another person's session in the same browser ends
      sessions[token] = Session{user, random_token(), now, now};
    }
    audit(user, "sign-in", json_text({{"client", req.client}, {"via", opt.trusted_header}}));
    return std::nullopt;
  }

  ConsoleResponse route_signed_in(const ConsoleRequest& req, const std::string& path, const Params& query) {
    const bool get = req.method == "GET";
    const bool post = req.method == "POST";
    auto method_not_allowed = [&](const char* allowed) {
      ConsoleResponse r = error(405, "method_not_allowed", fmt::format("{} answers {} only", path, allowed));
      r.headers.emplace_back("Allow", allowed);
      return r;
    };
    if (path == "/review/login") {
      if (get) {
        if (session_of(req)) return redirect("/review/queue");
        return login_page(req, query);
      }
      if (!post) return method_not_allowed("GET, POST");
      if (req.content_type.rfind("application/x-www-form-urlencoded", 0) != 0) {
        return error(415, "unsupported_media_type",
                     "sign-in takes an application/x-www-form-urlencoded form");
      }
      return login(req, parse_form(req.body));
    }

    std::string token;
    const auto session = session_of(req, &token);
    if (!session) {
      if (get) return redirect("/review/login");
      return error(401, "unauthorized", "sign in first: GET /review/login");
    }
    Params form;
    if (post) {
      if (req.content_type.rfind("application/x-www-form-urlencoded", 0) != 0) {
        return error(415, "unsupported_media_type", "console forms are application/x-www-form-urlencoded");
      }
      form = parse_form(req.body);
      auto it = form.find("csrf");
      if (it == form.end() || !same_token(it->second, session->csrf)) {
        audit(session->user, fmt::format("refused: POST {} without a valid CSRF token", path),
              json_text({{"client", req.client}}));
        return error(403, "csrf_failed",
                     "the form's CSRF token is missing or wrong: reload the page and try again");
      }
    }

    if (path == "/review" || path == "/review/") {
      return get ? redirect("/review/queue") : method_not_allowed("GET");
    }
    if (path == "/review/logout") return post ? logout(req, token, *session) : method_not_allowed("POST");
    if (path == "/review/queue") return get ? queue_page(*session, query) : method_not_allowed("GET");
    if (path == "/review/audit") return get ? audit_page(*session) : method_not_allowed("GET");
    constexpr std::string_view kItem = "/review/item/";
    if (path.rfind(kItem, 0) == 0) {
      std::string rest = path.substr(kItem.size());
      std::string tail;
      if (const auto slash = rest.find('/'); slash != std::string::npos) {
        tail = rest.substr(slash);
        rest.resize(slash);
      }
      std::int64_t id = 0;
      if (rest.empty() || rest.size() > 18 || rest.find_first_not_of("0123456789") != std::string::npos) {
        return error(404, "not_found", fmt::format("no route {}", path));
      }
      id = std::stoll(rest);
      if (tail.empty()) return get ? item_page(*session, id, query) : method_not_allowed("GET");
      if (tail == "/decide") return post ? decide(*session, id, form) : method_not_allowed("POST");
      if (tail == "/evidence") return get ? evidence(*session, req, id) : method_not_allowed("GET");
    }
    return error(404, "not_found", fmt::format("no route {}", path));
  }
};

ReviewConsole::ReviewConsole(ConsoleOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.opt = std::move(options);
  if (!sodium_ready()) throw std::runtime_error("libsodium could not be initialized");
  if (m.opt.users_file.empty()) {
    throw std::runtime_error(
        "the reviewer console needs --review-users FILE (create it with `tusk review user add NAME --users "
        "FILE`)");
  }
  m.users = read_users(m.opt.users_file);
  struct stat st {};
  if (::stat(m.opt.users_file.c_str(), &st) == 0) {
    m.users_mtime = st.st_mtim;
    if (st.st_mode & 077) {
      throw std::runtime_error(fmt::format("{} may be read by other users (mode {:o}): chmod 600 it",
                                           m.opt.users_file, st.st_mode & 0777));
    }
  }
  if (!m.opt.evidence_key.empty() && !std::ifstream(m.opt.evidence_key)) {
    throw std::runtime_error(fmt::format("cannot read the evidence signing key {}", m.opt.evidence_key));
  }
  try {
    m.db = store::Store::open(m.opt.store);
  } catch (const store::StoreError& e) {
    throw std::runtime_error(fmt::format("cannot open the verdict store {}: {}", m.opt.store, e.what()));
  }
  m.dummy_hash = hash_password(random_token());
}

ReviewConsole::~ReviewConsole() = default;

ConsoleResponse ReviewConsole::handle(const ConsoleRequest& request) {
  ConsoleResponse r;
  try {
    r = impl_->route(request);
  } catch (const std::exception& e) {
    r = impl_->error(500, "internal", e.what());
  }
  r.headers.emplace_back("Content-Security-Policy", kCsp);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control", "no-store");
  if (impl_->opt.tls) r.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return r;
}

}  // namespace tusk::serve
