// load_pack: read pack.yaml or a single .tusk file, parse it and every file it uses (each
// once), then check. All problems with the pack's own files are diagnostics.
#include "compiler/front/driver.h"

#include <fmt/format.h>

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "base/sha256.h"
#include "compiler/front/checker.h"
#include "compiler/front/manifest.h"

namespace tusk::compiler::front {
namespace fs = std::filesystem;
namespace {

// Read straight into a string reserved to the file's size (a stringstream copied each file twice,
// and the pack's sources and lexicons are ~2 MB).
std::optional<std::string> read_file(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  const auto size = fs::file_size(p, ec);
  if (!ec) text.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  return text;
}

base::Span first_line(const base::SourceFile& f) {
  return {f.id(), 0, static_cast<std::uint32_t>(std::max<std::size_t>(1, f.line_text(1).size()))};
}

// Paths as the user wrote them (relative stays relative) so that diagnostics are stable.
std::string display(const fs::path& p) { return p.lexically_normal().generic_string(); }

class Loader {
 public:
  Loader(LoadedPack& lp, const CheckOptions& options, const VirtualFiles* vfs)
      : lp_(lp), options_(options), vfs_(vfs) {}

  // `paths`: one pack directory, or .tusk files of which the first is the main one (it carries
  // the pack header) and the others are loaded like a pack.yaml's further `sources`.
  void run(const std::vector<std::string>& paths) {
    CheckInput input;
    std::error_code ec;
    const fs::path p(paths.empty() ? std::string() : paths.front());
    const Manifest standard_rates = load_standard_rates();
    if (paths.empty()) {
      lp_.diags.report(base::DiagCode::kIoError, {}, "no pack files given")
          .help("give a pack directory (with pack.yaml) or one or more .tusk files");
      return;
    }
    if (paths.size() > 1) {
      for (const auto& other : paths) {
        if (is_dir(other)) {
          lp_.diags
              .report(base::DiagCode::kIoError, {},
                      fmt::format("`{}` is a directory in a list of pack files", display(other)))
              .help("compile a pack directory on its own, or list its .tusk files");
          return;
        }
      }
    }
    set_roots(paths);
    if (paths.size() == 1 && is_dir(p)) {
      root_ = p;
      const fs::path yaml = p / "pack.yaml";
      auto text = read(yaml);
      if (!text) {
        lp_.diags.report(base::DiagCode::kIoError, {}, fmt::format("`{}` has no pack.yaml", display(p)))
            .help(
                "a pack directory needs a pack.yaml with `name`, `version` and `sources`, or check a single "
                ".tusk file");
        return;
      }
      const base::SourceFile& yf = lp_.sources.add(display(yaml), *text);
      digest_files_.push_back(yf.id());
      input.manifest = parse_manifest(yf, lp_.diags);
      input.name = input.manifest.name;
      input.version = input.manifest.version;
      input.pack_span = first_line(yf);
      std::vector<ManifestSource> sources = input.manifest.sources;
      if (sources.empty()) {
        std::vector<std::string> found;
        for (const auto& e : list_dir(p)) {
          if (e.extension() == ".tusk") found.push_back(e.filename().string());
        }
        std::sort(found.begin(), found.end());
        for (auto& f : found) sources.push_back({f, {}});
        if (sources.empty()) {
          lp_.diags.report(base::DiagCode::kBadManifest, first_line(yf), "the pack has no .tusk sources")
              .label("no `sources` here and no .tusk file beside pack.yaml")
              .help("add `sources: [main.tusk]`");
        }
      }
      bool first = true;
      for (const auto& s : sources) {
        if (!confined(s.path, p / s.path, s.span, "a source")) continue;
        auto idx = load(p / s.path, s.span, "", true);
        if (idx && first) {
          const dsl::File& f = files_[*idx];
          if (f.pack) {
            input.pack_span = f.pack->span;
          } else {
            input.pack_span = first_line(lp_.sources.file(f.source));
          }
          first = false;
        }
      }
    } else {
      root_ = p.parent_path();
      auto idx = load(p, {}, "", true);
      for (std::size_t i = 1; i < paths.size(); ++i) load(paths[i], {}, "", true);
      if (!idx) return;
      const dsl::File& f = files_[*idx];
      const base::SourceFile& src = lp_.sources.file(f.source);
      // A header the parser already rejected gets no second error.
      const bool header_error =
          std::any_of(lp_.diags.all().begin(), lp_.diags.all().end(), [&](const base::Diagnostic& d) {
            return d.primary.span.source == src.id() && d.primary.span.begin <= first_line(src).end;
          });
      if (!f.pack && !header_error) {
        auto b = lp_.diags.report(
            base::DiagCode::kMissingPackHeader, first_line(src),
            f.module ? fmt::format("`{}` is a module, not a pack", display(p))
                     : std::string("a pack's main file must start with `pack NAME version \"X\"`"));
        b.label(f.module ? "a module header" : "expected a pack header here");
        b.help("start the file with `pack my.pack version \"0.1.0\"`");
        input.pack_span = first_line(src);
      } else if (!f.pack) {
        input.pack_span = first_line(src);
      } else {
        input.name = f.pack->name.str();
        input.version = f.pack->version.value;
        input.pack_span = f.pack->span;
      }
      input.manifest.rates[input.manifest.base_currency] = 1.0;
    }
    apply_standard_rates(input.manifest, standard_rates);
    // Resolve `use` breadth-first; files_ grows as we go.
    for (std::size_t i = 0; i < files_.size(); ++i) {
      for (const auto& d : files_[i].decls) {
        if (const auto* u = std::get_if<dsl::UseDecl>(&d)) use(*u, i);
      }
    }
    // Move the trees into the result; decl addresses survive the move of each File's vector.
    for (auto& f : files_) lp_.files.push_back(std::move(f));
    for (std::size_t i = 0; i < lp_.files.size(); ++i) {
      input.units.push_back(CheckUnit{&lp_.files[i], unit_module_[i], unit_dir_[i]});
    }
    input.cache = options_.cache;
    input.load_lexicon = [this](const std::string& dir, const dsl::StringLit& lit) {
      return load_lexicon(dir, lit);
    };
    for (const auto& t : input.manifest.tests) {
      if (!confined(t.path, root_ / t.path, t.span, "a test file")) continue;
      if (!is_file(root_ / t.path)) {
        lp_.diags
            .report(base::DiagCode::kIoError, t.span, fmt::format("no test file `{}` in the pack", t.path))
            .label("listed under `tests`");
      }
    }
    auto checked = check_pack(input, lp_.sources, lp_.diags);
    if (checked) checked = check_limits(input.manifest.limits, std::move(checked));
    if (checked) checked = check_scan_limits(input.pack_span, std::move(checked));
    if (checked) {
      checked->digest = digest();
      lp_.checked = std::move(checked);
    }
  }

