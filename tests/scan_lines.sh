#!/usr/bin/env bash
# `tusk scan` keeps one output line per input line, in input order, whatever the thread count:
# 10,000 generated listings with malformed lines interleaved.
set -euo pipefail
tusk=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/scripts/gen_listings.py" --count 10000 --seed 11 --malformed 0.05 -o "$tmp/in.jsonl"
lines=$(wc -l < "$tmp/in.jsonl")
for threads in 1 2 4; do
  set +e
  "$tusk" scan --quiet --threads "$threads" --pack "$root/examples/packs/wildlife" "$tmp/in.jsonl" > "$tmp/out$threads.jsonl"
  rc=$?
  set -e
  # Some lines are malformed, so the exit status must say so.
  [[ $rc == 1 ]] || { echo "exit status $rc, expected 1"; exit 1; }
  out=$(wc -l < "$tmp/out$threads.jsonl")
  [[ $out == "$lines" ]] || { echo "threads=$threads: $lines lines in, $out out"; exit 1; }
done
cmp "$tmp/out1.jsonl" "$tmp/out2.jsonl"
cmp "$tmp/out1.jsonl" "$tmp/out4.jsonl"
python3 - "$tmp/in.jsonl" "$tmp/out1.jsonl" <<'PY'
import json, sys
ins = open(sys.argv[1], 'rb').read().split(b'\n')[:-1]
outs = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
errors = 0
for n, (i, o) in enumerate(zip(ins, outs), 1):
    if 'error' in o:
        errors += 1
        assert o['line'] == n, (n, o)
        continue
    rec = json.loads(i)
    assert str(rec.get('id')) == o['id'], (n, rec.get('id'), o['id'])
assert errors > 100, errors
print(f"{len(outs)} lines, {errors} errors in place")
PY
