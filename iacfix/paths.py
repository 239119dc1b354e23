"""How paths are shown and whether one leads out of a directory."""

from __future__ import annotations

import os


def escapes(rel: str) -> bool:
    """Whether ``rel`` (a relative path, as ``os.path.relpath`` answers) leads out of the
    directory it is relative to: ``..`` or ``../...``.  A name that only begins with two
    dots (``..svc``, ``...``) is inside it."""
    return rel == os.pardir or rel.startswith(os.pardir + os.sep)


def display_path(path: str) -> str:
    """``path`` relative to the current directory when it is below it, else as given;
    POSIX separators."""
    norm = os.path.normpath(path)
    if not os.path.isabs(path):
        if not escapes(norm):
            return norm.replace(os.sep, "/")
    else:  # an absolute path below the working directory: what relpath answers, without its two abspath calls
        cwd = os.getcwd()
        if norm.startswith(cwd) and norm[len(cwd):len(cwd) + 1] == os.sep:
            return norm[len(cwd) + 1:].replace(os.sep, "/")
    rel = os.path.relpath(path)
    shown = path if escapes(rel) or os.path.isabs(rel) else rel
    return shown.replace(os.sep, "/")