 private:
  // Pack files: the virtual map first (by lexically normal relative path), then the disk.
  static std::string vkey(const fs::path& p) {
    std::string k = p.lexically_normal().generic_string();
    if (k.rfind("./", 0) == 0) k.erase(0, 2);
    return k == "." ? std::string() : k;
  }
  // A pack from strings reads nothing from the disk but the stdlib.
  bool disk_allowed(const fs::path& p) const { return vfs_ == nullptr || under(stdlib_root_, p); }
  std::optional<std::string> read(const fs::path& p) const {
    if (vfs_ != nullptr) {
      if (auto it = vfs_->find(vkey(p)); it != vfs_->end()) return it->second;
    }
    if (!disk_allowed(p)) return std::nullopt;
    return read_file(p);
  }
  bool is_file(const fs::path& p) const {
    std::error_code ec;
    return (vfs_ != nullptr && vfs_->count(vkey(p)) != 0) || (disk_allowed(p) && fs::is_regular_file(p, ec));
  }
  bool is_dir(const fs::path& p) const {
    if (vfs_ != nullptr) {
      const std::string k = vkey(p);
      if (k.empty()) return true;
      for (const auto& [path, text] : *vfs_) {
        if (path.size() > k.size() && path.compare(0, k.size(), k) == 0 && path[k.size()] == '/') return true;
      }
    }
    std::error_code ec;
    return disk_allowed(p) && fs::is_directory(p, ec);
  }

