#include "accounts/entity_codec.h"

#include <algorithm>
#include <tuple>

namespace tusk::accounts {
namespace {

void put_part(std::string& out, std::string_view part) {
  // Parts rarely hold a NUL: append runs between NULs whole instead of byte by byte.
  for (std::size_t nul; (nul = part.find('\0')) != std::string_view::npos; part.remove_prefix(nul + 1)) {
    out.append(part.substr(0, nul));
    out.append("\0\xff", 2);
  }
  out.append(part);
}
constexpr std::string_view kSep{"\0\1", 2};

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void put_int(std::string& out, std::int64_t v) {  // zigzag: small negatives stay short
  put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}
void put_str(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

struct Reader {
  std::string_view in;
  std::size_t pos = 0;
  [[noreturn]] static void bad() { throw StateError("account state: a stored entity is corrupt"); }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= in.size()) bad();
      const auto b = static_cast<unsigned char>(in[pos++]);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    bad();
  }
  std::int64_t int64() {
    const auto z = varint();
    return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  std::string str() {
    const auto n = varint();
    if (n > in.size() - pos) bad();
    std::string s(in.substr(pos, n));
    pos += n;
    return s;
  }
};

constexpr char kFormat = 1;

}  // namespace

void encode_key_into(std::string& out, const EntityKey& key) {
  out.clear();
  out.reserve(key.space.size() + key.entity.size() + key.id.size() + 4);
  put_part(out, key.space);
  out.append(kSep);
  put_part(out, key.entity);
  out.append(kSep);
  put_part(out, key.id);
}

std::string encode_key(const EntityKey& key) {
  std::string out;
  encode_key_into(out, key);
  return out;
}

std::string encode_prefix(const std::string& space, const std::string& entity) {
  std::string out;
  put_part(out, space);
  out.append(kSep);
  if (!entity.empty()) {
    put_part(out, entity);
    out.append(kSep);
  }
  return out;
}

std::optional<EntityKey> decode_key(std::string_view bytes) {
  std::string parts[3];
  int i = 0;
  for (std::size_t p = 0; p < bytes.size(); ++p) {
    if (bytes[p] != '\0') {
      parts[i].push_back(bytes[p]);
      continue;
    }
    if (p + 1 >= bytes.size()) return std::nullopt;
    if (bytes[p + 1] == '\xff') {
      parts[i].push_back('\0');
    } else if (bytes[p + 1] == '\1' && i < 2) {
      ++i;
    } else {
      return std::nullopt;
    }
    ++p;
  }
  if (i != 2) return std::nullopt;
  return EntityKey{std::move(parts[0]), std::move(parts[1]), std::move(parts[2])};
}

std::string list_start(const std::string& space, const std::string& entity, const std::string& after) {
  if (after.empty()) return encode_prefix(space, entity);
  std::string key;
  if (!entity.empty()) {
    key = encode_key({space, entity, after});
  } else {
    const auto colon = after.find(':');
    key = colon == std::string::npos ? encode_prefix(space, after)
                                     : encode_key({space, after.substr(0, colon), after.substr(colon + 1)});
  }
  // The smallest key greater than `key` and everything that starts with it.
  key.push_back('\0');
  key.push_back('\2');
  return key;
}

bool StoredEntity::prune(std::int64_t now) {
  const auto before = buckets.size() + seen.size() + labels.size();
  std::erase_if(buckets, [&](const Bucket& b) { return !live(b.expires, now); });
  std::erase_if(seen, [&](const Seen& s) { return !live(s.expires, now); });
  std::erase_if(labels, [&](const Label& l) { return !live(l.expires, now); });
  return buckets.size() + seen.size() + labels.size() != before;
}

namespace {
std::int64_t later(std::int64_t a, std::int64_t b) { return (a <= 0 || b <= 0) ? 0 : std::max(a, b); }
}  // namespace

void StoredEntity::apply(const StateUpdate& u) {
  switch (u.kind) {
    case StateUpdate::Kind::kAdd: {
      auto it =
          std::lower_bound(buckets.begin(), buckets.end(), std::tie(u.name, u.time),
                           [](const Bucket& b, const auto& k) { return std::tie(b.counter, b.start) < k; });
      if (it != buckets.end() && it->counter == u.name && it->start == u.time) {
        it->count += u.count;
        it->expires = later(it->expires, u.expires);
      } else {
        buckets.insert(it, Bucket{u.name, u.time, u.count, u.expires});
      }
      break;
    }
    case StateUpdate::Kind::kSee: {
      auto it =
          std::lower_bound(seen.begin(), seen.end(), std::tie(u.name, u.value),
                           [](const Seen& s, const auto& k) { return std::tie(s.counter, s.value) < k; });
      if (it != seen.end() && it->counter == u.name && it->value == u.value) {
        it->last = std::max(it->last, u.time);
        it->expires = later(it->expires, u.expires);
      } else {
        seen.insert(it, Seen{u.name, u.value, u.time, u.expires});
      }
      break;
    }
    case StateUpdate::Kind::kLabel: {
      auto it = std::lower_bound(labels.begin(), labels.end(), u.name,
                                 [](const Label& l, const std::string& k) { return l.name < k; });
      if (it != labels.end() && it->name == u.name) {
        if (u.time > it->until) {
          it->until = u.time;
          it->reason = u.value;
        }
        it->expires = later(it->expires, u.expires);
      } else {
        labels.insert(it, Label{u.name, u.time, u.expires, u.value});
      }
      break;
    }
    case StateUpdate::Kind::kUnlabel:
      std::erase_if(labels, [&](const Label& l) { return l.name == u.name; });
      break;
  }
}

void StoredEntity::to_state_into(EntityState& s, std::int64_t now) const {
  s.buckets.clear();
  s.seen.clear();
  s.labels.clear();
  s.buckets.reserve(buckets.size());
  s.seen.reserve(seen.size());
  s.labels.reserve(labels.size());
  for (const auto& b : buckets) {
    if (live(b.expires, now)) s.buckets.push_back({b.counter, b.start, b.count});
  }
  for (const auto& v : seen) {
    if (live(v.expires, now)) s.seen.push_back({v.counter, v.value, v.last});
  }
  for (const auto& l : labels) {
    if (live(l.expires, now)) s.labels.push_back({l.name, l.until, l.reason});
  }
}

EntityState StoredEntity::to_state(std::int64_t now) const {
  EntityState s;
  to_state_into(s, now);
  return s;
}

std::int64_t StoredEntity::max_expires() const {
  std::int64_t m = -1;  // -1: nothing seen yet
  auto take = [&](std::int64_t e) { m = (m == -1) ? std::max<std::int64_t>(e, 0) : later(m, e); };
  for (const auto& b : buckets) take(b.expires);
  for (const auto& v : seen) take(v.expires);
  for (const auto& l : labels) take(l.expires);
  return std::max<std::int64_t>(m, 0);
}

std::string StoredEntity::encode() const {
  std::string out;
  encode_into(out);
  return out;
}

void StoredEntity::encode_into(std::string& out) const {
  out.clear();
  encode_append(out);
}

void StoredEntity::encode_append(std::string& out) const {
  out.push_back(kFormat);
  put_varint(out, buckets.size());
  for (const auto& b : buckets) {
    put_str(out, b.counter);
    put_int(out, b.start);
    put_int(out, b.count);
    put_int(out, b.expires);
  }
  put_varint(out, seen.size());
  for (const auto& v : seen) {
    put_str(out, v.counter);
    put_str(out, v.value);
    put_int(out, v.last);
    put_int(out, v.expires);
  }
  put_varint(out, labels.size());
  for (const auto& l : labels) {
    put_str(out, l.name);
    put_int(out, l.until);
    put_int(out, l.expires);
    put_str(out, l.reason);
  }
}

StoredEntity StoredEntity::decode(std::string_view bytes) {
  if (bytes.empty() || bytes[0] != kFormat) Reader::bad();
  Reader r{bytes, 1};
  // Each item takes at least 4 bytes: a count larger than what is left is corrupt, not a
  // reason to allocate.
  auto count = [&] {
    const auto n = r.varint();
    if (n > bytes.size()) Reader::bad();
    return static_cast<std::size_t>(n);
  };
  StoredEntity e;
  e.buckets.resize(count());
  for (auto& b : e.buckets) {
    b.counter = r.str();
    b.start = r.int64();
    b.count = r.int64();
    b.expires = r.int64();
  }
  e.seen.resize(count());
  for (auto& v : e.seen) {
    v.counter = r.str();
    v.value = r.str();
    v.last = r.int64();
    v.expires = r.int64();
  }
  e.labels.resize(count());
  for (auto& l : e.labels) {
    l.name = r.str();
    l.until = r.int64();
    l.expires = r.int64();
    l.reason = r.str();
  }
  if (r.pos != bytes.size()) Reader::bad();
  return e;
}

}  // namespace tusk::accounts
