#!/usr/bin/env python3
"""Writes src/lib.rs's declarations from include/letts/*.h (run by hand when
the C API grows; tests/symbols.rs then holds the result to the exported
symbol list). Usage: gen_decls.py INCLUDE_DIR > src/decls.rs"""
import re, sys, pathlib

inc = pathlib.Path(sys.argv[1])
text = ""
for h in sorted(inc.glob("*.h")):
    text += h.read_text()
text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)

opaque = sorted(set(re.findall(r"typedef struct (\w+) \1;", text)))
enums = {"letts_status", "letts_run_state", "letts_scope", "letts_config_flags", "letts_mission_flags"}
fnptrs = {}
for m in re.finditer(r"typedef\s+(\w[\w\s\*]*?)\(\s*\*\s*(\w+)\s*\)\s*\(([^)]*)\)\s*;", text):
    fnptrs[m.group(2)] = (m.group(1).strip(), m.group(3))

def ty(c):
    c = " ".join(c.replace("*", " * ").split())
    base = c.replace("const", "").replace("*", "").replace("LETTS_EXTERN", "").replace("LETTS_NORETURN", "").split()
    assert len(base) == 1, c
    b = base[0]
    stars = c.count("*")
    prim = {"char": "c_char", "int": "c_int", "unsigned": "c_uint", "double": "f64",
            "int64_t": "i64", "uint64_t": "u64", "size_t": "usize", "void": "c_void"}
    r = prim.get(b, b)
    if b in fnptrs:
        r = b
    # pointer levels: read right to left the const qualifiers
    toks = c.split()
    # constness of each level: pattern tokens after base
    levels = []
    i = toks.index(b)
    pre_const = "const" in toks[:i]
    rest = toks[i+1:]
    cur_const = pre_const
    for t in rest:
        if t == "const":
            cur_const = True
        elif t == "*":
            levels.append(cur_const)
            cur_const = False
    for lc in levels:
        r = ("*const " if lc else "*mut ") + r
    if stars == 0 and b == "void":
        return None
    return r

def param(p):
    p = p.strip()
    if p == "void" or not p:
        return None
    m = re.match(r"(.*?)(\w+)$", p)
    n = m.group(2)
    if n in ("fn", "type", "ref", "in", "match", "loop", "move", "self"):
        n += "_"
    return n, ty(m.group(1))

out = ["// Declarations of every function libletts.so.0 exports, in header order.",
       "// Written by gen_decls.py from include/letts/*.h; tests/symbols.rs checks",
       "// the names against tests/abi/exported-symbols.txt.", ""]
for name in opaque:
    out.append(f"/// Opaque C handle `{name}` (see the C headers).")
    out.append("#[repr(C)]")
    out.append(f"pub struct {name} {{ _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }}")
out.append("")
for name, (ret, params) in sorted(fnptrs.items()):
    ps = [param(p) for p in params.split(",")]
    args = ", ".join(f"{n}: {t}" for n, t in ps if t)
    r = ty(ret)
    out.append(f"/// C callback type `{name}`.")
    out.append(f"pub type {name} = Option<unsafe extern \"C\" fn({args}){' -> ' + r if r else ''}>;")
out.append("")
out.append('extern "C" {')
for m in re.finditer(r"LETTS_EXTERN\s+([^;]*?)\b(letts_\w+)\s*\(([^)]*)\)\s*;", text):
    ret, name, params = m.group(1), m.group(2), m.group(3)
    noreturn = "LETTS_NORETURN" in ret
    ret = ret.replace("LETTS_NORETURN", "")
    ps = [param(p) for p in params.split(",")]
    args = ", ".join(f"{n}: {t}" for n, t in [p for p in ps if p] if t)
    r = "!" if noreturn else ty(ret)
    out.append(f"    pub fn {name}({args}){' -> ' + r if r else ''};")
out.append("}")
print("\n".join(out))
