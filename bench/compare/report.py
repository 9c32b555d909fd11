#!/usr/bin/env python3
"""Summarizes a bench/compare/run.sh log: median throughput per engine, ratios against Tusk, the
targets, pack load times, and whether the engines flag the same records."""

import argparse
import json
import re
import statistics

ENGINES = [("tusk", "Tusk `scan --threads 1` (default backend)"),
           ("scan_limit", "scan-only limit (simdjson + 1 Vectorscan pass)"),
           ("yara", "YARA (libyara, yr_rules_scan_mem per record)"),
           ("re2_set", "RE2::Set + rules"),
           ("python", "Python (json, tokens, n-gram sets)"),
           ("tusk_interp", "Tusk `--backend interp`"),
           ("tusk_jit", "Tusk `--backend jit`")]
# (engine, ratio wanted): Tusk end to end / other (issue 19's targets).
TARGETS = {"scan_limit": ("≥ 0.5× limit", lambda r: r >= 0.5), "yara": ("≥ 12×", lambda r: r >= 12),
           "re2_set": ("≥ 15×", lambda r: r >= 15), "python": ("≥ 12×", lambda r: r >= 12)}
EVASIONS = {"separators", "spaced", "digits", "confusables", "traditional", "toneless"}


def parse_log(path):
    runs, loads, packload = {}, [], {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("RESULT "):
            parts = line.split()
            kv = dict(p.split("=", 1) for p in parts[2:])
            runs.setdefault(parts[1], []).append((int(kv["records"]), int(kv["bytes"]), float(kv["seconds"])))
        elif line.startswith("LOAD "):
            loads.append(line.split()[1])
        elif line.startswith("PACKLOAD "):
            _, name, ms = line.split()
            packload.setdefault(name, []).append(int(ms.split("=")[1]))
        elif line.startswith("machine:"):
            print(line.strip())
    return runs, loads, packload


def per_run_ratios(runs, key):
    """Tusk's speed over the engine's, run by run: the n-th result of each is from round n."""
    pairs = zip(runs.get("tusk", []), runs.get(key, []))
    return [(o[2] / o[1]) / (t[2] / t[1]) for t, o in pairs if t[2] > 0 and o[2] > 0]


def read_tusk(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        v = json.loads(line)
        if "id" in v and "action" in v:
            out[v["id"]] = (v["action"], frozenset(f["rule"] for f in v["fired"]))
    return out


def read_tsv(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        out[f[0]] = (f[1], frozenset(x for x in f[2].split(",") if x))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--corpus", required=True)
    args = ap.parse_args()
    runs, loads, packload = parse_log(args.log)
    med = {}
    for name, rs in runs.items():
        secs = statistics.median(r[2] for r in rs)
        med[name] = (rs[0][0], rs[0][1], secs, len(rs))
    print(f"load average during the runs: {', '.join(loads)}")
    print()
    # Ratios two ways: of the engines' medians (what `met` is judged on), and per run, each
    # engine against the Tusk run of the same round (seconds apart instead of minutes), then
    # their median and range: on a host whose speed drifts the second is the steadier one.
    print("| engine | MB/s | records/s | Tusk end to end ÷ engine | per-run ratios: median (range) "
          "| target | met |")
    print("|---|---:|---:|---:|---|---|---|")
    tusk_mbps = med["tusk"][1] / 1e6 / med["tusk"][2] if "tusk" in med else None
    for key, label in ENGINES:
        if key not in med:
            continue
        records, nbytes, secs, n = med[key]
        mbps = nbytes / 1e6 / secs
        ratio = tusk_mbps / mbps if tusk_mbps else float("nan")
        paired = per_run_ratios(runs, key)
        per_run = (f"{statistics.median(paired):.2f}× ({min(paired):.2f}–{max(paired):.2f})"
                   if paired and key != "tusk" else "")
        target, ok = TARGETS.get(key, ("", None))
        met = "" if ok is None else ("yes" if ok(ratio) else "NO")
        print(f"| {label} | {mbps:.1f} | {records / secs:,.0f} | {ratio:.2f}× | {per_run} | {target} | {met} |")
    if all(k in med for k in ("tusk", "tusk_interp", "tusk_jit")):
        speed = {k: med[k][1] / med[k][2] for k in ("tusk", "tusk_interp", "tusk_jit")}
        best = max(speed["tusk_interp"], speed["tusk_jit"])
        print(f"\n`auto` ÷ the faster of interp and jit: {speed['tusk'] / best:.2f} (target ≥ 0.95); "
              f"jit ÷ interp: {speed['tusk_jit'] / speed['tusk_interp']:.2f} (target ≥ 1.3)")
    if "heavy_interp" in med and "heavy_jit" in med:
        print(f"condition-heavy pack (gen_heavy_pack.py): jit ÷ interp "
              f"{med['heavy_interp'][2] / med['heavy_jit'][2]:.2f}× (target ≥ 3×)")
    if "tusk_t2" in med and "tusk" in med:
        print(f"`--threads 2` ÷ `--threads 1` (default backend, both cores): "
              f"{med['tusk'][2] / med['tusk_t2'][2]:.2f}× (target ≥ 1.8×)")
    print(f"\n(median of {min(m[3] for m in med.values())} runs; {med['tusk'][0]:,} records, "
          f"{med['tusk'][1] / 1e6:.1f} MB; MB/s is input JSONL bytes over scan seconds)")
    for name, ms in packload.items():
        print(f"pack load ({name}, `tusk scan` of an empty input, wall): median {statistics.median(ms)} ms "
              f"of {ms}")

    # Agreement: each peer against Tusk, on all records and on the records without an evasion.
    evasive = set()
    for line in open(args.corpus, encoding="utf-8"):
        rec = json.loads(line)
        if EVASIONS & set(rec.get("tags") or []):
            evasive.add(rec["id"])
    tusk = read_tusk(f"{args.work}/tusk-tusk.jsonl")
    interp = read_tusk(f"{args.work}/tusk-tusk_interp.jsonl")
    flagged = sum(1 for a, _ in tusk.values() if a != "allow")
    print(f"\nTusk flags {flagged} of {len(tusk)} records ({100 * flagged / max(1, len(tusk)):.1f}%); "
          f"{len(evasive)} records carry an evasion")
    print("\n| engine vs Tusk | same flag (all) | same flag (no evasion) | same fired rules (no evasion) |")
    print("|---|---:|---:|---:|")
    peers = [("tusk --backend interp", interp), ("RE2::Set", read_tsv(f"{args.work}/re2.tsv")),
             ("YARA", read_tsv(f"{args.work}/yara.tsv")), ("Python", read_tsv(f"{args.work}/python.tsv"))]
    disagreements = []
    for name, peer in peers:
        same_all = same_plain = rules_plain = plain = 0
        for rid, (action, rules) in tusk.items():
            pa, pr = peer.get(rid, ("missing", frozenset()))
            flag_same = (action != "allow") == (pa != "allow")
            same_all += flag_same
            if rid in evasive:
                continue
            plain += 1
            same_plain += flag_same
            rules_plain += rules == pr
            if rules != pr and len([d for d in disagreements if d[0] == name]) < 5:
                disagreements.append((name, rid, sorted(rules - pr), sorted(pr - rules)))
        print(f"| {name} | {same_all}/{len(tusk)} | {same_plain}/{plain} | {rules_plain}/{plain} |")
    if disagreements:
        print("\nfirst disagreements on records without an evasion (rules only Tusk fired / only the peer fired):")
        for name, rid, only_tusk, only_peer in disagreements:
            print(f"  {name} {rid}: tusk-only {only_tusk} peer-only {only_peer}")


if __name__ == "__main__":
    main()
