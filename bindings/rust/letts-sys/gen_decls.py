#!/usr/bin/env python3
"""Writes src/lib.rs's declarations from include/letts/*.h (run by hand when
the C API grows; tests/symbols.rs then holds the result to the exported
symbol list, and the abi suite's rust-decls test holds the committed file to
this script's output). Usage: gen_decls.py INCLUDE_DIR > src/decls.rs

Every LETTS_EXTERN declaration and every typedef is either translated or
reported: a declaration this script cannot read makes it exit with status 1,
naming the header, the line and the declaration, because a silently dropped
function would only surface later as a missing Rust binding."""
import pathlib
import re
import sys

PRIMITIVES = {"char": "c_char", "int": "c_int", "unsigned": "c_uint", "double": "f64",
              "int64_t": "i64", "uint64_t": "u64", "size_t": "usize", "void": "c_void"}
QUALIFIERS = {"const", "LETTS_EXTERN", "LETTS_NORETURN"}
RUST_KEYWORDS = {"fn", "type", "ref", "in", "match", "loop", "move", "self"}


class Untranslatable(Exception):
    pass


def strip_comments_and_directives(text):
    """Blanks comments and preprocessor lines but keeps every newline, so that
    an offset in the result still gives the header's line number."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # A directive runs to the first line that does not end in a backslash.
    return re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", "", text, flags=re.M)


def statements(path):
    """(line, text) of each `;`-terminated statement of a header. Enum bodies
    hold no `;`; the C++ guard's `extern "C" {` and its closing brace are
    blanked so that they do not stick to the statement that follows them."""
    text = strip_comments_and_directives(path.read_text())
    text = re.sub(r'extern\s*"C"\s*\{', lambda m: " " * len(m.group(0)), text)
    start = 0
    for m in re.finditer(r";|^\}[ \t]*$", text, flags=re.M):
        if m.group(0).startswith("}"):
            start = m.end()
            continue
        chunk = text[start:m.end()]
        lead = len(chunk) - len(chunk.lstrip())
        line = text.count("\n", 0, start + lead) + 1
        yield line, " ".join(chunk.split())
        start = m.end()


def split_top_level(params):
    """Splits a parameter list at the commas outside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in params:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise Untranslatable("unbalanced parentheses")
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if depth != 0:
        raise Untranslatable("unbalanced parentheses")
    parts.append(cur)
    return [p.strip() for p in parts]


def split_call(decl):
    """'head(params)' with balanced parentheses -> (head, params)."""
    decl = decl.strip()
    if not decl.endswith(")"):
        raise Untranslatable("expected a parameter list at the end")
    depth = 0
    for i in range(len(decl) - 1, -1, -1):
        if decl[i] == ")":
            depth += 1
        elif decl[i] == "(":
            depth -= 1
            if depth == 0:
                return decl[:i].strip(), decl[i + 1:-1]
    raise Untranslatable("unbalanced parentheses")


