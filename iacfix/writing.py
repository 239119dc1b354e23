"""Whether ``fix`` may write a file, and writing it; the writing itself is
``edits.atomic_write``.  A file that changed since it was read is not written.
"""

from __future__ import annotations

from .edits import NotWritten, atomic_write
from .engine import FileResult, error


def write(path: str, data: bytes, expected: bytes | None, result: FileResult) -> bool:
    """Write a fixed file; False, with the reason as an error on ``result``, if it is left as it was."""
    try:
        atomic_write(path, data, expected)
    except NotWritten as e:
        error(result, str(e))
        return False
    except OSError as e:
        error(result, f"cannot write the fix: {e.strerror or e}; file left unchanged")
        return False
    return True
