#!/usr/bin/env python3
"""Generate the tables of docs/http-api.md from the devserver's code.

The route table (src/devserver/routes.cpp), the handler each route is bound
to (src/devserver/api.cpp) and the scopes that handler accepts (its deny()
call) are read from the code, as are the error codes every reply::error /
fail / error_retry call can send. The tables live between marker comments in
docs/http-api.md:

    <!-- generated:NAME begin --> ... <!-- generated:NAME end -->

  gen_http_tables.py ROOT           check: exit 1 and print a diff if stale
  gen_http_tables.py ROOT --write   rewrite the tables in place
"""
import difflib
import pathlib
import re
import sys

SCOPE_NAMES = {"Scope::dispatch": "dispatch", "Scope::exec": "exec", "Scope::admin": "admin"}


def route_table(src):
    text = (src / "routes.cpp").read_text()
    return re.findall(r'\{"([A-Z]+)", "([^"]+)", RouteId::(\w+)\}', text)


def handlers(src):
    """RouteId -> Api method name, from the switch in api.cpp."""
    text = (src / "api.cpp").read_text()
    out = {}
    for rid, body in re.findall(r"case RouteId::(\w+):(.*?);", text, re.S):
        m = re.search(r"&Api::(\w+)", body) or re.search(r"return \[this\].*?(\w+)\(req", body + ";", re.S)
        if not m:
            m = re.search(r"(\w+)\(req", body)
        out[rid] = m.group(1) if m else None
    # The lambdas of pause/continue call pause_lane(req, bool).
    for rid in ("pause_lane", "continue_lane"):
        out.setdefault(rid, "pause_lane")
        if out[rid] is None:
            out[rid] = "pause_lane"
    return out


def method_bodies(src):
    """Api method name -> (file name, body text)."""
    bodies = {}
    for path in sorted(src.glob("api*.cpp")):
        text = path.read_text()
        for m in re.finditer(r"^http::Start Api::(\w+)\(", text, re.M):
            end = text.find("\n}\n", m.end())
            bodies[m.group(1)] = (path.name, text[m.end():end])
    return bodies


def scopes_of(body):
    m = re.search(r"deny\(req, \{([^}]*)\}", body)
    if not m:
        return "none"
    return ", ".join(SCOPE_NAMES[s.strip()] for s in m.group(1).split(","))


def routes_markdown(src):
    binds, bodies = handlers(src), method_bodies(src)
    rows = ["| Method | Path | Token scopes accepted | Handler |", "|---|---|---|---|"]
    for method, path, rid in route_table(src):
        name = binds.get(rid)
        fname, body = bodies.get(name, ("?", ""))
        scopes = scopes_of(body)
        if rid == "exec_dispatch":
            scopes += " (404 `feature_disabled` to everyone unless `exec.enabled`)"
        rows.append(f"| {method} | `{path}` | {scopes} | `src/devserver/{fname}` `Api::{name}` |")
    return "\n".join(rows)


def errors_markdown(src):
    found = {}
    for path in sorted(src.glob("*.cpp")):
        for status, code in re.findall(r'\((\d{3}), "([a-z_]+)"', path.read_text()):
            found.setdefault((int(status), code), set()).add(path.name)
    http_server = (src / "http_server.cpp").read_text()
    if '\\"error\\":\\"request_header_too_large\\"' in http_server:
        found.setdefault((431, "request_header_too_large"), set()).add("http_server.cpp")
    rows = ["| Status | `error` | Sent from |", "|---|---|---|"]
    for (status, code), files in sorted(found.items()):
        where = ", ".join(f"`{f}`" for f in sorted(files))
        rows.append(f"| {status} | `{code}` | {where} |")
    return "\n".join(rows)


def render(doc, tables):
    for name, table in tables.items():
        pat = re.compile(rf"(<!-- generated:{name} begin -->\n).*?(<!-- generated:{name} end -->)", re.S)
        if not pat.search(doc):
            raise SystemExit(f"docs/http-api.md: marker <!-- generated:{name} begin --> missing")
        doc = pat.sub(lambda m: m.group(1) + table + "\n" + m.group(2), doc)
    return doc


def main(argv):
    root = pathlib.Path(argv[1])
    src = root / "src" / "devserver"
    doc_path = root / "docs" / "http-api.md"
    doc = doc_path.read_text()
    new = render(doc, {"routes": routes_markdown(src), "errors": errors_markdown(src)})
    if "--write" in argv:
        doc_path.write_text(new)
        return 0
    if new != doc:
        sys.stdout.writelines(difflib.unified_diff(doc.splitlines(True), new.splitlines(True),
                                                   "docs/http-api.md", "generated"))
        print("docs/http-api.md: the generated tables are stale; run "
              "python3 docs/tools/gen_http_tables.py . --write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
