#!/usr/bin/env python3
"""Check that every public declaration of the C headers has a doc comment.

DESIGN.md, C ABI rule 7: every public function has a doc comment saying what
it does, who owns what and which statuses it returns; the Doxygen reference
(docs/) is built from those comments. This check needs no Doxygen: it reads
the headers itself and names every function, type (typedef, struct, enum),
enum value and status that is not preceded by a `/** ... */` comment.

What counts as documented, declaration by declaration (Doxygen's own rules):

  - a function, typedef or enum: a non-empty `/** ... */` comment right before
    it, with nothing but white space in between (a preprocessor line or a
    plain `/* ... */` comment in between breaks the link);
  - an enum value: a `/** ... */` comment right before it, or a `/**< ... */`
    comment right after it (after its comma), before the next value.

File banners and section rulers stay plain `/* ... */` comments: they are
not taken for the documentation of the declaration that follows them.
Blocks under `#ifdef __cplusplus` (the `extern "C"` wrapper) are skipped.

Usage:
  check_doc_comments.py HEADER_OR_DIR...
      A directory stands for every *.h in it, so a new header is checked
      without being listed anywhere. Exit 0 when every declaration is documented, 1 listing each offender
      as "<header>:<line>: <kind> <name> has no doc comment".
  check_doc_comments.py --expect LIST HEADER...
      Self-test: exit 0 only when the offenders found are exactly the lines
      of LIST ("<header file name>:<kind>:<name>", one a line), so the
      checker itself is tested against a header that breaks every rule.
"""

import os
import re
import sys

IDENT = re.compile(r"[A-Za-z_]\w*")
KEYWORDS = {"typedef", "enum", "struct", "union", "const", "volatile", "extern",
            "static", "inline", "unsigned", "signed"}


class Token:
    """One lexical item of a header: a comment, a preprocessor line or code."""

    __slots__ = ("kind", "text", "line")

    def __init__(self, kind, text, line):
        self.kind = kind    # "doc", "doc_after", "comment", "pp", "code"
        self.text = text
        self.line = line

    def __repr__(self):
        return f"Token({self.kind!r}, {self.text!r}, {self.line})"


def doc_body(comment):
    """The text of a comment without its delimiters and leading stars."""
    body = comment[3:-2]
    if body.startswith("<"):
        body = body[1:]
    return re.sub(r"(?m)^\s*\*", "", body).strip()


def tokenize(text):
    """Split header text into comments, preprocessor lines and code tokens.

    Code tokens are identifiers, numbers, string/char literals and single
    punctuation characters. Preprocessor lines include their continuations.
    """
    tokens, i, line, n = [], 0, 1, len(text)
    at_line_start = True
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
            at_line_start = True
            continue
        if ch in " \t\r\f\v":
            i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise SyntaxError(f"line {line}: unterminated comment")
            comment = text[i:end + 2]
            if comment.startswith("/**<"):
                kind = "doc_after"
            elif comment.startswith("/**") and not comment.startswith("/**/"):
                kind = "doc"
            else:
                kind = "comment"
            if kind != "comment" and not doc_body(comment):
                kind = "comment"  # an empty /** */ documents nothing
            tokens.append(Token(kind, comment, line))
            line += comment.count("\n")
            i = end + 2
            at_line_start = False
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            comment = text[i:end]
            kind = ("doc_after" if comment.startswith("///<") else
                    "doc" if comment.startswith("///") and doc_body("/**" + comment[3:] + "*/")
                    else "comment")
            tokens.append(Token(kind, comment, line))
            i = end
            continue
        if ch == "#" and at_line_start:
            start = i
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    line += 1
                    i += 2
                    continue
                i += 1
            tokens.append(Token("pp", text[start:i].strip(), line))
            continue
        at_line_start = False
        if ch in "\"'":
            start = i
            i += 1
            while i < n and text[i] != ch:
                i += 2 if text[i] == "\\" else 1
            i += 1
            tokens.append(Token("code", text[start:i], line))
            continue
        match = IDENT.match(text, i) or re.compile(r"\d\w*").match(text, i)
        if match:
            tokens.append(Token("code", match.group(0), line))
            i = match.end()
            continue
        tokens.append(Token("code", ch, line))
        i += 1
    return tokens


def drop_cplusplus_blocks(tokens):
    """Remove everything under #ifdef __cplusplus (and its #else: nothing
    there is public C API either) and the preprocessor lines themselves,
    keeping a marker where a directive stood so it still breaks the link
    between a comment and a declaration."""
    out, stack = [], []  # stack of "skipping" flags per open conditional
    for tok in tokens:
        if tok.kind != "pp":
            if not any(stack):
                out.append(tok)
            continue
        directive = tok.text[1:].strip()
        word = IDENT.match(directive)
        word = word.group(0) if word else ""
        if word in ("if", "ifdef", "ifndef"):
            cplusplus = word in ("if", "ifdef") and "__cplusplus" in directive \
                and "!" not in directive
            stack.append(cplusplus)
        elif word == "endif" and stack:
            stack.pop()
        if not any(stack):
            out.append(tok)
    return out


def split_statements(tokens):
    """Group tokens into top-level statements ending in ';' at brace depth 0.

    Returns (leading, body) pairs: `leading` is the token just before the
    statement's first code token (None at the start of the file), `body` the
    tokens from that code token to the ';', comments included."""
    statements, body, depth, leading, prev = [], [], 0, None, None
    for tok in tokens:
        if not body:
            if tok.kind != "code":
                prev = tok
                continue
            leading = prev
        body.append(tok)
        if tok.kind != "code":
            continue
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif tok.text == ";" and depth == 0:
            statements.append((leading, body))
            body, prev = [], tok
    if any(t.kind == "code" for t in body):
        raise SyntaxError(f"line {body[0].line}: declaration without ';' at the end of the file")
    return statements


