#include "bundle/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace tusk::bundle {
namespace {

namespace fs = std::filesystem;

struct ReadFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

std::string message_of(archive* a) {
  const char* m = archive_error_string(a);
  return m != nullptr ? m : "unknown error";
}

const char* type_name(mode_t type) {
  switch (type) {
    case AE_IFDIR:
      return "a directory";
    case AE_IFLNK:
      return "a symbolic link";
    case AE_IFCHR:
      return "a character device";
    case AE_IFBLK:
      return "a block device";
    case AE_IFIFO:
      return "a FIFO";
    case AE_IFSOCK:
      return "a socket";
    default:
      return "not a regular file";
  }
}

std::string mib(std::uint64_t bytes) {
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
}

}  // namespace

std::string unsafe_name(const std::string& name) {
  if (name.empty()) return "an empty member name";
  if (name.size() > 255) return "a member name longer than 255 bytes";
  if (name.front() == '/') return "an absolute member path";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "a control character in the member name";
    if (c == '\\') return "a backslash in the member name";
  }
  std::size_t pos = 0;
  while (pos <= name.size()) {
    const std::size_t slash = name.find('/', pos);
    const std::size_t end = slash == std::string::npos ? name.size() : slash;
    const std::string part = name.substr(pos, end - pos);
    if (part == "..") return "a `..` component in the member path";
    if (part == ".") return "a `.` component in the member path";
    if (part.empty()) return "an empty component in the member path";
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return {};
}

ArchiveRead read_archive(const std::string& path, const Bounds& bounds) {
  ArchiveRead out;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    out.io_error = true;
    out.problems.push_back({"", fmt::format("cannot read {}: {}", path, std::strerror(errno))});
    return out;
  }
  if (!S_ISREG(st.st_mode)) {
    out.io_error = true;
    out.problems.push_back({"", fmt::format("{} is not a regular file", path)});
    return out;
  }
  if (static_cast<std::uint64_t>(st.st_size) > bounds.max_archive_bytes) {
    out.problems.push_back({"", fmt::format("the bundle file is {}, over the limit of {}", mib(st.st_size),
                                            mib(bounds.max_archive_bytes))});
    return out;
  }
  std::unique_ptr<archive, ReadFree> a(archive_read_new());
  if (!a) {
    out.io_error = true;
    out.problems.push_back({"", "out of memory"});
    return out;
  }
  // Exactly what `tusk bundle` writes: tar in gzip, nothing else (no other compressions, no
  // zip or cpio, no external programs).
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), static_cast<std::size_t>(64) * 1024) != ARCHIVE_OK) {
    const int err = archive_errno(a.get());
    // A file we cannot open is an I/O error; one that is not a tar.gz is a bad bundle.
    out.io_error = err == ENOENT || err == EACCES || err == EISDIR;
    out.problems.push_back({"", fmt::format("not a readable .tar.gz bundle: {}", message_of(a.get()))});
    return out;
  }
  std::uint64_t total = 0;
  std::size_t count = 0;
  for (;;) {
    archive_entry* e = nullptr;
    const int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      out.problems.push_back({"", fmt::format("the archive is damaged: {}", message_of(a.get()))});
      return out;
    }
    if (++count > bounds.max_members) {
      out.problems.push_back({"", fmt::format("the bundle has more than {} members", bounds.max_members)});
      return out;
    }
    const char* raw_name = archive_entry_pathname(e);
    std::string name = raw_name != nullptr ? raw_name : "";
    if (std::string why = unsafe_name(name); !why.empty()) {
      out.problems.push_back({name, fmt::format("refused: {}", why)});
      continue;  // its data is skipped, never written anywhere
    }
    if (archive_entry_filetype(e) != AE_IFREG) {
      out.problems.push_back(
          {name, fmt::format("refused: {}, not a regular file", type_name(archive_entry_filetype(e)))});
      continue;
    }
    if (archive_entry_size_is_set(e) &&
        static_cast<std::uint64_t>(archive_entry_size(e)) > bounds.max_member_bytes) {
      out.problems.push_back(
          {name, fmt::format("refused: the member is {}, over the limit of {} for one member",
                             mib(archive_entry_size(e)), mib(bounds.max_member_bytes))});
      return out;
    }
    Entry entry{name, {}};
    char buf[64 * 1024];
    for (;;) {
      const la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        out.problems.push_back({name, fmt::format("the archive is damaged here: {}", message_of(a.get()))});
        return out;
      }
      total += static_cast<std::uint64_t>(n);
      if (entry.data.size() + static_cast<std::size_t>(n) > bounds.max_member_bytes) {
        out.problems.push_back(
            {name, fmt::format("refused: the member unpacks to more than {}, the limit for one member",
                               mib(bounds.max_member_bytes))});
        return out;
      }
      if (total > bounds.max_total_bytes) {
        out.problems.push_back(
            {name, fmt::format("refused: the bundle unpacks to more than {}, the limit for a bundle",
                               mib(bounds.max_total_bytes))});
        return out;
      }
      entry.data.append(buf, static_cast<std::size_t>(n));
    }
    out.entries.push_back(std::move(entry));
  }
  return out;
}

std::string write_archive(const std::string& path, const std::vector<Entry>& entries, std::time_t mtime) {
  const fs::path target(path);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string tmp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
  ::fchmod(fd, 0644);
  auto fail = [&](const std::string& why) {
    ::unlink(tmp.c_str());
    return fmt::format("cannot write {}: {}", path, why);
  };
  std::string error;
  {
    std::unique_ptr<archive, WriteFree> a(archive_write_new());
    if (!a) error = "out of memory";
    // No time in the gzip header ("!timestamp"): the same members and mtime give the same bytes.
    if (error.empty() &&
        (archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
         archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr) != ARCHIVE_OK ||
         archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
         archive_write_open_fd(a.get(), fd) != ARCHIVE_OK)) {
      error = message_of(a.get());
    }
    for (std::size_t i = 0; error.empty() && i < entries.size(); ++i) {
      const Entry& entry = entries[i];
      std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
      archive_entry_set_pathname(e.get(), entry.name.c_str());
      archive_entry_set_filetype(e.get(), AE_IFREG);
      archive_entry_set_perm(e.get(), 0644);
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(entry.data.size()));
      archive_entry_set_mtime(e.get(), mtime, 0);
      archive_entry_set_uid(e.get(), 0);
      archive_entry_set_gid(e.get(), 0);
      if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) {
        error = message_of(a.get());
        break;
      }
      std::size_t done = 0;
      while (done < entry.data.size()) {
        const la_ssize_t n = archive_write_data(a.get(), entry.data.data() + done, entry.data.size() - done);
        if (n <= 0) {
          error = message_of(a.get());
          break;
        }
        done += static_cast<std::size_t>(n);
      }
    }
    if (error.empty() && archive_write_close(a.get()) != ARCHIVE_OK) error = message_of(a.get());
  }
  if (!error.empty()) {
    ::close(fd);
    return fail(error);
  }
  if (::fsync(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return fail(why);
  }
  if (::close(fd) != 0) return fail(std::strerror(errno));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail(std::strerror(errno));
  return {};
}

}  // namespace tusk::bundle
