"""Which files to look at: walk the given paths, skip what never holds IaC."""

from __future__ import annotations

import fnmatch
import os

DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules",
    ".aws-sam", "cdk.out", ".terraform", ".mypy_cache", ".pytest_cache", ".ruff_cache",
)


class Discovery:
    def __init__(self, extensions: frozenset[str], excludes: tuple[str, ...] = ()):
        self.extensions = extensions
        self.names = frozenset(DEFAULT_EXCLUDES)
        self.patterns = tuple(excludes)  # globs matched against the name and the path

    def excluded(self, name: str, path: str) -> bool:
        return name in self.names or any(
            fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(path, pat) for pat in self.patterns
        )

    def files(self, roots: list[str]) -> tuple[list[str], list[str]]:
        """(files, missing): files under ``roots`` in sorted order; named files are
        always included, files found by walking only with a known extension."""
        found, missing = [], []
        for root in roots:
            if os.path.isdir(root):
                self._walk(root, found)
            elif os.path.exists(root):
                found.append(root)
            else:
                missing.append(root)
        return sorted(set(found)), missing

    def _walk(self, top: str, out: list[str]) -> None:
        stack = [top]
        exts = self.extensions
        while stack:
            d = stack.pop()
            try:
                entries = os.scandir(d)
            except OSError:
                continue
            with entries:
                for e in entries:
                    name = e.name
                    if self.excluded(name, e.path):
                        continue
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    elif os.path.splitext(name)[1].lower() in exts and e.is_file():
                        out.append(e.path)
