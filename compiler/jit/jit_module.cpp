// Finding and opening libtusk-jit.so (jit_module.h).
#include "compiler/jit/jit_module.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace tusk::compiler::jit {
namespace {

namespace fs = std::filesystem;
constexpr const char* kModuleName = "libtusk-jit.so";

bool same_layout(const NativeApi& a, const NativeApi& b) {
  return a.abi == b.abi && a.plan_size == b.plan_size && a.options_size == b.options_size &&
         a.stats_size == b.stats_size && a.record_size == b.record_size && a.result_size == b.result_size;
}

struct Loaded {
  const NativeApi* api = nullptr;
  std::string error;
};

Loaded load() {
  std::string tried;
  for (const std::string& path : native_module_candidates()) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    // RTLD_LOCAL: the module's copies of the plan and stdlib code stay its own. Never closed:
    // evaluators made by it may live until the process ends.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      return {nullptr, "cannot open " + path + ": " + (why != nullptr ? why : "unknown error")};
    }
    using Entry = const NativeApi* (*)();
    auto entry = reinterpret_cast<Entry>(::dlsym(handle, "tusk_jit_native_api"));
    if (entry == nullptr) return {nullptr, path + " is not a Tusk JIT module (no tusk_jit_native_api)"};
    const NativeApi* api = entry();
    if (api == nullptr || !same_layout(*api, expected_native_layout()) || api->create == nullptr ||
        api->dump_ir == nullptr) {
      return {nullptr, path + " comes from another build of Tusk (its interface differs)"};
    }
    return {api, {}};
  }
  return {nullptr, std::string(kModuleName) + " not found (looked in: " + tried + ")"};
}

#if defined(TUSK_JIT_MODULE_FROM_LIB) && defined(TUSK_JIT_MODULE_FROM_BIN)
// The directory of the file holding this code (the executable or libtusk.so).
fs::path image_dir() {
  Dl_info info{};
  std::error_code ec;
  if (::dladdr(reinterpret_cast<void*>(&image_dir), &info) != 0 && info.dli_fname != nullptr) {
    fs::path file(info.dli_fname);
    // glibc names the main program by argv[0], which may be relative or a bare name.
    if (!file.is_absolute() || !fs::exists(file, ec)) file = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) return fs::weakly_canonical(file, ec).parent_path();
  }
  return fs::weakly_canonical(fs::read_symlink("/proc/self/exe", ec), ec).parent_path();
}
#endif

}  // namespace

std::vector<std::string> native_module_candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("TUSK_JIT_MODULE"); env != nullptr && *env != '\0') {
    out.emplace_back(env);
    return out;
  }
#if defined(TUSK_JIT_MODULE_FROM_LIB) && defined(TUSK_JIT_MODULE_FROM_BIN)
  const fs::path here = image_dir();
  // Installed: the module sits in <libdir>/tusk/, beside libtusk.so or reached from <bindir>.
  for (const char* rel : {TUSK_JIT_MODULE_FROM_LIB, TUSK_JIT_MODULE_FROM_BIN}) {
    out.push_back((here / rel).lexically_normal().string());
  }
#endif
#ifdef TUSK_JIT_MODULE_BUILD_PATH
  out.emplace_back(TUSK_JIT_MODULE_BUILD_PATH);
#endif
  return out;
}

const NativeApi* native_api(std::string* error) {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = load(); });
  if (loaded.api == nullptr && error != nullptr) *error = loaded.error;
  return loaded.api;
}

}  // namespace tusk::compiler::jit