  // ---- confinement: what a pack may name is its own directory, the stdlib, and the roots the
  // caller allowed (CheckOptions::allowed_roots); the files given on the command line count as
  // the pack's own.
  static bool under(const fs::path& root, const fs::path& p) {
    if (root.empty()) return false;
    std::error_code ec;
    const fs::path real = fs::weakly_canonical(p, ec);
    if (ec) return false;
    const fs::path rel = real.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
  }
  void set_roots(const std::vector<std::string>& paths) {
    std::error_code ec;
    const auto add = [&](const fs::path& dir) {
      const fs::path real = fs::weakly_canonical(dir.empty() ? fs::path(".") : dir, ec);
      if (!ec) roots_.push_back(real);
    };
    if (!options_.stdlib_dir.empty()) {
      stdlib_root_ = fs::weakly_canonical(options_.stdlib_dir, ec);
      if (ec) {
        stdlib_root_.clear();
      } else {
        roots_.push_back(stdlib_root_);
      }
    }
    for (const auto& r : options_.allowed_roots) add(r);
    if (vfs_ != nullptr) return;  // pack files from strings are confined by vkey() instead
    for (const auto& p : paths) add(paths.size() == 1 && is_dir(p) ? fs::path(p) : fs::path(p).parent_path());
  }
  // What identifies a file for loading it once: its real path on disk, its normalized name in
  // a pack from strings (whatever the disk under the working directory holds).
  std::string file_key(const fs::path& p) const {
    if (vfs_ != nullptr && !under(stdlib_root_, p)) return "vfs:" + vkey(p);
    std::error_code ec;
    return fs::weakly_canonical(p, ec).string();
  }
  // Whether `file` (resolved from `written`, as the pack wrote it) may be read; E050 otherwise.
  // Nothing of a refused file is read, so no diagnostic can quote it.
  bool confined(const std::string& written, const fs::path& file, base::Span at, std::string_view what) {
    std::string why;
    if (fs::path(written).is_absolute()) {
      why = "an absolute path";
    } else if (vfs_ != nullptr && !under(stdlib_root_, file)) {
      const std::string k = vkey(file);
      if (k == ".." || k.rfind("../", 0) == 0) why = "leaves the pack";
    } else if (std::none_of(roots_.begin(), roots_.end(),
                            [&](const fs::path& r) { return under(r, file); })) {
      why = "leaves the pack's directory";
    }
    if (why.empty()) return true;
    lp_.diags
        .report(base::DiagCode::kPathOutsidePack, at, fmt::format("{} outside the pack: `{}`", what, written))
        .label(why)
        .help(
            "name files inside the pack's directory, relative to the file that names them (or use `std.…` "
            "modules); an application can allow more directories (CompileOptions::allowed_roots)");
    return false;
  }
  // Regular files directly in `dir`, virtual and on disk.
  std::vector<fs::path> list_dir(const fs::path& dir) const {
    std::vector<fs::path> out;
    if (vfs_ != nullptr) {
      const std::string k = vkey(dir);
      for (const auto& [path, text] : *vfs_) {
        const fs::path vp(path);
        if (vkey(vp.parent_path()) == k) out.push_back(vp);
      }
    }
    if (vfs_ != nullptr) return out;  // a pack from strings never picks up stray files on disk
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec)) {
      if (e.is_regular_file(ec)) out.push_back(e.path());
    }
    return out;
  }

  // pack.yaml `limits`: a pack over its own bounds is an error, since its owners set them to
  // keep it reviewable and fast.
  std::unique_ptr<CheckedPack> check_limits(const ManifestLimits& limits, std::unique_ptr<CheckedPack> pack) {
    bool over = false;
    if (limits.max_rules && pack->rules.size() > *limits.max_rules) {
      lp_.diags
          .report(base::DiagCode::kBadManifest, limits.max_rules_span,
                  fmt::format("the pack has {} rules, more than `max_rules: {}`", pack->rules.size(),
                              *limits.max_rules))
          .label("the limit");
      over = true;
    }
    std::uint64_t terms = 0;
    for (const auto& l : pack->lexicons) terms += l.terms.size();
    if (limits.max_terms && terms > *limits.max_terms) {
      lp_.diags
          .report(base::DiagCode::kBadManifest, limits.max_terms_span,
                  fmt::format("the pack has {} lexicon terms, more than `max_terms: {}`", terms,
                              *limits.max_terms))
          .label("the limit");
      over = true;
    }
    return over ? nullptr : std::move(pack);
  }

