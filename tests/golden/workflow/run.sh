#!/usr/bin/env bash
# Command-output goldens for the rollout workflow (docs/workflow.md): `tusk test`, `tusk eval`,
# `tusk diff`, `tusk fmt --check`, `tusk init` and `tusk bench` on the example packs, with their
# exit codes. Usage: run.sh TUSK_BINARY SOURCE_DIR. UPDATE_GOLDENS=1 rewrites the goldens.
# Pack digests are masked (they change with every edit of an example pack); nothing here depends
# on the clock except bench, which is checked for shape, not numbers.
set -u
tusk="$1"
cd "$2" || exit 2
dir=tests/golden/workflow
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mask() { sed -E "s#$tmp#TMP#g"'; s/\([0-9a-f]{12}\)/(<digest>)/g; s/"digest":"[0-9a-f]*"/"digest":"<digest>"/g'; }

# check NAME EXPECTED_EXIT COMMAND...: stdout and stderr, and the exit code, against $dir/NAME.out.
check() {
  local name="$1" want="$2"
  shift 2
  local out rc
  out=$("$@" 2>&1 | mask; exit "${PIPESTATUS[0]}")
  rc=$?
  out+=$'\n'"[exit $rc]"
  if [[ "${UPDATE_GOLDENS:-}" == 1 ]]; then
    printf '%s\n' "$out" >"$dir/$name.out"
  elif ! diff -u "$dir/$name.out" <(printf '%s\n' "$out"); then
    echo "FAIL $name: output differs from $dir/$name.out"
    failed=1
  fi
  if [[ "$rc" != "$want" ]]; then
    echo "FAIL $name: exit $rc, expected $want"
    failed=1
  fi
}

sample=examples/listings/sample.jsonl
labels=examples/listings/sample.labels.jsonl

check test_inline_and_yaml 0 "$tusk" test examples/packs/ivory --tests $dir/ivory_cases.yaml --verbose
check test_failures 1 "$tusk" test examples/packs/ivory --tests $dir/ivory_failing.yaml
check test_filter 0 "$tusk" test examples/packs/ivory --tests $dir/ivory_cases.yaml --tests $dir/ivory_failing.yaml -v --filter 'colour*' --filter clothing
check test_failures_json 1 "$tusk" test examples/packs/ivory --tests $dir/ivory_failing.yaml --format json
check test_ivory_coverage 0 "$tusk" test examples/packs/ivory --coverage
check test_coverage_min 1 "$tusk" test examples/packs/ivory --coverage-min 99 --format json
check test_bad_yaml 3 "$tusk" test examples/packs/ivory --tests $dir/bad_cases.yaml
# pack.yaml: `tests:` files run with the inline tests, `limits` gate test and diff by default,
# and mistakes in the workflow keys are diagnostics.
check manifest_errors 3 "$tusk" check $dir/limits_pack
check manifest_tests_and_min_coverage 1 "$tusk" test $dir/ok_pack --verbose
check manifest_min_coverage_overridden 0 "$tusk" test $dir/ok_pack --coverage-min 40
check manifest_max_changed 1 "$tusk" diff --old $dir/limits_pack/limits.tusk --new $dir/ok_pack $sample --samples 0
check eval_ivory 0 "$tusk" eval --pack examples/packs/ivory --labels $labels $sample --top 3
check eval_ivory_json 0 "$tusk" eval --pack examples/packs/ivory --labels $labels $sample --format json
# Binary labels as scripts/gen_listings.py writes them (generated.jsonl: --count 300 --seed 1 --positives 0.3).
check eval_binary_families 0 "$tusk" eval --pack examples/packs/ivory --labels $dir/generated.labels.jsonl $dir/generated.jsonl --top 2
check eval_min_recall 1 "$tusk" eval --pack examples/packs/ivory --labels $labels $sample --min-recall 0.5 --top 0
check diff_threshold 0 "$tusk" diff --old examples/packs/ivory --new $dir/ivory_v2 $sample
check diff_json_gate 1 "$tusk" diff --old examples/packs/ivory --new $dir/ivory_v2 $sample --format json --max-changed 3
check diff_same 0 "$tusk" diff --old examples/packs/ivory --new examples/packs/ivory $sample --max-changed 0
check fmt_check_unformatted 1 "$tusk" fmt --check tests/golden/fmt/messy.tusk
check fmt_check_formatted 0 "$tusk" fmt --check tests/golden/fmt/messy.fmt

