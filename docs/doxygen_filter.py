#!/usr/bin/env python3
"""Doxygen INPUT_FILTER for the public headers (see docs/Doxyfile.in).

Doxygen reads a header through this filter, which prints it back changed in
two ways, line for line so that warnings keep pointing at the right line:

  - the file's opening banner, a plain comment that reads
        /*
         * letts/common.h — what every libletts header needs: ...
    becomes the file's documentation, "/** @file" with the text after the
    dash as its brief description; without that, Doxygen would leave out
    every declaration of the file, silently. A header without such a
    banner still gets an empty @file comment after its last line, so its
    declarations are listed (and any undocumented one is reported);
  - inside doc comments, the placeholders the headers write in angle
    brackets (<dir>/<role>, "libletts/<version>") would be read as HTML
    tags, and a backslash (the "\\u0000" JSON escape) as a command: both are
    escaped, outside `code spans`, so the text reads as written.

A guide (*.md) may link to a page that is written on another branch and
not yet merged (the settled tables of docs/README.md); Doxygen cannot
resolve a link to a page it was not given, so such a link is shown as its
text until the page exists. Links to existing pages are left alone.

The headers themselves stay as they are (the checker in tests/abi reads
them directly, and C readers see no Doxygen markup).

Usage: doxygen_filter.py FILE  (the filtered text goes to stdout)
"""

import pathlib
import re
import sys

PLAIN_BANNER = re.compile(r"/\*(?!\*)")
BANNER_TITLE = re.compile(r"/\*\n \* (?:letts/)?[\w.]+ (?:—|-|--) ")
FILE_COMMAND = re.compile(r"[@\\]file\b")
DOC_COMMENT = re.compile(r"/\*\*.*?\*/", re.S)
CODE_SPAN = re.compile(r"(`[^`\n]*`)")
MD_LINK = re.compile(r"\[([^\]\n]+)\]\(([\w.-]+\.md)\)")


def unlink_missing_pages(text, folder):
    """[text](page.md) becomes text when folder/page.md does not exist."""
    def keep_or_unlink(m):
        return m.group(0) if (folder / m.group(2)).is_file() else m.group(1)
    return MD_LINK.sub(keep_or_unlink, text)


def escape(text):
    """Escape < and \\ in prose, leaving `code spans` alone."""
    parts = CODE_SPAN.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
    return "".join(parts)


def filter_header(text):
    title = BANNER_TITLE.match(text)
    if title:
        text = "/** @file\n * @brief " + text[title.end():]
    elif PLAIN_BANNER.match(text):
        text = "/** @file" + text[2:]
    elif not FILE_COMMAND.search(text):
        text += "\n/** @file */\n"
    return DOC_COMMENT.sub(lambda m: "/**" + escape(m.group(0)[3:-2]) + "*/", text)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        text = handle.read()
    if argv[1].endswith(".md"):
        text = unlink_missing_pages(text, pathlib.Path(argv[1]).parent)
    sys.stdout.write(filter_header(text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
