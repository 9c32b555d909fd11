// Scanner entry points beyond scan(json): batches and listings filled field by field.
#include <fmt/format.h>

#include "api/scanner_impl.h"

namespace tusk {

namespace {

using stdlib::FieldType;

// The field's id when the pack's schema has it with one of `types`.
std::optional<stdlib::FieldId> field_of(const runtime::Pipeline& s, std::string_view path,
                                        std::initializer_list<stdlib::FieldType> types) {
  const auto id = s.compiled().schema->find(path);
  if (!id) return std::nullopt;
  const stdlib::FieldType t = s.compiled().plan->fields[*id].type;
  for (stdlib::FieldType ok : types) {
    if (t == ok) return id;
  }
  return std::nullopt;
}

}  // namespace

void Scanner::scan_batch(const std::vector<std::string_view>& listings, std::vector<Verdict>& out) {
  out.resize(listings.size());
  // A stateful pack: one state read before the batch and one write after it (docs/accounts.md).
  impl_->pipeline.begin_batch(listings);
  for (std::size_t i = 0; i < listings.size(); ++i) {
    impl_->pipeline.scan(listings[i], out[i]);
    out[i].line = i + 1;
  }
  std::string error;
  if (!impl_->pipeline.end_batch(error)) {
    // The batch's updates were refused: none of its verdicts stands (fail closed).
    for (Verdict& v : out) {
      const std::string id = v.id;
      const PackInfo info = v.pack;
      const std::uint64_t line = v.line;
      v = Verdict{};
      v.ok = false;
      v.error = error;
      v.id = id;
      v.pack = info;
      v.line = line;
    }
  }
}

void Scanner::set_state(std::shared_ptr<StateStore> store) { impl_->pipeline.set_state(std::move(store)); }
void Scanner::set_clock(std::function<std::int64_t()> unix_seconds) {
  impl_->pipeline.set_clock(std::move(unix_seconds));
}

std::vector<Verdict> Scanner::scan_batch(const std::vector<std::string_view>& listings) {
  std::vector<Verdict> out;
  scan_batch(listings, out);
  return out;
}

void Scanner::begin(std::string_view id) {
  impl_->pipeline.begin_record();
  runtime::Record& r = impl_->pipeline.mutable_record();
  r.id.assign(id);
  r.has_id = !id.empty();
}

bool Scanner::set_text(std::string_view field, std::string_view text) {
  const auto f = field_of(impl_->pipeline, field, {stdlib::FieldType::kText});
  if (!f) return false;
  impl_->pipeline.mutable_record().set_text(*f, text);
  return true;
}

bool Scanner::set_number(std::string_view field, double value) {
  const auto f = field_of(impl_->pipeline, field,
                          {stdlib::FieldType::kNumber, stdlib::FieldType::kBool, stdlib::FieldType::kMoney});
  if (!f) return false;
  impl_->pipeline.mutable_record().set_number(*f, value);
  return true;
}

bool Scanner::set_money(std::string_view field, double amount, std::string_view currency) {
  const auto f = field_of(impl_->pipeline, field, {stdlib::FieldType::kMoney});
  if (!f) return false;
  std::string code(currency);
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  impl_->pipeline.mutable_record().set_money(*f, amount, code);
  return true;
}

bool Scanner::add_element(std::string_view field, std::string_view element) {
  const auto f = field_of(impl_->pipeline, field, {stdlib::FieldType::kTextList});
  if (!f) return false;
  runtime::Record& r = impl_->pipeline.mutable_record();
  runtime::FieldValue& v = r.values[*f];
  // Record lists grow at the arena's tail; when another field was set in between, move the
  // list's elements to the tail first.
  if (v.present && v.text_begin + v.text_size != r.arena.size()) {
    std::vector<std::string> old;
    for (std::size_t i = 0; i < v.element_count; ++i) old.emplace_back(r.element(*f, i));
    r.begin_text_list(*f);
    for (const auto& e : old) r.append_list_element(*f, e);
  } else if (!v.present) {
    r.begin_text_list(*f);
  }
  r.append_list_element(*f, element);
  return true;
}

Verdict Scanner::scan_listing() {
  Verdict v;
  scan_listing(v);
  return v;
}

void Scanner::scan_listing(Verdict& out) {
  std::string error;
  if (!impl_->pipeline.evaluate_record(error) || !impl_->pipeline.commit_state(error)) {
    out = Verdict{};
    out.ok = false;
    out.error = std::move(error);
    out.id = impl_->pipeline.record().id;
    out.pack = impl_->pack->info();
    return;
  }
  impl_->pipeline.fill_verdict(out);
}

void Scanner::set_record_shape(RecordShape shape) {
  impl_->pipeline.set_record_shape(shape == RecordShape::kPost ? runtime::RecordShape::kPost
                                                               : runtime::RecordShape::kListing);
}

RecordShape Scanner::record_shape() const {
  return impl_->pipeline.record_shape() == runtime::RecordShape::kPost ? RecordShape::kPost
                                                                       : RecordShape::kListing;
}

std::shared_ptr<const Pack> Scanner::shared_pack() const { return impl_->pack; }

namespace internal {
// The pipeline shares the pack's compiled part; the aliasing pointer keeps the whole Pack alive.
ScannerImpl::ScannerImpl(std::shared_ptr<const Pack> p)
    : pack(std::move(p)),
      pipeline(std::shared_ptr<const runtime::CompiledPack>(pack, &Inspect::pack(*pack).compiled)) {}
}  // namespace internal

Scanner::Scanner(std::shared_ptr<const Pack> pack)
    : impl_(std::make_unique<internal::ScannerImpl>(std::move(pack))) {}
Scanner::~Scanner() = default;
Scanner::Scanner(Scanner&&) noexcept = default;
Scanner& Scanner::operator=(Scanner&&) noexcept = default;
Verdict Scanner::scan(std::string_view json) { return impl_->pipeline.scan(json); }
void Scanner::scan(std::string_view json, Verdict& out) { impl_->pipeline.scan(json, out); }
const Pack& Scanner::pack() const { return *impl_->pack; }

}  // namespace tusk