  // What the scanner cannot take is an error here, so that `tusk check` refuses what `tusk scan`
  // would, with the same words (CheckOptions::max_terms_per_pack, max_term_bytes).
  std::unique_ptr<CheckedPack> check_scan_limits(base::Span pack_span, std::unique_ptr<CheckedPack> pack) {
    bool over = false;
    std::uint64_t terms = pack->regexes.size();
    std::size_t reported = 0;
    for (const auto& l : pack->lexicons) {
      terms += l.terms.size();
      for (const auto& t : l.terms) {
        if (options_.max_term_bytes == 0 || t.text.size() <= options_.max_term_bytes) continue;
        over = true;
        if (++reported > 10) continue;  // ten say it; the count below says how many
        lp_.diags
            .report(base::DiagCode::kOverLimit, t.span,
                    fmt::format("a term of {} bytes in `{}`, over the limit of {} bytes", t.text.size(),
                                l.name, options_.max_term_bytes))
            .label("this term")
            .help("match a shorter phrase, or a regex");
      }
    }
    if (reported > 10) {
      lp_.diags.report(
          base::DiagCode::kOverLimit, pack_span,
          fmt::format("{} terms in all are over the limit of {} bytes", reported, options_.max_term_bytes));
    }
    if (options_.max_terms_per_pack != 0 && terms > options_.max_terms_per_pack) {
      lp_.diags
          .report(base::DiagCode::kOverLimit, pack_span,
                  fmt::format(
                      "the pack has {} terms and regexes, over the limit of {} (Limits::max_terms_per_pack)",
                      terms, options_.max_terms_per_pack))
          .label("this pack")
          .help("split the pack, or raise the limit where it is compiled");
      over = true;
    }
    return over ? nullptr : std::move(pack);
  }

  // std.money: the standard currency table every pack starts from. It decides verdicts, so it
  // is part of the digest like any source.
  Manifest load_standard_rates() {
    Manifest m;
    if (options_.stdlib_dir.empty()) return m;
    const fs::path file = fs::path(options_.stdlib_dir) / "money" / "rates.yaml";
    auto text = read_file(file);
    if (!text) return m;
    const base::SourceFile& src = lp_.sources.add(display(file), *text);
    digest_files_.push_back(src.id());
    return parse_rate_table(src, lp_.diags);
  }

  // Reads and parses one file (once); returns its index in files_.
  std::optional<std::size_t> load(const fs::path& p, base::Span named_at, const std::string& module,
                                  bool pack_file) {
    const std::string key = file_key(p);
    if (auto it = loaded_.find(key); it != loaded_.end()) return it->second;
    auto text = read(p);
    if (!text) {
      auto b =
          lp_.diags.report(base::DiagCode::kIoError, named_at, fmt::format("cannot read `{}`", display(p)));
      b.label("no such file");
      return std::nullopt;
    }
    const base::SourceFile& src = lp_.sources.add(display(p), std::move(*text));
    digest_files_.push_back(src.id());
    files_.push_back(dsl::parse(src, lp_.diags, options_.parse));
    unit_module_.push_back(module);
    unit_dir_.push_back(p.parent_path().string());
    loaded_[key] = files_.size() - 1;
    (void)pack_file;
    return files_.size() - 1;
  }

