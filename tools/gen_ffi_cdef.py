#!/usr/bin/env python3
"""Generate letts_ffi.h, the declaration file PHP's FFI::cdef() reads.

FFI::cdef() has no preprocessor, so it cannot read include/letts/*.h directly.
Instead of keeping a hand-written copy (which would drift), the build runs the
real C preprocessor over the real letts.h with two switches the headers know:

  LETTS_CDEF                 LETTS_EXTERN expands to nothing (no
                             __attribute__) and letts.h skips version.h,
                             whose macros FFI could not use anyway;
  LETTS_NO_SYSTEM_INCLUDES   common.h skips <stddef.h>/<stdint.h>; FFI
                             already knows size_t, int64_t and friends.

The output is then normalised (one declaration per line, enumerators one per
line) and checked: no preprocessor line may remain, and every declaration must
be a letts one, so nothing from a system header can leak in. Any violation
fails the build with the offending text.

Usage (see tools/meson.build):
  gen_ffi_cdef.py --output letts_ffi.h [--depfile F] -I include \
                  include/letts/letts.h -- cc [cc args...]
"""

import argparse
import re
import subprocess
import sys

HEADER_COMMENT = """\
/*
 * letts_ffi.h - libletts declarations for PHP's FFI::cdef().
 *
 * GENERATED at build time by tools/gen_ffi_cdef.py from include/letts/letts.h
 * (C preprocessor with LETTS_CDEF and LETTS_NO_SYSTEM_INCLUDES). Do not edit:
 * change the headers instead. Documentation lives in the headers.
 */
"""

# Identifiers reserved for the implementation (__attribute__, __restrict,
# __builtin_va_list, __extension__ ...) appear in system headers and compiler
# extensions, never in a clean letts declaration.
RESERVED_IDENT = re.compile(r"\b_(?:_|[A-Z])\w*")
LETTS_NAME = re.compile(r"\b(?:letts|LETTS)_\w+")


def fail(message):
    print(f"gen_ffi_cdef: error: {message}", file=sys.stderr)
    sys.exit(1)


def preprocess(compiler, includes, header, depfile, output):
    cmd = list(compiler) + ["-E", "-P", "-x", "c",
                            "-DLETTS_CDEF", "-DLETTS_NO_SYSTEM_INCLUDES"]
    cmd += [f"-I{d}" for d in includes]
    if depfile:
        # Let the compiler record every header it actually opened, so ninja
        # regenerates the file when any of them changes (even a new one).
        cmd += ["-MD", "-MF", depfile, "-MT", output]
    cmd.append(header)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)
    if proc.returncode != 0:
        fail(f"the preprocessor failed (exit {proc.returncode}), expected "
             f"success.\ncommand: {' '.join(cmd)}\n{proc.stderr}")
    return proc.stdout


def split_declarations(text):
    """Split preprocessed C into top-level declarations (ending in ';').

    Braces are tracked so that a future struct/enum body with inner ';'
    stays one declaration.
    """
    decls, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                fail(f"unbalanced '}}' near: {text[max(0, i - 60):i + 1]!r}")
        elif ch == ";" and depth == 0:
            decls.append(text[start:i + 1])
            start = i + 1
    rest = text[start:].strip()
    if rest or depth != 0:
        fail(f"expected the output to end with a complete declaration, "
             f"found a trailing fragment: {rest[:200]!r}")
    return decls


def normalise(decl):
    """One line per declaration, single spaces, no space before , ; ) ]."""
    decl = " ".join(decl.split())
    decl = re.sub(r"\s+([,;)\]])", r"\1", decl)
    decl = re.sub(r"([(\[])\s+", r"\1", decl)
    # Enumerator lists read better one per line; FFI does not care.
    if "{" in decl:
        head, _, rest = decl.partition("{")
        body, _, tail = rest.rpartition("}")
        items = [item.strip() for item in body.split(",") if item.strip()]
        decl = (head.rstrip() + " {\n" + ",\n".join("    " + item for item in items)
                + "\n}" + (" " if tail.strip() != ";" else "") + tail.strip())
    return decl


def check(decls, raw):
    leftovers = [line for line in raw.splitlines() if line.lstrip().startswith("#")]
    if leftovers:
        fail("expected no preprocessor lines in the output, found:\n  "
             + "\n  ".join(leftovers[:10]))
    if not decls:
        fail("expected declarations from letts.h, found none (wrong header?)")
    for decl in decls:
        reserved = RESERVED_IDENT.findall(decl)
        if reserved:
            fail(f"expected only portable C, found reserved identifier(s) "
                 f"{sorted(set(reserved))} (system header or compiler extension "
                 f"leaked?) in:\n  {decl}")
        if not LETTS_NAME.search(decl):
            fail(f"expected every declaration to declare a letts_* name, found "
                 f"one that does not (system header content leaked?):\n  {decl}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True)
    parser.add_argument("--depfile")
    parser.add_argument("-I", dest="includes", action="append", default=[])
    parser.add_argument("header")
    parser.add_argument("compiler", nargs="+",
                        help="the C compiler command (after --)")
    args = parser.parse_args()

    raw = preprocess(args.compiler, args.includes, args.header, args.depfile, args.output)
    decls = [normalise(d) for d in split_declarations(raw)]
    check(decls, raw)

    with open(args.output, "w", encoding="utf-8") as out:
        out.write(HEADER_COMMENT + "\n")
        out.write("\n\n".join(decls) + "\n")


if __name__ == "__main__":
    main()
