"""Which files to look at: walk the given paths, skip what never holds IaC."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator

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

    def missing(self, roots: list[str]) -> list[str]:
        return [r for r in roots if not os.path.exists(r)]

    def files(self, roots: list[str]) -> Iterator[str]:
        """Files under ``roots``, each once, as the walk finds them (callers sort
        results): files named explicitly always, files found by walking only
        with a known extension."""
        seen: set[str] = set()
        for root in roots:
            if os.path.isdir(root):
                paths = self._walk(root)
            elif os.path.exists(root):
                paths = iter((root,))
            else:
                continue
            for path in paths:
                if path not in seen:
                    seen.add(path)
                    yield path

    def _walk(self, top: str) -> Iterator[str]:
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
                    else:
                        dot = name.rfind(".")
                        if dot > 0 and name[dot:].lower() in exts and e.is_file():
                            yield e.path
