#!/usr/bin/env python3
"""Check that letts_ffi.h declares exactly the exported functions.

PHP binds a function only if letts_ffi.h declares it, and FFI::cdef() fails
on a declared function the library does not export. So the set of functions
in the generated file must equal tests/abi/exported-symbols.txt (which
check_exports.py in turn holds equal to the library). This parser is
deliberately independent of tools/gen_ffi_cdef.py, so a bug in one is caught
by the other.

Usage:
  check_ffi_functions.py LETTS_FFI_H EXPORTED_SYMBOLS_TXT   compare
  check_ffi_functions.py --list LETTS_FFI_H                 print the names,
      sorted: the way to (re)generate exported-symbols.txt after adding API
"""

import re
import sys


def declared_functions(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # the banner comment
    names, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch != ";" or depth != 0:
            continue
        decl = " ".join(text[start:i].split())
        start = i + 1
        # Typedefs (handles, enums, callback types) declare no symbol; any
        # other declaration with a parameter list is a function.
        if not decl or decl.startswith("typedef ") or "(" not in decl:
            continue
        match = re.search(r"(\w+)\s*\($", decl[:decl.index("(") + 1])
        if not match:
            sys.exit(f"FAIL: expected a function name before '(' in {path}, found "
                     f"none in: {decl}")
        names.append(match.group(1))
    return names


def main(argv):
    if len(argv) == 3 and argv[1] == "--list":
        print("\n".join(sorted(set(declared_functions(argv[2])))))
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    cdef_path, list_path = argv[1], argv[2]
    declared = declared_functions(cdef_path)
    with open(list_path, encoding="utf-8") as handle:
        exported = {line.strip() for line in handle if line.strip()}

    problems = []
    twice = sorted({n for n in declared if declared.count(n) > 1})
    if twice:
        problems.append(f"expected each function declared once in {cdef_path}, "
                        f"found twice: {', '.join(twice)}")
    missing = sorted(exported - set(declared))
    extra = sorted(set(declared) - exported)
    if missing:
        problems.append(f"expected {cdef_path} to declare every exported function, "
                        f"these are exported ({list_path}) but not declared (a header "
                        f"not included by letts.h?):\n    " + "\n    ".join(missing))
    if extra:
        problems.append(f"expected {cdef_path} to declare only exported functions, "
                        f"these are declared but not in {list_path} (FFI::cdef would "
                        f"fail to bind them):\n    " + "\n    ".join(extra))
    if problems:
        for problem in problems:
            print("FAIL: " + problem, file=sys.stderr)
        return 1
    print(f"ok: {cdef_path} declares the {len(exported)} exported functions, no more")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