# fmt in place and on standard input gives the golden layout; a file with syntax errors is
# reported and left untouched.
cp tests/golden/fmt/messy.tusk "$tmp/messy.tusk"
if ! "$tusk" fmt "$tmp/messy.tusk" 2>/dev/null || ! cmp -s "$tmp/messy.tusk" tests/golden/fmt/messy.fmt; then
  echo "FAIL fmt in place: $tmp/messy.tusk differs from tests/golden/fmt/messy.fmt"; failed=1
fi
if ! "$tusk" fmt - <tests/golden/fmt/messy.tusk | cmp -s - tests/golden/fmt/messy.fmt; then
  echo "FAIL fmt on stdin"; failed=1
fi
printf 'rule r { when }\n' >"$tmp/broken.tusk"
check fmt_syntax_error 2 "$tusk" fmt "$tmp/broken.tusk"
if [[ "$(cat "$tmp/broken.tusk")" != "rule r { when }" ]]; then echo "FAIL fmt touched a broken file"; failed=1; fi

# init: the scaffold passes its own test, is formatted, and checks clean.
check init 0 "$tusk" init demo.first --dir "$tmp/first"
check init_test 0 "$tusk" test "$tmp/first" --coverage
check init_fmt 0 "$tusk" fmt --check "$tmp/first"
# The scaffold's pack.yaml makes matching accent-insensitive (docs/language.md): ÍVÓRY is ivory.
check init_accents 0 "$tusk" test "$tmp/first" --tests $dir/init_accents.yaml --verbose
check init_again 2 "$tusk" init demo.first --dir "$tmp/first"

# The default wildlife pack changes with its lexicons, so it is checked for behaviour, not
# against a golden: every inline test runs and passes, coverage and eval add up.
want_tests=$(cat examples/packs/wildlife/*.tusk | grep -c '^test "')
if "$tusk" test examples/packs/wildlife --coverage --format json >"$tmp/wild.json"; then
  python3 - "$tmp/wild.json" "$want_tests" <<'PY' || failed=1
import json, sys
r = json.load(open(sys.argv[1]))
assert r["failed"] == 0 and r["passed"] == int(sys.argv[2]) and len(r["tests"]) == r["passed"], (r["passed"], sys.argv[2])
c = r["coverage"]
assert 0 < c["percent"] <= 100 and c["rules"] > 30 and c["rules_fired"] + len(c["never_fired"]) == c["rules"], c
assert c["terms_matched"] + sum(len(v) for v in c["terms_never_matched"].values()) == c["terms"]
PY
else
  echo "FAIL wildlife: its inline tests do not pass"; "$tusk" test examples/packs/wildlife | tail -40; failed=1
fi
if "$tusk" eval --pack examples/packs/wildlife --labels $labels $sample --format json >"$tmp/wild_eval.json"; then
  python3 - "$tmp/wild_eval.json" <<'PY' || failed=1
import json, sys
r = json.load(open(sys.argv[1]))
assert r["records"] == 52 and r["labelled"] == 52 and r["tp"] + r["fp"] + r["fn"] + r["tn"] == 52, r
assert sum(sum(row.values()) for row in r["confusion"].values()) == 52
assert r["labels"] == "action" and 0 <= r["precision"] <= 1 and 0 <= r["recall"] <= 1
PY
else
  echo "FAIL wildlife eval: exit $?"; failed=1
fi

# bench: the shape of the report, not its timings.
if "$tusk" bench --pack examples/packs/ivory $sample --seconds 0.05 --format json >"$tmp/bench.json"; then
  python3 - "$tmp/bench.json" <<'PY' || failed=1
import json, sys
r = json.load(open(sys.argv[1]))
assert r["records"] == 52 and r["records_per_second"] > 0 and r["mb_per_second"] > 0, r
rules = {x["rule"] for x in r["rules"]}
assert rules == {"mentions_ivory", "coded_ivory", "carved_cover_story", "sold_by_weight", "imitation_disclaimer",
                 "implausibly_cheap"}, rules
assert all(x["evaluations"] == 52 for x in r["rules"])
fired = {x["rule"]: x["fired"] for x in r["rules"]}
assert fired["mentions_ivory"] == 8 and fired["coded_ivory"] == 2, fired
names = {x["name"] for x in r["patterns"]}
assert {"ivory_names", "code_words", "weight_phrase"} <= names, names
PY
else
  echo "FAIL bench: exit $?"; failed=1
fi

exit $failed
