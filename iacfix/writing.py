"""Where and whether ``fix`` may write a file; the writing itself is
``edits.atomic_write``.

``fix`` writes only under the paths it was given (by their real paths: a link
out of the tree is not followed unless ``--follow-links-out``), never splits a
file's hard links, and never writes a file that changed since it was read.
"""

from __future__ import annotations

import os

from .edits import NotWritten, atomic_write, hard_links
from .engine import FileResult, Options, display_path, error


def _under(real: str, root: str) -> bool:
    try:
        return os.path.commonpath((real, root)) == root
    except ValueError:  # another drive
        return False


def _outside(real: str, opts: Options) -> bool:
    return bool(opts.roots) and not any(_under(real, root) for root in opts.roots)


def refusal(path: str, opts: Options) -> str | None:
    """Why ``fix`` must leave ``path`` alone, or None."""
    real = os.path.realpath(path)
    if not opts.links_out and _outside(real, opts):
        return (f"it resolves to {display_path(real)}, outside the paths given; fix it there, "
                f"or pass --follow-links-out to write through the link")
    try:
        links = os.stat(real).st_nlink
    except OSError:
        return None  # reported when it is written
    return hard_links(links) if links > 1 else None


def write(path: str, data: bytes, expected: bytes | None, result: FileResult, opts: Options) -> bool:
    """Write a fixed file; False, with the reason as an error on ``result``, if it is left as it was."""
    try:
        atomic_write(path, data, expected)
    except NotWritten as e:
        error(result, str(e))
        return False
    except OSError as e:
        error(result, f"cannot write the fix: {e.strerror or e}; file left unchanged")
        return False
    real = os.path.realpath(path)
    if _outside(real, opts):
        result.notes.append(f"{result.path}: note: written through the link, to {display_path(real)}")
    return True