def enumerators(body):
    """(name, line, documented) of every value in the first {...} of body."""
    start = next(i for i, t in enumerate(body) if t.text == "{")
    values, i, depth = [], start + 1, 0
    while i < len(body):
        tok = body[i]
        if tok.kind == "code" and tok.text == "}" and depth == 0:
            break
        if tok.kind == "code" and IDENT.fullmatch(tok.text) and depth == 0:
            before = body[i - 1]
            documented = before.kind == "doc"
            # Skip the value's initializer up to its comma or the closing brace.
            j = i + 1
            while j < len(body):
                t = body[j]
                if t.kind == "code" and t.text in "([":
                    depth += 1
                elif t.kind == "code" and t.text in ")]":
                    depth -= 1
                elif t.kind == "code" and depth == 0 and t.text in ",}":
                    break
                j += 1
            # A trailing /**< ... */ documents it: right after the value (last
            # one) or right after its comma.
            k = j + 1 if j < len(body) and body[j].text == "," else j
            for cand in (body[j - 1] if j > i + 1 else None,
                         body[k] if k < len(body) else None):
                if cand is not None and cand.kind == "doc_after":
                    documented = True
            values.append((tok.text, tok.line, documented))
            i = k if k > j else j
            continue
        i += 1
    return values


def declared(body):
    """Classify one statement: [(kind, name, line)] for the statement itself.

    kind is "function", "type" or "" (nothing to document, e.g. a stray ';')."""
    code = [t for t in body if t.kind == "code"]
    words = [t.text for t in code]
    if words == [";"]:
        return []
    line = code[0].line
    if words[0] == "typedef":
        if "{" in words:  # typedef enum/struct X { ... } NAME;
            close = len(words) - 1 - words[::-1].index("}")
            names = [w for w in words[close + 1:] if IDENT.fullmatch(w)]
        elif "(" in words and words[words.index("(") + 1] == "*":  # (*NAME)(...)
            names = [words[words.index("(") + 2]]
        else:
            names = [w for w in words if IDENT.fullmatch(w) and w not in KEYWORDS][-1:]
        return [("type", name, line) for name in names]
    if words[0] in ("enum", "struct", "union") and "(" not in words:
        name = words[1] if len(words) > 1 and IDENT.fullmatch(words[1]) else "(anonymous)"
        return [("type", name, line)]
    if "(" in words:
        paren = words.index("(")
        if paren > 0 and words[paren - 1] == ")":
            raise SyntaxError(f"line {line}: a function returning a function pointer; "
                              f"give the pointer type a typedef: {' '.join(words)}")
        name = words[paren - 1] if paren > 0 else "?"
        return [("function", name, line)]
    # A variable: the API has none, but document it if it ever appears.
    names = [w for w in words if IDENT.fullmatch(w) and w not in KEYWORDS][-1:]
    return [("variable", name, line) for name in names]


def offenders(path):
    """[(line, kind, name)] of the undocumented declarations of one header."""
    with open(path, encoding="utf-8") as handle:
        tokens = drop_cplusplus_blocks(tokenize(handle.read()))
    found = []
    for leading, body in split_statements(tokens):
        documented = leading is not None and leading.kind == "doc"
        decls = declared(body)
        for kind, name, line in decls:
            if not documented:
                found.append((line, kind, name))
        if any(t.kind == "code" and t.text == "{" for t in body) and \
                any(t.kind == "code" and t.text == "enum" for t in body):
            status = any(name == "letts_status" for _, name, _ in decls)
            for name, line, ok in enumerators(body):
                if not ok:
                    found.append((line, "status" if status else "enum value", name))
    return sorted(found)


def main(argv):
    args = argv[1:]
    expect = None
    if args[:1] == ["--expect"] and len(args) >= 2:
        expect, args = args[1], args[2:]
    if not args or any(a.startswith("-") for a in args):
        print(__doc__, file=sys.stderr)
        return 2

    paths = []
    for arg in args:
        if os.path.isdir(arg):
            paths += sorted(os.path.join(arg, name) for name in os.listdir(arg)
                            if name.endswith(".h"))
        else:
            paths.append(arg)
    if not paths:
        print(f"FAIL: expected headers in {' '.join(args)}, found none")
        return 1

    report, found = [], set()
    for path in paths:
        try:
            items = offenders(path)
        except (SyntaxError, StopIteration, IndexError) as error:
            print(f"FAIL: could not read the declarations of {path}: {error}")
            return 1
        for line, kind, name in items:
            report.append(f"{path}:{line}: {kind} {name} has no doc comment "
                          f"(a /** ... */ right before it"
                          f"{', or /**< ... */ after it' if kind in ('enum value', 'status') else ''})")
            found.add(f"{os.path.basename(path)}:{kind}:{name}")

    if expect is not None:
        with open(expect, encoding="utf-8") as handle:
            wanted = {l.strip() for l in handle if l.strip() and not l.startswith("#")}
        missed, extra = sorted(wanted - found), sorted(found - wanted)
        if missed or extra:
            print("FAIL: the checker's verdict on the fixture is wrong")
            for item in missed:
                print(f"  expected to be reported, was not: {item}")
            for item in extra:
                print(f"  reported, but expected to pass: {item}")
            return 1
        print(f"ok: the checker reports exactly the {len(wanted)} expected offenders")
        return 0

    if report:
        print("\n".join(report))
        print(f"FAIL: {len(report)} public declaration(s) without a doc comment "
              f"(DESIGN.md, C ABI rule 7: every public function, type, enum value "
              f"and status is documented)")
        return 1
    print(f"ok: every public declaration of {len(paths)} header(s) has a doc comment")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
