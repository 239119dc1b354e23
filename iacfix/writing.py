"""Where and whether ``fix`` may write a file; the writing itself is
``edits.atomic_write``.

``fix`` writes only under the paths it was given (by their real paths: a link
out of the tree is not followed unless ``--follow-links-out``), never splits a
file's hard links, never writes a file that changed since it was read, and
removes the temporary files that a killed run left in the directories it
writes to.
"""

from __future__ import annotations

import os

from . import deps
from .edits import NotWritten, atomic_write, hard_links, leftovers
from .engine import FileResult, Options, error
from .paths import display_path

_CLEANED: set[tuple[int, str]] = set()  # (run, directory) already cleaned of leftovers


def _under(real: str, root: str) -> bool:
    if (real == root or real.startswith(root if root.endswith(os.sep) else root + os.sep)) \
            and os.path.normpath(root) == root:
        return True  # what commonpath answers for a normalised root (a real path), without splitting both
    try:
        return os.path.commonpath((real, root)) == root
    except ValueError:  # another drive
        return False


def _outside(real: str, opts: Options) -> bool:
    return bool(opts.roots) and not any(_under(real, root) for root in opts.roots)


def refusal(path: str, opts: Options) -> str | None:
    """Why ``fix`` must leave ``path`` alone, or None."""
    real = deps.realpath(path)
    if not opts.links_out and _outside(real, opts):
        return (f"it resolves to {display_path(real)}, outside the paths given; fix it there, "
                f"or pass --follow-links-out to write through the link")
    try:
        links = deps.stat(real).st_nlink
    except OSError:
        return None  # reported when it is written
    return hard_links(links) if links > 1 else None


def write(path: str, data: bytes, expected: bytes | None, result: FileResult, opts: Options) -> bool:
    """Write a fixed file; False, with the reason as an error on ``result``, if it is left as it was."""
    real = os.path.realpath(path)
    directory = os.path.dirname(real)
    if (opts.started_ns, directory) not in _CLEANED:
        _CLEANED.add((opts.started_ns, directory))
        for name in leftovers(directory, opts.started_ns):
            result.notes.append(f"{display_path(name)}: note: removed a temporary file left by an interrupted iacfix run")
    try:
        atomic_write(path, data, expected)
    except NotWritten as e:
        error(result, str(e))
        return False
    except OSError as e:
        error(result, f"cannot write the fix: {e.strerror or e}; file left unchanged")
        return False
    if _outside(real, opts):
        result.notes.append(f"{result.path}: note: written through the link, to {display_path(real)}")
    return True
