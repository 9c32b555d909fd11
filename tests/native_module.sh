#!/usr/bin/env bash
# Native code comes from a module opened on first use (compiler/jit/jit_module.h), so that a
# process which does not need it never loads LLVM. Checked here, on the built `tusk`:
# - the executable does not link libLLVM, and a short scan or `tusk check` never loads it;
# - a scan of a large file with `auto`, and `--backend jit`, load it and give the interpreter's
#   verdicts;
# - without the module (or with a file that is not one) `--backend jit` and `--dump ir` fail
#   with a clear error, while `auto` stays on the interpreter with the same verdicts.
set -euo pipefail
tusk=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pack=$root/examples/packs/wildlife
small=$root/examples/listings/sample.jsonl
fail() { echo "FAIL: $*"; exit 1; }
# The libraries a command maps, as the dynamic loader reports them.
loads_llvm() {
  LD_DEBUG=files "$@" 2> "$tmp/ld.log" > /dev/null || true
  grep -q 'file=libLLVM' "$tmp/ld.log"
}

readelf -d "$tusk" | grep -q 'NEEDED.*libLLVM' && fail "tusk links libLLVM"

# 6,000 listings of 500-1,000 bytes: over the 4 MiB from which a scan takes native code first.
python3 "$root/scripts/gen_listings.py" --count 6000 --seed 21 --min-bytes 500 --max-bytes 1000 -o "$tmp/big.jsonl"
(($(stat -c %s "$tmp/big.jsonl") >= 4 * 1024 * 1024)) || fail "the large input is under 4 MiB"

loads_llvm "$tusk" scan -q --pack "$pack" "$small" && fail "a short scan loaded LLVM"
loads_llvm "$tusk" check "$pack" && fail "tusk check loaded LLVM"
loads_llvm "$tusk" scan -q --backend interp --pack "$pack" "$tmp/big.jsonl" && fail "--backend interp loaded LLVM"
loads_llvm "$tusk" scan -q --pack "$pack" "$tmp/big.jsonl" || fail "a long scan with auto did not load LLVM"

"$tusk" scan -q --backend interp --pack "$pack" "$tmp/big.jsonl" -o "$tmp/interp.jsonl"
"$tusk" scan -q --backend jit --pack "$pack" "$tmp/big.jsonl" -o "$tmp/jit.jsonl"
"$tusk" scan -q --pack "$pack" "$tmp/big.jsonl" -o "$tmp/auto.jsonl"
cmp "$tmp/interp.jsonl" "$tmp/jit.jsonl" || fail "jit and interp differ"
cmp "$tmp/interp.jsonl" "$tmp/auto.jsonl" || fail "auto and interp differ"
"$tusk" check --dump ir "$pack" > "$tmp/ir.ll" 2>/dev/null
grep -q '^define .*@tusk_eval_batch' "$tmp/ir.ll" || fail "--dump ir gave no IR"

# No module, or something else in its place.
for module in "$tmp/missing.so" "$(ldd "$tusk" | awk '/libfmt/ {print $3}')"; do
  rc=0
  TUSK_JIT_MODULE=$module "$tusk" scan -q --backend jit --pack "$pack" "$small" > /dev/null 2> "$tmp/err" || rc=$?
  # Exit 2 (the installation, not the pack: docs/workflow.md#exit-status).
  [[ $rc == 2 ]] || fail "--backend jit without the module ($module): exit $rc, expected 2"
  grep -q 'native code is unavailable' "$tmp/err" || fail "unclear error: $(cat "$tmp/err")"
  grep -q 'has errors' "$tmp/err" && fail "the pack is blamed: $(cat "$tmp/err")"
  if TUSK_JIT_MODULE=$module "$tusk" check --dump ir "$pack" > /dev/null 2> "$tmp/err"; then
    fail "--dump ir without the module succeeded"
  fi
  grep -q 'cannot show the IR: native code is unavailable' "$tmp/err" || fail "unclear error: $(cat "$tmp/err")"
  TUSK_JIT_MODULE=$module "$tusk" scan -q --pack "$pack" "$tmp/big.jsonl" -o "$tmp/fallback.jsonl"
  cmp "$tmp/interp.jsonl" "$tmp/fallback.jsonl" || fail "auto without the module ($module) gave other verdicts"
done
TUSK_JIT_MODULE=$tmp/missing.so "$tusk" scan -q --backend jit --pack "$pack" "$small" 2> "$tmp/err" > /dev/null || true
grep -q 'libtusk-jit.so not found' "$tmp/err" || fail "a missing module is not reported as not found: $(cat "$tmp/err")"
TUSK_JIT_MODULE=$(ldd "$tusk" | awk '/libfmt/ {print $3}') "$tusk" scan -q --backend jit --pack "$pack" "$small" 2> "$tmp/err" > /dev/null || true
grep -q 'is not a Tusk JIT module' "$tmp/err" || fail "a foreign library is not reported as such: $(cat "$tmp/err")"
echo "ok"
