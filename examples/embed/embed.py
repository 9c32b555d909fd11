#!/usr/bin/env python3
"""Embedding Tusk from Python through the C API (tusk/tusk.h) with ctypes, no extension module.

Usage: LD_LIBRARY_PATH=PREFIX/lib python3 embed.py PACK_DIR < listings.jsonl > verdicts.jsonl

The same calls, in the same order, as examples/embed/embed.c: compile, scan every line, then one
listing filled field by field; one verdict JSON line each. Errors are status codes and
tusk_last_error(); nothing is raised from inside the library.
"""
import ctypes
import ctypes.util
import os
import sys

TUSK_OK = 0
TUSK_ALLOW = 0


def load_library():
    name = os.environ.get("TUSK_LIBRARY") or ctypes.util.find_library("tusk") or "libtusk.so"
    lib = ctypes.CDLL(name)
    p, c, s = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    pp = ctypes.POINTER(ctypes.c_void_p)
    signatures = {
        "tusk_version": ([], c),
        "tusk_last_error": ([], c),
        "tusk_pack_compile": ([c, p, pp, pp], ctypes.c_int),
        "tusk_pack_free": ([p], None),
        "tusk_pack_name": ([p], c),
        "tusk_pack_version": ([p], c),
        "tusk_diagnostics_rendered": ([p], c),
        "tusk_diagnostics_free": ([p], None),
        "tusk_scanner_new": ([p], p),
        "tusk_scanner_free": ([p], None),
        "tusk_scan_json": ([p, c, s, pp], ctypes.c_int),
        "tusk_scanner_begin": ([p, c], ctypes.c_int),
        "tusk_scanner_set_text": ([p, c, c, s], ctypes.c_int),
        "tusk_scanner_set_money": ([p, c, ctypes.c_double, c], ctypes.c_int),
        "tusk_scanner_scan": ([p, pp], ctypes.c_int),
        "tusk_verdict_ok": ([p], ctypes.c_int),
        "tusk_verdict_action": ([p], ctypes.c_int),
        "tusk_verdict_json": ([p, ctypes.POINTER(s)], c),
    }
    for fn, (args, result) in signatures.items():
        f = getattr(lib, fn)
        f.argtypes, f.restype = args, result
    return lib


def main():
    if len(sys.argv) != 2:
        print("usage: embed.py PACK_DIR < listings.jsonl", file=sys.stderr)
        return 2
    tusk = load_library()
    pack, diags = ctypes.c_void_p(), ctypes.c_void_p()
    if tusk.tusk_pack_compile(sys.argv[1].encode(), None, ctypes.byref(pack), ctypes.byref(diags)) != TUSK_OK:
        rendered = tusk.tusk_diagnostics_rendered(diags) or b""
        print(rendered.decode() + tusk.tusk_last_error().decode(), file=sys.stderr)
        tusk.tusk_diagnostics_free(diags)
        return 1
    tusk.tusk_diagnostics_free(diags)
    print("tusk {}, pack {} {}".format(tusk.tusk_version().decode(), tusk.tusk_pack_name(pack).decode(),
                                       tusk.tusk_pack_version(pack).decode()), file=sys.stderr)

    scanner = tusk.tusk_scanner_new(pack)
    verdict = ctypes.c_void_p()
    out = sys.stdout.buffer
    flagged = total = 0
    for line in sys.stdin.buffer:
        line = line.rstrip(b"\n")
        if tusk.tusk_scan_json(scanner, line, len(line), ctypes.byref(verdict)) != TUSK_OK:
            print("scan failed: " + tusk.tusk_last_error().decode(), file=sys.stderr)
            return 1
        total += 1
        if tusk.tusk_verdict_ok(verdict) and tusk.tusk_verdict_action(verdict) != TUSK_ALLOW:
            flagged += 1
        out.write(tusk.tusk_verdict_json(verdict, None) + b"\n")

    # A listing field by field.
    tusk.tusk_scanner_begin(scanner, b"built-1")
    for field, text in ((b"title", "Carved white plastic bangle"), (b"category", "antiques")):
        data = text.encode()
        tusk.tusk_scanner_set_text(scanner, field, data, len(data))
    tusk.tusk_scanner_set_money(scanner, b"price", 320.0, b"USD")
    if tusk.tusk_scanner_scan(scanner, ctypes.byref(verdict)) != TUSK_OK:
        print("scan failed: " + tusk.tusk_last_error().decode(), file=sys.stderr)
        return 1
    out.write(tusk.tusk_verdict_json(verdict, None) + b"\n")
    out.flush()
    print("flagged {} of {} listings".format(flagged, total), file=sys.stderr)

    tusk.tusk_scanner_free(scanner)
    tusk.tusk_pack_free(pack)
    return 0


if __name__ == "__main__":
    sys.exit(main())