  std::vector<std::string> stdlib_modules() const {
    std::vector<std::string> out;
    std::error_code ec;
    const fs::path root(options_.stdlib_dir);
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->path().extension() != ".tusk") continue;
      std::string rel = fs::relative(it->path(), root).replace_extension().generic_string();
      std::replace(rel.begin(), rel.end(), '/', '.');
      out.push_back("std." + rel);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  void use(const dsl::UseDecl& u, std::size_t from) {
    if (u.module) {
      const std::string name = u.module->str();
      const auto& parts = u.module->parts;
      fs::path file(options_.stdlib_dir);
      for (std::size_t k = 1; k < parts.size(); ++k) file /= parts[k].name;
      file += ".tusk";
      std::error_code ec;
      if (parts.size() < 2 || parts[0].name != "std" || !fs::is_regular_file(file, ec)) {
        auto b = lp_.diags.report(base::DiagCode::kUnknownModule, u.module->span,
                                  fmt::format("unknown module `{}`", name));
        b.label("no such module in the standard library");
        const auto modules = stdlib_modules();
        if (auto near = did_you_mean(name, modules)) {
          b.help(fmt::format("did you mean `{}`?", *near)).fix(u.module->span, *near);
        } else if (parts[0].name != "std") {
          b.help("library modules are named `std.…`; to use a file of this pack, write `use \"file.tusk\"`");
        }
        return;
      }
      const std::size_t before = files_.size();
      auto idx = load(file, u.module->span, name, false);
      if (!idx || *idx < before) return;  // already loaded and checked
      const dsl::File& f = files_[*idx];
      const base::SourceFile& src = lp_.sources.file(f.source);
      if (!f.module || f.module->name.str() != name) {
        auto b = lp_.diags.report(
            base::DiagCode::kModuleMismatch, f.module ? f.module->name.span : first_line(src),
            f.module
                ? fmt::format("module file declares `{}`, but was used as `{}`", f.module->name.str(), name)
                : fmt::format("`{}` has no `module` header", src.path()));
        b.label(f.module ? "the declared name" : "expected `module NAME` here");
        b.secondary(u.module->span, "used here");
        b.help(fmt::format("start the file with `module {}`", name));
      }
      return;
    }
    if (!u.path) return;
    const fs::path file = fs::path(unit_dir_[from]) / u.path->value;
    if (!confined(u.path->value, file, u.path->span, "a used file")) return;
    std::error_code ec;
    if (!is_file(file)) {
      std::vector<std::string> siblings;
      const fs::path dir = file.parent_path();
      for (const auto& e : list_dir(dir)) {
        if (e.extension() == ".tusk") {
          siblings.push_back((fs::path(u.path->value).parent_path() / e.filename()).generic_string());
        }
      }
      auto b = lp_.diags.report(base::DiagCode::kUnknownModule, u.path->span,
                                fmt::format("cannot find `{}`", u.path->value));
      b.label(fmt::format("no such file: {}", display(file)));
      if (auto near = did_you_mean(u.path->value, siblings)) {
        b.help(fmt::format("did you mean \"{}\"?", *near));
      } else {
        b.note("a used file is found relative to the file that uses it");
      }
      return;
    }
    const std::size_t before = files_.size();
    auto idx = load(file, u.path->span, "", true);
    if (!idx || *idx < before) return;
    const dsl::File& f = files_[*idx];
    // A used file with a `module` header keeps its names under that module's prefix.
    if (f.module) unit_module_[*idx] = f.module->name.str();
    if (f.pack) {
      lp_.diags.report(base::DiagCode::kModuleMismatch, f.pack->span, "a used file cannot be a pack")
          .label("a pack header in a used file")
          .secondary(u.path->span, "used here")
          .help("remove the `pack` line: a used file's declarations join the pack that uses it");
    }
  }

  std::optional<std::vector<CheckedTerm>> load_lexicon(const std::string& dir, const dsl::StringLit& lit) {
    const fs::path file = fs::path(dir) / lit.value;
    if (!confined(lit.value, file, lit.span, "a lexicon file")) return std::nullopt;
    const std::string key = file_key(file);
    if (auto it = lexicons_.find(key); it != lexicons_.end()) return it->second;
    auto text = read(file);
    if (!text) {
      lp_.diags
          .report(base::DiagCode::kIoError, lit.span,
                  fmt::format("cannot read lexicon file `{}`", display(file)))
          .label("no such file")
          .note("the path is relative to the .tusk file that loads it");
      lexicons_[key] = std::nullopt;
      return std::nullopt;
    }
    const base::SourceFile& src = lp_.sources.add(display(file), std::move(*text));
    digest_files_.push_back(src.id());
    std::optional<std::vector<CheckedTerm>> terms = find_parsed_lexicon(src.text(), src.id(), options_.cache);
    if (!terms) {
      const std::size_t before = lp_.diags.all().size();
      terms = parse_lexicon_file(src, lp_.diags);
      if (terms && lp_.diags.all().size() == before) {
        remember_parsed_lexicon(src.text(), *terms, options_.cache);
      }
    }
    // Kept for a second `load` of the same file in this pack; the caller gets its own copy.
    return lexicons_[key] = std::move(terms);
  }

