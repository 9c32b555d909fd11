#include "runtime/vectorscan_runtime.h"

#include <dlfcn.h>

namespace tusk::runtime {

const SomRuntime& som_runtime() {
  static const SomRuntime kRuntime = [] {
    SomRuntime r;
    hs_platform_info_t host{};
    if (hs_populate_platform(&host) != HS_SUCCESS) return r;
    if ((host.cpu_features & (HS_CPU_FEATURES_AVX512 | HS_CPU_FEATURES_AVX512VBMI)) == 0) return r;
    auto open = reinterpret_cast<SomRuntime::Open>(dlsym(RTLD_DEFAULT, "avx2_hs_open_stream"));
    auto scan = reinterpret_cast<SomRuntime::Scan>(dlsym(RTLD_DEFAULT, "avx2_hs_scan_stream"));
    auto close = reinterpret_cast<SomRuntime::Close>(dlsym(RTLD_DEFAULT, "avx2_hs_close_stream"));
    auto reset = reinterpret_cast<SomRuntime::Reset>(dlsym(RTLD_DEFAULT, "avx2_hs_reset_stream"));
    if (!open || !scan || !close || !reset) return r;
    r.open = open;
    r.scan = scan;
    r.close = close;
    r.reset = reset;
    r.avx2_only = true;
    return r;
  }();
  return kRuntime;
}

bool platform_for(const PatternDbOptions& options, hs_platform_info_t* platform) {
  if (options.target == PatternDbOptions::Target::kHost) {
    if (hs_populate_platform(platform) != HS_SUCCESS) return false;
    if (som_runtime().avx2_only) platform->cpu_features &= HS_CPU_FEATURES_AVX2;
    return true;
  }
  *platform = hs_platform_info_t{};
  platform->tune = HS_TUNE_FAMILY_GENERIC;
  platform->cpu_features = 0;
  return true;
}

}  // namespace tusk::runtime
