"""tox (``tox.ini``): the environments it tests and the interpreters they use.

- ``[tox] env_list`` (or ``envlist``): a list of tested environments (``py39, py310, lint``,
  one a line or comma-separated, factors such as ``py39-django42``, and
  brace groups such as ``py3{9,10,11}``): the environments whose Python is
  past its end of life leave it (a brace group loses those alternatives; a
  range such as ``py3{8-10}`` is reported, not narrowed),
  the rest stay, and the target comes only if none is left;
- ``basepython = python3.9`` (tox 4: ``base_python``) in any ``[testenv...]``
  section: moved to the target, unless the environment's name has a Python
  factor (``[testenv:py39-lint]``), which tox 4 would find in conflict.

The file is read line by line (tox's own reading of INI), ``configparser``
verifies a fix, with ``envlist`` compared token by token.
"""

from __future__ import annotations

import re

from ..model import Item, ListInfo, Located, Site, Where
from . import Format, register
from .packaging import Cfg, cfg_meaning
from .pyversions import PROVIDER, tested_list, version_site

_PY = re.compile(r"py(3)(\d{1,2})(?=$|-)")  # py39, py310-django42
_BRACE = re.compile(r"py(3?)\{([^{}]*)\}")  # py3{9,10}, py{39,310}
_RANGE = re.compile(r"(\d{1,2})-(\d{1,2})")  # py3{8-10}


def _tokens(segments):
    """(token, start) of a value's top-level entries, split at commas and line ends."""
    out = []
    for text, offset in segments:
        depth, start = 0, None
        for i, ch in enumerate(text + ","):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if (ch == "," and depth == 0) or (ch.isspace() and depth == 0 and start is not None and i == len(text)):
                if start is not None:
                    token = text[start:i].rstrip()
                    out.append((token, offset + start))
                start = None
            elif start is None and not ch.isspace() and ch != ",":
                start = i
    return out


def split_envlist(value: str) -> list:
    """envlist's meaning, token by token: a brace group ``py3{9,10}`` is
    [head, [alternatives], tail] so that a fix's expectations address it."""
    out = []
    for token, _ in _tokens([(line, 0) for line in value.splitlines()]):
        m = _BRACE.search(token)
        if m:
            out.append([token[:m.start(2)], [a.strip() for a in m.group(2).split(",")], token[m.end(2):]])
        else:
            out.append(token)
    return out


def _meaning(text: str) -> dict:
    doc = cfg_meaning(text)
    tox = doc.get("tox", {})
    for key in ("envlist", "env_list"):
        if key in tox:
            value = tox[key]
            tox[key] = split_envlist("\n".join(value) if isinstance(value, list) else value)
    return doc


@register
class ToxIni(Format):
    name = "tox"
    filenames = ("tox.ini",)
    comment_prefixes = ("#", ";")  # INI: configparser's comment prefixes

    def prefilter(self, data: bytes) -> bool:
        return b"py3" in data or b"python3" in data

    def parse(self, text: str):
        return _meaning(text), Cfg(text)

    def semantic(self, doc):
        return doc[0]

    def locate(self, doc, text: str) -> Located | None:
        _, cfg = doc
        sites: list[Site] = []
        key = "env_list" if ("tox", "env_list") in cfg.options else "envlist"  # tox 4 spells it env_list
        found = cfg.options.get(("tox", key))
        if found is not None:
            value, start, more = found
            segments = ([(value, start)] if value else []) + [(v, s) for v, s, _, _ in more]
            sites += self._envlist(_tokens(segments), key)
        for (section, key), (value, start, _) in cfg.options.items():
            # tox 4 spells it base_python; basepython is its alias
            if key in ("basepython", "base_python") and section.startswith("testenv") and value.startswith("python"):
                word = value.split(None, 1)[0]  # python3.9 # a comment (tox 4 strips it)
                rest = value[len(word):]
                if rest and not rest.lstrip().startswith(("#", ";")):
                    continue
                site = version_site(word[len("python"):], start + len("python"), (section, key),
                                    Where("ci", f"[{section}]", key), "ci", whole=("python", rest))
                if site is not None:
                    factor = next((f for f in section.partition(":")[2].split("-") if _PY.fullmatch(f)), None)
                    if factor and site.blocked is None:  # tox 4 refuses a base_python its name contradicts
                        site.blocked = (f"the environment name {section.partition(':')[2]} names its Python "
                                        f"({factor}); rename the environment and its {key} together by hand")
                    sites.append(site)
        return Located(sites, [])

    @staticmethod
    def _envlist(tokens, key: str) -> list[Site]:
        path = ("tox", key)
        where = Where("ci", "[tox]", key)
        items = [Item(t, s, s + len(t)) for t, s in tokens]
        info = tested_list(path, items, flow=True, comment="#")
        sites = []
        for i, (token, start) in enumerate(tokens):
            brace = _BRACE.search(token)
            if brace:
                sites += _alternatives(token, start, brace, (*path, i, 1), where)
                continue
            m = _PY.match(token)
            if m:
                head, tail = token[:m.start(1)], token[m.end(2):]
                site = version_site(f"3.{m.group(2)}", start, (*path, i), where, "ci-matrix")
                if site is None:
                    continue
                site.start, site.end, site.in_list = start, start + len(token), info
                site.spell = lambda t, head=head, tail=tail: (head + t.replace(".", "") + tail,) * 2
                sites.append(site)
        return sites


def _alternatives(token: str, start: int, brace, path: tuple, where: Where) -> list[Site]:
    """The alternatives of ``py3{9,10}`` / ``py{39,310}`` as a list of their own."""
    inner, base = brace.group(2), start + brace.start(2)
    three = brace.group(1)  # "3" when written py3{...}: alternatives are minor versions
    parts, pos = [], 0
    for piece in inner.split(","):
        lead = len(piece) - len(piece.lstrip())
        parts.append((piece.strip(), base + pos + lead))
        pos += len(piece) + 1
    items = [Item(p, s, s + len(p)) for p, s in parts]
    info = ListInfo(path=path, items=items, flow=True, comment="", tested=True)
    sites = []
    for i, (alt, s) in enumerate(parts):
        minor = alt if three else (alt[1:] if alt.startswith("3") else "")
        span = _RANGE.fullmatch(alt) if three else None
        if span and int(span.group(1)) <= int(span.group(2)) <= 99:  # py3{8-10}: tox 4 expands a range
            for n in range(int(span.group(1)), int(span.group(2)) + 1):
                site = Site(value=f"3.{n}", start=s, end=s + len(alt), path=(*path, i), kind="ci-matrix",
                            provider=PROVIDER, where=where, in_list=info)
                site.blocked = f"inside the range {alt} of {brace.group(0)}; narrow the range by hand"
                sites.append(site)
            continue
        if not minor.isdigit():
            continue
        site = Site(value=f"3.{int(minor)}", start=s, end=s + len(alt), path=(*path, i), kind="ci-matrix",
                    provider=PROVIDER, where=where, in_list=info)
        site.spell = (lambda t: (t.split(".")[1],) * 2) if three else (lambda t: (t.replace(".", ""),) * 2)
        sites.append(site)
    return sites