  // SHA-256 over every file read, in load order: its path relative to the pack root (or
  // `std/...` for library modules), a NUL, and its bytes. A file of a pack from strings is named
  // by its key in the virtual map, whatever the current directory is.
  std::string digest() {
    base::Sha256 sha;
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(root_.empty() ? fs::path(".") : root_, ec);
    const fs::path stdlib =
        fs::weakly_canonical(options_.stdlib_dir.empty() ? fs::path(".") : fs::path(options_.stdlib_dir), ec);
    for (base::SourceId id : digest_files_) {
      const base::SourceFile& f = lp_.sources.file(id);
      const fs::path abs = fs::weakly_canonical(f.path(), ec);
      std::string name;
      const auto in = [](const fs::path& base, const fs::path& x) {
        auto rel = x.lexically_relative(base);
        return !rel.empty() && *rel.begin() != ".." ? std::optional<std::string>(rel.generic_string())
                                                    : std::nullopt;
      };
      if (vfs_ != nullptr && vfs_->count(vkey(f.path())) != 0) {
        name = vkey(f.path());
      } else if (auto r = vfs_ == nullptr ? in(root, abs) : std::nullopt) {
        name = *r;
      } else if (auto s = in(stdlib, abs)) {
        name = "std/" + *s;
      } else if (auto r2 = in(root, abs)) {
        name = *r2;
      } else {
        name = abs.filename().generic_string();
      }
      lp_.digest_inputs.emplace_back(name, id);
      sha.update(name);
      sha.update(std::string_view("\0", 1));
      sha.update(f.text());
    }
    return sha.final_hex();
  }

  LoadedPack& lp_;
  const CheckOptions& options_;
  const VirtualFiles* vfs_;  // null: the disk only
  fs::path root_;
  fs::path stdlib_root_;         // canonical; empty without a stdlib
  std::vector<fs::path> roots_;  // canonical directories pack files may come from
  std::vector<dsl::File> files_;
  std::vector<std::string> unit_module_;
  std::vector<std::string> unit_dir_;
  std::map<std::string, std::size_t> loaded_;
  std::map<std::string, std::optional<std::vector<CheckedTerm>>> lexicons_;
  std::vector<base::SourceId> digest_files_;
};

