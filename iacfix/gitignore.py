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
A file named on the command line is read even when ignored; a directory
named on the command line is walked even when ignored, by the .gitignore
files at and below it.
"""

from __future__ import annotations

import os
import re


class _Spec:
    """One .gitignore: pathspec's verdict, asked only when one regular
    expression made of all its patterns matches (most paths match none:
    one C call each instead of one per pattern)."""

    __slots__ = ("spec", "quick")

    def __init__(self, spec):
        self.spec = spec
        alternatives = [_UNNAMED.sub("(?:", p.regex.pattern) for p in spec.patterns
                        if p.include is not None and p.regex is not None]
        self.quick = re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None

    def verdict(self, rel: str) -> bool | None:
        if self.quick is None or not self.quick.match(rel):
            return None
        return self.spec.check_file(rel).include


_UNNAMED = re.compile(r"\(\?P<\w+>")


def _load(directory: str) -> _Spec | None:
    try:
        # utf-8-sig: git skips a BOM (Notepad and PowerShell 5 write one)
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8-sig", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    spec = _Spec(spec_of(lines))
    return spec if spec.quick is not None else None


def spec_of(lines: list[str]):
    """pathspec's GitIgnoreSpec of ``lines``, passing over a line that is no
    pattern (a lone ``!``, a trailing ``\\``) as git does; raising would stop the run."""
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:  # GitIgnorePatternError
        return pathspec.GitIgnoreSpec.from_lines([line for line in lines if not unreadable(line)])


def unreadable(line: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except ValueError:
        return True
    return False


class Ignores:
    """The .gitignore files that apply while walking ``root`` (a path as given)."""

    def __init__(self, root: str):
        self.given = root
        self.root = root = os.path.abspath(root)
        top = root
        while not os.path.exists(os.path.join(top, ".git")):
            parent = os.path.dirname(top)
            if parent == top:
                top = root
                break
            top = parent
        chain = []
        d = top
        while d != root:  # the .gitignore files above the root; the walk reads the root's own
            spec = _load(d)
            if spec is not None:
                chain.append((d, spec))
            d = os.path.join(d, os.path.relpath(root, d).split(os.sep)[0])
        # A directory named on the command line is walked even when ignored (as ripgrep does):
        # then only the .gitignore files at and below it count.
        self.start = () if chain and self._ignored(tuple(chain), root, True) else tuple(chain)

    def enter(self, directory: str, chain: tuple) -> tuple:
        """The chain for ``directory``'s entries: the parent's plus its own .gitignore."""
        spec = _load(directory)
        if spec is None:
            return chain
        return chain + ((self._absolute(directory), spec),)

    def _absolute(self, path: str) -> str:
        """A walked path (under the root as given) made absolute by string work alone."""
        rest = path[len(self.given):].lstrip(os.sep)
        return os.path.join(self.root, rest) if rest else self.root

    def rules(self, directory: str, chain: tuple) -> tuple:
        """For the entries of ``directory``: (prefix, spec) per .gitignore, deepest first,
        where prefix + an entry's name is its path relative to that .gitignore."""
        return _rules(self._absolute(directory), chain)

    @staticmethod
    def ignored(rules: tuple, name: str, is_dir: bool) -> bool:
        tail = name + "/" if is_dir else name
        for prefix, spec in rules:
            verdict = spec.verdict(prefix + tail)
            if verdict is not None:
                return verdict
        return False

    def _ignored(self, chain: tuple, full: str, is_dir: bool) -> bool:
        parent, name = os.path.split(full)
        return self.ignored(_rules(parent, chain), name, is_dir)


def _rules(full: str, chain: tuple) -> tuple:
    out = []
    for base, spec in reversed(chain):
        rel = full[len(base):].lstrip(os.sep).replace(os.sep, "/")
        out.append((rel + "/" if rel else "", spec))
    return tuple(out)
