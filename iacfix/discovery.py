"""Which files to look at: walk the given paths, skip what never holds IaC."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator

from .paths import escapes

DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules",
    ".aws-sam", "cdk.out", ".terraform", ".serverless", ".terragrunt-cache", ".mypy_cache", ".pytest_cache",
    ".ruff_cache",
)


class Discovery:
    """Walks roots; ``problems`` collects (path, message) for what it could not read."""

    def __init__(self, claims, excludes: tuple[str, ...] = (), defaults: tuple[str, ...] = DEFAULT_EXCLUDES,
                 gitignore: bool = False, base: str | None = None, force: bool = False):
        self.claims = claims  # file name -> whether some format reads it
        self.names = frozenset(defaults)
        self.gitignore = gitignore  # honour .gitignore files (iacfix.gitignore)
        self.force = force  # the excludes hold for the paths given too (--force-exclude)
        self.base = os.path.abspath(base) if base else None  # globs also match paths relative to it (a config's)
        # Globs are matched against a file or directory name and against its
        # path as given (``./`` dropped), e.g. ``legacy`` or ``infra/legacy/*``.
        patterns = [os.path.normpath(p) if p.strip("/") else p for p in excludes]  # ./generated/ is generated
        # ``**/`` also matches no directory at all, as in .gitignore and ruff: ``**/generated`` is ``generated`` too
        self.patterns = tuple(patterns + [p[3:] for p in patterns if p.startswith("**/") and p[3:]])
        self.nested = tuple(p for p in self.patterns if "/" in p)  # only these can match a relative path
        self.problems: list[tuple[str, str]] = []
        self.gitignored: set[str] = set()  # files the walk skipped for a .gitignore
        self._sibling_rules: dict[str, tuple] = {}  # directory -> its .gitignore rules, for keeps()
        self._directories: dict = {}  # (root, directory) -> what the walk knows entering it (_walked)
        self._ignores: dict = {}  # root -> its gitignore.Ignores (_walked)

    def excluded(self, name: str, path: str) -> bool:
        if name in self.names:
            return True
        if not self.patterns:
            return False
        path = os.path.normpath(path)
        if any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(path, pat) for pat in self.patterns):
            return True
        if self.base is None or not self.nested:
            return False
        full = os.path.abspath(path)  # a configuration's globs also match paths relative to its directory
        rel = full[len(self.base) + 1:] if full.startswith(self.base + os.sep) else full
        return any(fnmatch.fnmatch(rel, pat) for pat in self.nested)

    def keeps(self, path: str) -> bool:
        """Whether a file found other than by walking (a sibling a Terraform
        directory takes in) passes the exclusions and, unless turned off, the
        .gitignore files (also beside a file named on the command line)."""
        if self.gitignored and os.path.normpath(path) in self.gitignored:
            return False
        if self._excluded_path(path):
            return False
        return not (self.gitignore and self._ignored_sibling(path))

    def _excluded_path(self, path: str) -> bool:
        """Whether ``path`` or a directory on the way to it is excluded."""
        parts = os.path.normpath(path).split(os.sep)
        return any(self.excluded(part, os.path.join(*parts[:i + 1])) for i, part in enumerate(parts) if part)

    def _ignored_sibling(self, path: str) -> bool:
        """Whether .gitignore files ignore a file the walk did not see (a sibling
        of a file named on the command line), as they would have in the walk."""
        from .gitignore import Ignores

        directory = os.path.dirname(path) or "."
        rules = self._sibling_rules.get(directory)
        if rules is None:
            ignores = Ignores(directory)
            chain = ignores.enter(directory, ignores.start)
            rules = self._sibling_rules[directory] = ignores.rules(directory, chain) if chain else ()
        return bool(rules) and Ignores.ignored(rules, os.path.basename(path), False)

    def files(self, roots: list[str]) -> Iterator[str]:
        """Files under ``roots``, each once, as the walk finds them (callers sort
        results): files named explicitly always, files found by walking only
        when a format claims their name.  A root that does not exist is a problem.

        The same real file is yielded once, however often it is named (``a a/b``,
        ``./a/x.yaml`` and ``a/x.yaml``, a link to a file that is also walked):
        two workers must never write one file.  A file's own name (given on the
        command line, or reached by a walk without a link) wins over a link the
        walk meets, wherever either lies; of its own names, the first root's;
        of several links to a file that has no own name here, the first the walk
        meets.  Only what can meet again is remembered: files under a root that
        another root overlaps, the files named, and the targets of links, never
        every file walked."""
        cwd = os.getcwd()
        plan = []  # (root, walked, real path), for the roots that are read
        for root in roots:
            if self.force and self._excluded_path(_from_here(root)):
                plan.append((root, None, None))
            elif os.path.isdir(root):
                plan.append((root, True, os.path.realpath(root)))
            elif os.path.lexists(root):
                plan.append((root, False, os.path.realpath(os.path.join(cwd, root))))
            else:
                plan.append((root, None, ""))
        trees = [(root, real) for root, walked, real in plan if walked]  # what a link's target may be walked by
        self._directories, self._ignores = {}, {}  # _walked's answers, for this run's links
        named = {real for _, walked, real in plan if walked is False}
        seen: set[str] = set()  # what has been yielded and may be met again
        for i, (root, walked, real) in enumerate(plan):
            if walked is None:
                if real == "":
                    self.problems.append((root, "no such file or directory"))
                continue
            if not walked:
                if real not in seen:
                    seen.add(real)
                    yield root
                continue
            base = _slash(real)
            # Files of this walk that another root also reaches: under a walked root it overlaps
            # (all of them when that root holds this one), or named on the command line.
            others = [_slash(r) for j, (_, w, r) in enumerate(plan) if w and j != i]
            every = any(base.startswith(o) for o in others)
            inner = tuple(o for o in others if o.startswith(base) and o != base)
            inside = {k for k in named if k.startswith(base)}
            for path, link in self._walk(root):
                if link:
                    key = os.path.realpath(path)
                    if key in seen or key in named or self._walked(key, trees):
                        continue  # yielded already, or named, or the walk reaches it by its own name
                else:
                    if not (every or inner or inside or seen):  # nothing else reaches it (most runs)
                        yield path
                        continue
                    key = base + path[len(root):].lstrip(os.sep)
                    if key in seen:  # named, or a link's target (which _walked said no walk reaches)
                        continue
                    if not (every or key in inside or key.startswith(inner)):
                        yield path  # no other root reaches it: not remembered
                        continue
                seen.add(key)
                yield path

    def _walked(self, real: str, trees: list[tuple[str, str]]) -> bool:
        """Whether walking one of ``trees`` ((root as given, its real path)) yields the
        regular file ``real`` by its own name: what ``_walk`` decides at each step
        from the root down to it, asked again without walking the rest (each
        directory's answer kept for the run's other links: ``_entered``)."""
        try:
            if not stat.S_ISREG(os.lstat(real).st_mode):
                return False
        except OSError:
            return False
        for root, top in trees:
            base = _slash(top)
            if not real.startswith(base):
                continue
            parts = real[len(base):].split(os.sep)
            d, state = root, self._entered(root, root, None)
            for n, name in enumerate(parts):
                if state is None:  # the walk could not read the directory
                    break
                chain, rules = state
                path = os.path.join(d, name)
                last = n == len(parts) - 1
                if name in self.names or self.patterns and self.excluded(name, path):
                    break
                if rules and self._ignores[root].ignored(rules, name, not last):
                    break
                if last:
                    if self.claims(name):
                        return True
                    break
                d, state = path, self._entered(root, path, chain)
        return False

    def _entered(self, root: str, d: str, chain: tuple | None):
        """(.gitignore chain, rules for its entries) of directory ``d`` as the walk of
        ``root`` enters it (``chain``: its parent's, None at the root), or None when
        it cannot be read."""
        key = (root, d)
        if key in self._directories:
            return self._directories[key]
        try:
            os.scandir(d).close()
        except OSError:
            state = None
        else:
            state = ((), ())
            if self.gitignore:
                ignores = self._ignores.get(root)
                if ignores is None:
                    from .gitignore import Ignores

                    ignores = self._ignores[root] = Ignores(root)
                chain = ignores.enter(d, ignores.start if chain is None else chain)
                state = chain, ignores.rules(d, chain) if chain else ()
        self._directories[key] = state
        return state

    def _walk(self, top: str) -> Iterator[tuple[str, bool]]:
        ignores = None
        if self.gitignore:
            from .gitignore import Ignores

            ignores = Ignores(top)
        # (directory, its .gitignore chain, the rules of its parent's entries or None at the top)
        stack = [(top, ignores.start if ignores else (), None)]
        claims, names, patterns, excluded = self.claims, self.names, self.patterns, self.excluded
        ignored = ignores.ignored if ignores is not None else None
        while stack:
            d, chain, rules = stack.pop()
            try:
                entries = os.scandir(d)
            except OSError as e:
                self.problems.append((d, f"cannot read directory: {e.strerror or e}"))
                continue
            with entries:
                if ignores is None:
                    rules = ()
                else:
                    entries = list(entries)
                    if rules is None:
                        rules = ignores.rules(d, chain) if chain else ()
                    if any(e.name == ".gitignore" for e in entries):
                        inner = ignores.enter(d, chain)
                        if inner is not chain:  # its own patterns come first, at its own directory
                            chain, rules = inner, (("", inner[-1][1]),) + rules
                for e in entries:
                    name = e.name
                    if name in names or patterns and excluded(name, e.path):
                        continue
                    if e.is_dir(follow_symlinks=False):
                        if not (rules and ignored(rules, name, True)):
                            # below it, each .gitignore's path to an entry is one name longer
                            stack.append((e.path, chain, tuple((prefix + name + "/", spec) for prefix, spec in rules)
                                          if rules else ()))
                    elif claims(name):  # a name no format reads needs no .gitignore verdict
                        if rules and ignored(rules, name, False):
                            self.gitignored.add(os.path.normpath(e.path))  # a Terraform directory must not take it in
                        elif listed(e):
                            yield e.path, e.is_symlink()


def _slash(real: str) -> str:
    """A real directory's path with one separator at its end (``/`` stays ``/``)."""
    return real if real.endswith(os.sep) else real + os.sep


def _from_here(path: str) -> str:
    """An absolute path under the current directory made relative to it: the
    directories above it (a /home/me/venv/...) are not the tree's own."""
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if not escapes(rel):
            return rel
    return path


def listed(entry: os.DirEntry) -> bool:
    """Whether a directory entry is a file to read: a regular file or a link to
    one (never a FIFO, socket or device), or a link that cannot be followed
    for another reason than a missing target (a loop): reading it reports why,
    and the run goes on."""
    try:
        return entry.is_file()
    except OSError:
        return True