// The declaration a syntax error at `at` broke: the nearest line at or above it whose first
// word is a declaration keyword (where the parser resumes after an error), and the name after
// the keyword. The parser drops that declaration.
struct BrokenDecl {
  std::string keyword;
  std::string name;
};
std::optional<BrokenDecl> broken_decl(std::string_view text, std::size_t at) {
  static constexpr std::string_view kWords[] = {"lexicon", "regex",       "rule", "decide",
                                                "suggest", "alternative", "test", "use"};
  auto ident = [&](std::size_t p) {
    std::size_t e = p;
    while (e < text.size() && (std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_')) ++e;
    return text.substr(p, e - p);
  };
  std::size_t line = std::min(at, text.size());
  while (true) {
    while (line > 0 && text[line - 1] != '\n') --line;
    std::size_t p = line;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
    const std::string_view word = ident(p);
    for (auto w : kWords) {
      if (word != w) continue;
      BrokenDecl d{std::string(w), ""};
      std::size_t n = p + w.size();
      while (n < text.size() && (text[n] == ' ' || text[n] == '\t')) ++n;
      if (w != "decide" && w != "use" && w != "test" && w != "suggest") d.name = std::string(ident(n));
      return d;
    }
    if (line == 0) return std::nullopt;
    --line;
  }
}

// Diagnostics that only restate a syntax error, so that one mistake yields one error: a name
// that a declaration dropped by a syntax error would have declared, "unused" warnings (the
// use may have been in the dropped text), a missing decide block that did not parse.
void drop_follow_ons(LoadedPack& lp) {
  std::set<std::string> names;
  bool any = false;
  bool decide = false;
  for (const auto& d : lp.diags.all()) {
    const auto code = static_cast<int>(d.code);
    if (code > static_cast<int>(base::DiagCode::kInvalidNumber) || !d.primary.span.valid()) {
      continue;  // E001-E007
    }
    const std::string_view text = lp.sources.file(d.primary.span.source).text();
    if (auto b = broken_decl(text, d.primary.span.begin)) {
      any = true;
      if (!b->name.empty()) names.insert(b->name);
      decide = decide || b->keyword == "decide";
    }
  }
  if (!any) return;
  auto drop = [&](const base::Diagnostic& d) {
    using enum base::DiagCode;
    switch (d.code) {
      case kUnusedLexicon:
      case kUnusedRegex:
      case kUnusedRule:
        return true;
      case kMissingDecide:
        return decide;
      case kUnknownName:
      case kUnknownLexicon:
      case kUnknownRule:
      case kUnknownRegex:
      case kUnknownAlternative: {
        if (!d.primary.span.valid()) return false;
        std::string name(lp.sources.file(d.primary.span.source).slice(d.primary.span));
        if (const auto dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
        return names.count(name) != 0;
      }
      default:
        return false;
    }
  };
  base::Diagnostics kept;
  for (const auto& d : lp.diags.all()) {
    if (drop(d)) continue;
    auto b = kept.report(d.code, d.primary.span, d.message);
    b.label(d.primary.message);
    for (const auto& s : d.secondary) b.secondary(s.span, s.message);
    for (const auto& n : d.notes) b.note(n);
    if (d.help) b.help(*d.help);
    if (d.fix) b.fix(d.fix->span, d.fix->replacement);
  }
  lp.diags = std::move(kept);
}

}  // namespace

std::unique_ptr<LoadedPack> load_pack(const std::string& path, const CheckOptions& options) {
  return load_pack_files({path}, options);
}

std::unique_ptr<LoadedPack> load_pack_files(const std::vector<std::string>& paths,
                                            const CheckOptions& options) {
  auto lp = std::make_unique<LoadedPack>();
  Loader(*lp, options, nullptr).run(paths);
  drop_follow_ons(*lp);
  lp->diags.suppress(options.allow);
  lp->diags.sort();
  return lp;
}

std::unique_ptr<LoadedPack> load_pack(const std::string& path, const CheckOptions& options,
                                      const VirtualFiles& files) {
  auto lp = std::make_unique<LoadedPack>();
  Loader(*lp, options, &files).run({path.empty() ? std::string(".") : path});
  drop_follow_ons(*lp);
  lp->diags.suppress(options.allow);
  lp->diags.sort();
  return lp;
}

std::string default_stdlib_dir() {
  if (const char* env = std::getenv("TUSK_STDLIB"); env != nullptr && *env != '\0') return env;
#if defined(TUSK_STDLIB_FROM_BIN) && defined(TUSK_STDLIB_FROM_LIB)
  // An installed libtusk.so or tusk executable finds the stdlib installed beside it, wherever
  // the prefix was moved to; a build-tree binary has none there and falls through.
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&default_stdlib_dir), &info) != 0 && info.dli_fname != nullptr) {
    std::error_code ec;
    const fs::path here = fs::weakly_canonical(fs::path(info.dli_fname), ec).parent_path();
    for (const char* rel : {TUSK_STDLIB_FROM_LIB, TUSK_STDLIB_FROM_BIN}) {
      const fs::path dir = (here / rel).lexically_normal();
      if (fs::is_regular_file(dir / "money" / "rates.yaml", ec)) return dir.string();
    }
  }
#endif
#ifdef TUSK_STDLIB_DIR
  return TUSK_STDLIB_DIR;
#else
  return "stdlib";
#endif
}

}  // namespace tusk::compiler::front
