"""``.gitignore`` files, as git reads them, for the walk (``--no-respect-gitignore`` turns it off).

Every ``.gitignore`` from the top of the repository (the nearest directory
above the walked root holding ``.git``; without one, the root itself) down to
the directory being walked applies to it, its patterns relative to its own
directory; the deepest file that has a say wins, and within a file the last
matching pattern (so ``!keep.yaml`` re-includes).  Patterns follow git:
``/`` anchors, a trailing ``/`` matches directories only, ``**`` spans
directories (pathspec's ``GitIgnoreSpec`` does the matching).  A directory
that is ignored is not entered, so nothing under it can be re-included, as
in git.  Not read: ``.git/info/exclude`` and the global excludes file.
A file named on the command line is read even when ignored.
"""

from __future__ import annotations

import os


def _load(directory: str):
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return spec if spec.patterns else None


class Ignores:
    def __init__(self, root: str):
        root = os.path.abspath(root)
        top = root
        while not os.path.exists(os.path.join(top, ".git")):
            parent = os.path.dirname(top)
            if parent == top:
                top = root
                break
            top = parent
        self.root = root
        chain = []
        d = top
        # .gitignore files above the root, down to (not including) it: enter() reads the root's own
        above = []
        while d != root:
            above.append(d)
            d = os.path.join(d, os.path.relpath(root, d).split(os.sep)[0])
        for directory in above:
            spec = _load(directory)
            if spec is not None:
                chain.append((directory, spec))
        self.start = tuple(chain)
        self._abs = {}

    def enter(self, directory: str, chain: tuple) -> tuple:
        """The chain for ``directory``'s entries: the parent's plus its own .gitignore."""
        spec = _load(directory)
        if spec is None:
            return chain
        return chain + ((os.path.abspath(directory), spec),)

    def ignored(self, chain: tuple, path: str, is_dir: bool) -> bool:
        full = os.path.abspath(path)
        for base, spec in reversed(chain):
            rel = os.path.relpath(full, base).replace(os.sep, "/")
            verdict = spec.check_file(rel + "/" if is_dir else rel).include
            if verdict is not None:
                return verdict
        return False
