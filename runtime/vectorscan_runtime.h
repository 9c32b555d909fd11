// The Vectorscan entry points that scans go through, and the platform databases are compiled
// for. Internal to runtime/patterns.cpp (it names Vectorscan's types).
//
// On a CPU with AVX-512, Vectorscan 5.4.9's runtime (Debian's build dispatches each entry point
// to a core2, corei7, avx2 or avx512 variant by the host's CPUID) loses start-of-match reports
// (runtime/patterns.cpp says which); its avx2 variants, given a database compiled for AVX2,
// report them all. So on such a host databases are compiled for AVX2 and scanned through the
// avx2 entry points.
#pragma once

#include <hs/hs.h>

#include "runtime/patterns.h"

namespace tusk::runtime {

// Vectorscan's own dispatch, or its avx2 variants on an AVX-512 host. Resolved once; the
// variants are looked up by name so that a Vectorscan built without the fat runtime (no
// variants) is used as it is.
struct SomRuntime {
  using Open = hs_error_t (*)(const hs_database_t*, unsigned, hs_stream_t**);
  using Scan = hs_error_t (*)(hs_stream_t*, const char*, unsigned, unsigned, hs_scratch_t*,
                              match_event_handler, void*);
  using Close = hs_error_t (*)(hs_stream_t*, hs_scratch_t*, match_event_handler, void*);
  using Reset = hs_error_t (*)(hs_stream_t*, unsigned, hs_scratch_t*, match_event_handler, void*);
  Open open = hs_open_stream;
  Scan scan = hs_scan_stream;
  Close close = hs_close_stream;
  Reset reset = hs_reset_stream;
  bool avx2_only = false;  // databases for the host are compiled without the AVX-512 features
};
const SomRuntime& som_runtime();

// The platform a database is compiled for: the host's (less AVX-512 when avx2_only), or a
// generic one. False when the host's cannot be read.
bool platform_for(const PatternDbOptions& options, hs_platform_info_t* platform);

}  // namespace tusk::runtime
