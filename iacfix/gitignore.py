"""``.gitignore`` files, as git reads them, for the walk (``--no-respect-gitignore`` turns it off).

Every ``.gitignore`` from the top of the repository (the nearest directory
above the walked root holding ``.git``; without one, the root itself) down to
the directory being walked applies to it, its patterns relative to its own
directory; the deepest file that has a say wins, and within a file the last
matching pattern (so ``!keep.yaml`` re-includes).  Patterns follow git:
``/`` anchors, a trailing ``/`` matches directories only, ``**`` spans
directories (``pattern`` translates each line; tests check the walk against
``git ls-files --others --exclude-standard`` on random trees).  A directory
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
    """One .gitignore's patterns, each a regular expression matched against
    an entry's name (a pattern without ``/``, as git matches it) or its whole
    path relative to the .gitignore's directory (an anchored one), asked only
    when one expression made of them all matches (most entries match none:
    one or two C calls each instead of one per pattern).

    Each pattern matches the entry itself, never what lies below a matching
    directory: the walk asks at every level and does not enter an ignored
    directory, as git does.  (pathspec's expressions also match below a
    directory, right for a list of files but not for a walk: git reads
    ``a/c`` then ``!a/`` as ignoring ``a/c``; the negation names ``a`` only.)"""

    __slots__ = ("patterns", "names", "paths")

    def __init__(self, patterns: list[tuple]):
        self.patterns = patterns[::-1]  # (regex, include, directories only, name only), last first
        self.names = _either([r for r, _, _, name in patterns if name])
        self.paths = _either([r for r, _, _, name in patterns if not name])

    def verdict(self, rel: str) -> bool | None:
        """True: ignored, False: re-included, None: no pattern says; ``rel`` ends with ``/`` for a directory."""
        is_dir = rel.endswith("/")
        path = rel[:-1] if is_dir else rel
        cut = path.rfind("/") + 1
        return self.says(path[:cut], path[cut:], is_dir)

    def says(self, prefix: str, name: str, is_dir: bool) -> bool | None:
        """``verdict`` of the entry ``name`` (no ``/`` in it) of the directory at
        ``prefix`` (relative to this .gitignore, ending with ``/``, or empty): the
        path is built only for a .gitignore with anchored patterns."""
        if not (self.names is not None and self.names.fullmatch(name)
                or self.paths is not None and self.paths.fullmatch(prefix + name)):
            return None
        path = prefix + name
        for regex, include, dir_only, by_name in self.patterns:
            if (is_dir or not dir_only) and regex.fullmatch(name if by_name else path):
                return include
        return None


def _either(regexes: list):
    return re.compile("|".join(f"(?:{r.pattern})" for r in regexes)) if regexes else None


_CLASS = re.compile(r"\[(!|\^)?(\]?[^\]]*)\]")


def pattern(line: str) -> tuple | None:
    """A .gitignore line as (regex, include, directories only, matched
    against the entry's name rather than its path), None for a
    blank or comment line (gitignore(5): ``!`` negates, ``\\`` escapes, a
    ``/`` at the start or in the middle anchors to the file's directory, a
    trailing ``/`` matches directories only, ``*`` and ``?`` stop at ``/``,
    ``**/``, ``/**/`` and a trailing ``/**`` span directories)."""
    while line.endswith((" ", "\t")) and not line.endswith(("\\ ", "\\\t")):
        line = line[:-1]
    if not line or line.startswith("#"):
        return None
    include = not line.startswith("!")
    if not include or line.startswith(("\\!", "\\#")):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    out, i = [], 0
    while i < len(line):
        if line.startswith("**/", i) and (i == 0 or line[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif line.startswith("/**", i) and i + 3 == len(line):
            out.append("/.*")
            i += 3
        elif line[i] == "*":
            while i < len(line) and line[i] == "*":
                i += 1
            out.append("[^/]*")
        elif line[i] == "?":
            out.append("[^/]")
            i += 1
        elif line[i] == "[" and (m := _CLASS.match(line, i)):
            out.append("[" + ("^" if m.group(1) else "") + m.group(2).replace("\\", "\\\\") + "]")
            i = m.end()
        elif line[i] == "\\" and i + 1 < len(line):
            out.append(re.escape(line[i + 1]))
            i += 2
        else:
            out.append(re.escape(line[i]))
            i += 1
    try:
        return re.compile("".join(out)), include, dir_only, not anchored  # unanchored: the entry's name
    except re.error:  # an odd character class: no pattern, as git passes over what it cannot read
        return None


def _load(directory: str) -> _Spec | None:
    try:
        # utf-8-sig: git skips a BOM (Notepad and PowerShell 5 write one)
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8-sig", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    patterns = [p for p in map(pattern, lines) if p is not None]
    return _Spec(patterns) if patterns else None


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
        for prefix, spec in rules:
            verdict = spec.says(prefix, name, is_dir)
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
