"""RT401: a tool's target Python version is past its end of life."""

from __future__ import annotations

from . import INFO, Rule, register


@register
class TargetVersionEndOfLife(Rule):
    """## What it does
    Reports the Python version a linter, formatter or type checker targets
    in `pyproject.toml` (ruff's and black's `target-version`, mypy's
    `python_version`, pyright's `pythonVersion`) when CPython has ended that
    version's life.

    ## Why is this bad
    Nothing breaks today, but the tools keep the code compatible with an
    interpreter nobody should run: ruff and pyupgrade hold back newer syntax,
    mypy checks against an old standard library.  It is also a sign that the
    package's support floor and CI were not moved together.

    ## Example
    With `--as-of 2026-11-21` (3.9 reached its end of life on 2025-10-31):
    ```toml
    [tool.ruff]
    target-version = "py39"
    ```
    Use instead: `target-version = "py311"`, the oldest CPython not past its
    end of life on that date.

    ## Fix safety
    Unsafe: the tools then accept syntax and library calls that older
    interpreters reject.  When the file has a support floor
    (`requires-python`), the target moves with it in the floor's fix.
    """

    code = "RT401"
    name = "python-target-eol"
    severity = INFO
    summary = "a tool targets a Python version past its end of life"
    url = "https://devguide.python.org/versions/"
    tags = ("cpython", "lifecycle")
