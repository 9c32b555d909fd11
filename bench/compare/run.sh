#!/usr/bin/env bash
# Side-by-side comparison of Tusk with the scan-only limit, YARA, RE2::Set and Python, on one
# generated corpus and one generated pack, on one core. See docs/performance.md.
#
#   bash bench/compare/run.sh [--count N] [--seed S] [--runs R] [--build DIR] [--cpu C]
#
# Needs the Debian packages of scripts/bootstrap --bench (yara, libyara-dev, libre2-dev).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
count=20000
seed=7
runs=3
build="$repo/build-compare"
cpu=0
while (($#)); do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    -h|--help) sed -n 2,7p "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

for lib in yara re2; do
  if ! pkg-config --exists "$lib"; then
    echo "run.sh: $lib not found; run scripts/bootstrap --bench" >&2
    exit 2
  fi
done

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target tusk scan_limit re2_harness yara_harness -j2 >/dev/null

work="$build/compare-work"
mkdir -p "$work"
corpus="$work/corpus-$count-$seed.jsonl"
if [[ ! -f "$corpus" ]]; then
  python3 "$repo/scripts/gen_listings.py" --count "$count" --seed "$seed" --positives 0.03 \
    --min-bytes 500 --max-bytes 1000 -o "$corpus"
fi
python3 "$repo/bench/compare/gen_pack.py" --out "$work" >&2
python3 "$repo/bench/compare/gen_heavy_pack.py" --out "$work" >&2

pin=(taskset -c "$cpu")
tusk="$build/bin/tusk"
log="$work/results.log"
: >"$log"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"

# Tusk's own figure is its summary line ("scanned N records (X MB) in S s"): the scan loop with
# reading input and writing verdicts, without loading the pack (measured on its own below).
run_tusk() {  # name backend [threads]
  local err="$work/tusk-$1.err" threads=${3:-1} on=("${pin[@]}")
  # Two threads get both cores (the other engines are single-threaded and pinned to one).
  if ((threads > 1)); then on=(taskset -c "0-$((threads - 1))"); fi
  "${on[@]}" "$tusk" scan --threads "$threads" --backend "$2" --pack "$work/pack" "$corpus" -o "$work/tusk-$1.jsonl" 2>"$err" || true
  local bytes secs records
  records=$(sed -n 's/^scanned \([0-9]*\) records.*/\1/p' "$err")
  secs=$(sed -n 's/.* in \([0-9.]*\) s with.*/\1/p' "$err")
  bytes=$(stat -c %s "$corpus")
  if [[ -z "$secs" ]]; then cat "$err" >&2; echo "run.sh: tusk scan failed" >&2; exit 1; fi
  echo "RESULT $1 records=$records bytes=$bytes seconds=$secs setup=0"
}

for ((r = 1; r <= runs; r++)); do
  echo "run $r/$runs (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  {
    run_tusk tusk auto
    run_tusk tusk_interp interp
    run_tusk tusk_jit jit
    run_tusk tusk_t2 auto 2
    # The condition-heavy pack (gen_heavy_pack.py), where the two backends differ most.
    for b in interp jit; do
      "${pin[@]}" "$tusk" scan --threads 1 --backend "$b" --pack "$work/heavy" "$corpus" -o /dev/null 2>"$work/heavy-$b.err" || true
      echo "RESULT heavy_$b records=0 bytes=$(stat -c %s "$corpus") seconds=$(sed -n 's/.* in \([0-9.]*\) s with.*/\1/p' "$work/heavy-$b.err") setup=0"
    done
    "${pin[@]}" "$build/bin/scan_limit" "$work/spec.tsv" "$corpus" 2>/dev/null
    "${pin[@]}" "$build/bin/re2_harness" "$work/spec.tsv" "$corpus" "$work/re2.tsv" 2>/dev/null
    "${pin[@]}" "$build/bin/yara_harness" "$work/rules.yar" "$work/spec.tsv" "$corpus" "$work/yara.tsv" 2>/dev/null
    "${pin[@]}" /usr/bin/python3 "$repo/bench/compare/py_eval.py" "$work/spec.tsv" "$corpus" "$work/python.tsv"
    echo "LOAD $(cut -d' ' -f1 /proc/loadavg)"
  } | tee -a "$log" >&2
done

# Pack load: `tusk scan` of an empty input, wall clock.
: >"$work/empty.jsonl"
for pack in "$work/pack" "$repo/examples/packs/wildlife"; do
  for ((r = 1; r <= runs; r++)); do
    t0=$(date +%s%N)
    "${pin[@]}" "$tusk" scan --threads 1 -q --pack "$pack" "$work/empty.jsonl" -o /dev/null
    t1=$(date +%s%N)
    echo "PACKLOAD $(basename "$pack") ms=$(((t1 - t0) / 1000000))" | tee -a "$log" >&2
  done
done

python3 "$repo/bench/compare/report.py" --log "$log" --work "$work" --corpus "$corpus"
