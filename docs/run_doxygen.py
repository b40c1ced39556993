#!/usr/bin/env python3
"""Build the HTML reference for `ninja -C build docs` (see docs/meson.build).

Runs doxygen on the configured Doxyfile into a fresh HTML folder (so pages of
a removed header do not linger), fails when doxygen fails (every warning is
an error there, see Doxyfile.in) or when a header of HEADER_DIR got no page
(Doxygen drops an undocumented file and its declarations without a word),
and writes the stamp file ninja tracks.

Usage: run_doxygen.py DOXYGEN DOXYFILE HTML_DIR HEADER_DIR STAMP
"""

import os
import shutil
import subprocess
import sys


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    doxygen, doxyfile, html_dir, header_dir, stamp = argv[1:]
    shutil.rmtree(html_dir, ignore_errors=True)
    proc = subprocess.run([doxygen, os.path.basename(doxyfile)],
                          cwd=os.path.dirname(os.path.abspath(doxyfile)), check=False)
    if proc.returncode != 0:
        print(f"docs: doxygen exited with {proc.returncode}, expected 0; each line above "
              f"names a header line whose documentation is missing or unreadable",
              file=sys.stderr)
        return 1
    index = os.path.join(html_dir, "index.html")
    if not os.path.isfile(index):
        print(f"docs: expected doxygen to write {index}, found no such file", file=sys.stderr)
        return 1
    # Doxygen's page name for a file: '_' doubled, '.' as '_8' (run_handle.h
    # becomes run__handle_8h.html).
    missing = [name for name in sorted(os.listdir(header_dir)) if name.endswith(".h") and
               not os.path.isfile(os.path.join(
                   html_dir, name.replace("_", "__").replace(".", "_8") + ".html"))]
    if missing:
        print(f"docs: expected a reference page for every header of {header_dir}, found "
              f"none for: {', '.join(missing)} (is its opening comment a plain /* ... */ "
              f"banner? see docs/doxygen_filter.py)", file=sys.stderr)
        return 1
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(index + "\n")
    print(f"docs: the reference is in {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