class Translator:
    def __init__(self, known_types):
        self.known = known_types

    def ty(self, c):
        """A C type without a declarator name -> its Rust spelling, or None
        for plain void."""
        c = " ".join(c.split())
        toks = c.replace("*", " * ").split()
        if "(" in c or ")" in c or "[" in c or "]" in c:
            raise Untranslatable(f"type '{c}' is not a plain (pointer to a) named type")
        base = [t for t in toks if t not in QUALIFIERS and t != "*"]
        if len(base) != 1:
            raise Untranslatable(f"type '{c}' does not name exactly one type")
        b = base[0]
        if b not in PRIMITIVES and b not in self.known:
            raise Untranslatable(f"type '{b}' is neither a C primitive the script maps nor a type of the headers")
        r = PRIMITIVES.get(b, b)
        i = toks.index(b)
        if any(t not in QUALIFIERS for t in toks[:i]):
            raise Untranslatable(f"type '{c}' has words before '{b}' the script does not know")
        # Pointer levels read left to right: a const before the first star
        # qualifies the pointee, one after a star qualifies that level's pointee.
        levels, cur_const = [], "const" in toks[:i]
        for t in toks[i + 1:]:
            if t == "const":
                cur_const = True
            elif t == "*":
                levels.append(cur_const)
                cur_const = False
            else:
                raise Untranslatable(f"type '{c}' has '{t}' after '{b}'")
        for lc in levels:
            r = ("*const " if lc else "*mut ") + r
        if not levels and b == "void":
            return None
        return r

    def fn_type(self, ret, params, params_named):
        args = self.params(params, named=params_named)
        r = self.ty(ret)
        return f"Option<unsafe extern \"C\" fn({args}){' -> ' + r if r else ''}>"

    def param(self, p, named):
        """One parameter -> (name or None, Rust type)."""
        fnptr = re.fullmatch(r"(.*?)\(\s*\*\s*(\w+)?\s*\)\s*(\(.*\))", p)
        if fnptr:
            ret, name, rest = fnptr.group(1), fnptr.group(2), fnptr.group(3)
            _, inner = split_call(rest)
            t = self.fn_type(ret, inner, params_named=False)
        else:
            m = re.fullmatch(r"(.*?)\b(\w+)", p)
            name = None
            if m and m.group(2) not in QUALIFIERS and m.group(2) not in PRIMITIVES and m.group(1).replace("const", "").strip():
                p, name = m.group(1), m.group(2)
            t = self.ty(p)
            if t is None:
                raise Untranslatable(f"parameter '{p}' has type void")
        if name is None:
            if named:
                raise Untranslatable(f"parameter '{p}' has no name")
            return None, t
        if name in RUST_KEYWORDS:
            name += "_"
        return name, t

    def params(self, params, named=True):
        if params.strip() in ("", "void"):
            return ""
        out = []
        for p in split_top_level(params):
            if not p:
                raise Untranslatable("empty parameter")
            if p == "...":
                raise Untranslatable("variadic parameter list")
            n, t = self.param(p, named)
            out.append(f"{n}: {t}" if n else t)
        return ", ".join(out)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    headers = sorted(pathlib.Path(argv[1]).glob("*.h"))
    stmts = [(h, line, s) for h in headers for line, s in statements(h)]

    opaque, enums, fnptr_decls, functions, problems = set(), set(), [], [], []
    for h, line, s in stmts:
        if not s.startswith("typedef ") and "LETTS_EXTERN" not in s:
            continue
        if m := re.fullmatch(r"typedef struct (\w+) \1 ;", s.replace(";", " ;")):
            opaque.add(m.group(1))
        elif m := re.fullmatch(r"typedef enum (\w+) \{[^{}]*\} \1 ;", s.replace(";", " ;")):
            enums.add(m.group(1))
        elif s.startswith("typedef "):
            m = re.fullmatch(r"typedef (.*?)\(\s*\*\s*(\w+)\s*\)\s*(\(.*\))\s*;", s)
            if m:
                fnptr_decls.append((h, line, s, m.group(2), m.group(1), m.group(3)))
            else:
                problems.append((h, line, s, "a typedef that is neither an opaque struct, an enum nor a function pointer"))
        elif s.startswith("LETTS_EXTERN "):
            functions.append((h, line, s))
        else:
            problems.append((h, line, s, "LETTS_EXTERN not at the start of the declaration"))

    fnptrs = {name for _, _, _, name, _, _ in fnptr_decls}
    tr = Translator(opaque | enums | fnptrs)
    callback_lines, function_lines = {}, []
    for h, line, s, name, ret, rest in fnptr_decls:
        try:
            _, inner = split_call(rest)
            callback_lines[name] = (f"/// C callback type `{name}`.",
                                    f"pub type {name} = {tr.fn_type(ret, inner, params_named=True)};")
        except Untranslatable as e:
            problems.append((h, line, s, str(e)))
    for h, line, s in functions:
        try:
            head, params = split_call(s[:-1])
            m = re.fullmatch(r"(.*?)\b(letts_\w+)", head)
            if not m:
                raise Untranslatable("no letts_ function name before the parameter list")
            ret, name = m.group(1), m.group(2)
            noreturn = "LETTS_NORETURN" in ret
            r = "!" if noreturn else tr.ty(ret)
            args = tr.params(params)
            function_lines.append(f"    pub fn {name}({args}){' -> ' + r if r else ''};")
        except Untranslatable as e:
            problems.append((h, line, s, str(e)))

    if problems:
        for h, line, s, why in sorted(problems, key=lambda p: (str(p[0]), p[1])):
            print(f"{h}:{line}: cannot translate `{s}`: {why}", file=sys.stderr)
        print(f"gen_decls.py: {len(problems)} declaration(s) not translated; no output written",
              file=sys.stderr)
        return 1

    out = ["// Declarations of every function libletts.so.0 exports, in header order.",
           "// Written by gen_decls.py from include/letts/*.h; tests/symbols.rs checks",
           "// the names against tests/abi/exported-symbols.txt.", ""]
    for name in sorted(opaque):
        out.append(f"/// Opaque C handle `{name}` (see the C headers).")
        out.append("#[repr(C)]")
        out.append(f"pub struct {name} {{ _private: [u8; 0], _marker: PhantomData<(*mut u8, PhantomPinned)> }}")
    out.append("")
    for name in sorted(callback_lines):
        out.extend(callback_lines[name])
    out.append("")
    out.append('extern "C" {')
    out.extend(function_lines)
    out.append("}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
