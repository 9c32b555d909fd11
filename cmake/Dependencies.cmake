# Every dependency comes from a Debian 12 package installed by scripts/bootstrap.
# Nothing is downloaded at configure or build time.

# LLVM 19's version file wants major.minor, so ask without a version and check it.
list(APPEND CMAKE_PREFIX_PATH /usr/lib/llvm-19)
find_package(LLVM REQUIRED CONFIG)
if(NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR "Tusk needs LLVM 19, found ${LLVM_PACKAGE_VERSION} at ${LLVM_DIR}")
endif()

find_package(pegtl REQUIRED CONFIG)          # taocpp::pegtl (3.2.7)
find_package(yaml-cpp REQUIRED CONFIG)       # target `yaml-cpp` in 0.7
find_package(fmt REQUIRED CONFIG)
find_package(simdjson REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_package(nlohmann_json 3.11 REQUIRED CONFIG)   # the language server's JSON-RPC (lsp/)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)   # Vectorscan ships as libhs
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)   # checksums and keys of the artifact store
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)   # pack bundles (.tar.gz), bundle/
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)             # SHA-256 (base/sha256.h), Ed25519 (base/signature.h)
# The verdict store (store/): SQLite (embedded default) and PostgreSQL (libpq) backends, JSON
# with nlohmann-json, evidence bundles written and read as tar.gz with libarchive.
find_package(SQLite3 REQUIRED)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
find_package(nlohmann_json REQUIRED CONFIG)
pkg_check_modules(ARCHIVE REQUIRED IMPORTED_TARGET libarchive)
# Reviewer passwords of the console of `tusk serve` (crypto_pwhash, Argon2id) and its session tokens.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(Boost 1.74 REQUIRED)          # header-only Beast and Asio: the HTTP server of `tusk serve` (serve/)
# Kafka (the C API of librdkafka 2.0): `tusk stream` (stream/) and its mock-cluster test harness.
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
# Account state (accounts/): RocksDB (the embedded store's engine), LMDB and SQLite (the engines it
# was measured against, bench/state_bench.cpp), hiredis (the Redis store).
pkg_check_modules(ROCKSDB REQUIRED IMPORTED_TARGET rocksdb)
pkg_check_modules(LMDB REQUIRED IMPORTED_TARGET lmdb)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
find_package(GTest CONFIG)
find_package(benchmark CONFIG)

# LLVM is linked as the one shared libLLVM; its headers are system headers so that its
# warnings do not drown ours. Only compiler/jit/ may link this target.
add_library(tusk_llvm INTERFACE)
target_include_directories(tusk_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
target_compile_definitions(tusk_llvm INTERFACE ${LLVM_DEFINITIONS})
target_link_libraries(tusk_llvm INTERFACE LLVM)
