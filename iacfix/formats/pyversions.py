"""Python versions as CI files, version files and packaging write them: the
shapes, and the sites they make (provider ``cpython``, value ``3.N``).

Formats of end-of-life Python (GitHub Actions, GitLab CI, version files,
packaging metadata) share this: what a version, a ``python:3.N`` image tag,
a tox environment name look like, and how a value becomes a ``Site`` whose
fix writes only the version (``3.13``), keeping quotes, image variants and
everything around it.  Like every format, nothing here knows a date.
"""

from __future__ import annotations

import re

from ..model import Item, ListInfo, Site, Where

PROVIDER = "cpython"
VERSION = re.compile(r"3\.(\d{1,2})(?:\.(\d{1,3}))?")  # 3.9, 3.10, 3.9.18
# An image of CPython: Docker's official image (any registry path ending in
# library/python or python) and CircleCI's convenience images.
IMAGE = re.compile(r"(?:[\w.-]+(?::\d+)?/)*(?:python|cimg/python|circleci/python):(3\.\d{1,2}(?:\.\d{1,3})?)"
                   r"(?=$|[-@])")
_EXPR = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")


def patch_pin(token: str) -> str:
    """Why a version written with its patch release is reported, not fixed."""
    return (f"pinned to the patch release {token}; the target names no patch release, "
            "so choose one and write it by hand")


def version(token: str) -> tuple[str, bool] | None:
    """``3.9`` -> ("3.9", False), ``3.9.18`` -> ("3.9", True); None for anything else."""
    m = VERSION.fullmatch(token)
    if m is None:
        return None
    return f"3.{int(m.group(1))}", m.group(2) is not None


def version_site(token: str, start: int, path: tuple, where: Where, kind: str, quote: str | None = "",
                 whole: tuple[str, str] | None = None, list_info: ListInfo | None = None) -> Site | None:
    """A site for a version ``token`` written at ``start`` (after its opening
    quote, if any); None when ``token`` is not a 3.N version.  ``whole``: the
    text around the token inside its value (prefix, suffix): the fix writes
    only the token, and the value at ``path`` becomes prefix + target + suffix."""
    v = version(token)
    if v is None:
        return None
    value, patched = v
    if whole is None:
        q = quote or ""
        site = Site(value=value, start=start - len(q), end=start + len(token) + len(q), path=path, kind=kind,
                    provider=PROVIDER, quote=quote, where=where, in_list=list_info)
    else:
        prefix, suffix = whole
        site = Site(value=value, start=start, end=start + len(token), path=path, kind=kind, provider=PROVIDER,
                    quote="" if quote is not None else None, where=where, in_list=list_info,
                    spell=lambda target: (target, prefix + target + suffix))
    if patched:
        site.blocked = patch_pin(token)
    return site


def image_version(value: str) -> tuple[int, str] | None:
    """(offset, version token) of the CPython version in an image reference
    (``python:3.9-slim`` -> (7, "3.9")), or None when it is not such an image."""
    m = IMAGE.fullmatch(value) or IMAGE.match(value)
    if m is None or (m.end() < len(value) and value[m.end()] not in "-@"):
        return None
    return m.start(1), m.group(1)


def matrix_key(value: str) -> str | None:
    """``${{ matrix.python-version }}`` -> ``python-version``; None otherwise."""
    m = _EXPR.search(value)
    return m.group(1) if m else None


def tested_list(path: tuple, items: list[Item], flow: bool, comment: str = "#") -> ListInfo:
    """A list that states what is tested or supported: end-of-life entries
    leave it, the rest stay, and the target comes only if none is left."""
    return ListInfo(path=path, items=items, flow=flow, comment=comment, tested=True)
