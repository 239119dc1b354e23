"""Work units and file ownership.

A file is a unit on its own; the files of a directory-unit format (Terraform)
are grouped by directory, with the siblings discovery did not list.  A real
file that several units share (a variables.tf linked into every environment)
is read by each and written by none, and reported once (``merge``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from . import formats
from .engine import FileResult


def units(paths: Iterable[str], keep=lambda path: True) -> Iterator[tuple[str, list[str], frozenset[str]]]:
    """(format name, paths, shared) work units: a file on its own as discovery
    yields it (format name "" when no name claims it: its content decides);
    the files of a directory-unit format grouped by directory, with their
    siblings that ``keep`` accepts, once discovery is done.  ``shared`` names
    the paths that are one real file in several units: read everywhere,
    edited nowhere, so that no two workers ever write one file."""
    grouped: dict[tuple[str, str], list[str]] = {}  # discovery yields each real file once
    for path in paths:
        name = formats.claim_of(path)  # its module is imported by whoever processes it
        if name is None or formats.unit_of(name) == "file":
            yield name or "", [path], frozenset()
        else:
            grouped.setdefault((name, os.path.normpath(os.path.dirname(path))), []).append(path)
    # Which real files several units hold: only a link, a file deeper than its unit's directory
    # (a Serverless ${file()}) or a directory that two units name (a/x.tf and /abs/a/y.tf) can
    # be one; a file of its unit's own directory is its real directory's, remembered only when
    # one of those may name it.
    work, by_real_dir, elsewhere = [], {}, []
    for key in sorted(grouped):
        name, directory = key
        found = grouped.pop(key)
        fmt = formats.by_name(name)
        known = {os.path.normpath(p) for p in found}
        siblings = [p for p in fmt.unit_files(directory) if os.path.normpath(p) not in known and keep(p)]
        unit = sorted(found) + siblings
        real_dir = os.path.realpath(directory)  # one lookup per directory; links are rare
        foreign = {i: os.path.realpath(p) for i, p in enumerate(unit)
                   if os.path.islink(p) or (os.path.dirname(os.path.normpath(p)) or ".") != directory}
        by_real_dir.setdefault(real_dir, []).append(len(work))
        elsewhere += ((len(work), real) for real in foreign.values())
        work.append((name, directory, unit, real_dir, foreign))
    owners: dict[str, set[str]] = {}  # real path -> the directories of the units that hold it
    for at, real in elsewhere:
        holders = owners.setdefault(real, set())
        holders.add(work[at][1])
        parent, base = os.path.split(real)
        for other in by_real_dir.get(parent, ()):
            _, directory, unit, _, foreign = work[other]
            if any(os.path.basename(p) == base for i, p in enumerate(unit) if i not in foreign):
                holders.add(directory)
    for name, directory, unit, real_dir, foreign in work:
        alone = len(by_real_dir[real_dir]) == 1
        shared = []
        for i, p in enumerate(unit):
            real = foreign.get(i)
            if real is None:
                real = os.path.join(real_dir, os.path.basename(p))
                if not alone:  # another unit names this directory too: it holds the same file
                    if any(os.path.basename(q) == os.path.basename(p) for other in by_real_dir[real_dir]
                           if work[other][1] != directory
                           for j, q in enumerate(work[other][2]) if j not in work[other][4]):
                        shared.append(p)
                        continue
            holders = owners.get(real)
            if holders is not None and len(holders | {directory}) > 1:
                shared.append(p)
        yield name, unit, frozenset(shared)


def merge(results: list[FileResult], shared: set[str]) -> list[FileResult]:
    """One result per real file: a file shared by several units (through a
    link) is reported once, with each finding once."""
    by_file: dict[str, FileResult] = {}
    for r in sorted(results, key=lambda r: r.path):
        key = os.path.realpath(r.path) if r.path in shared else r.path
        first = by_file.setdefault(key, r)
        if first is r:
            continue
        seen = {(f.rule, f.line, f.column) for f in first.findings}
        first.findings += [f for f in r.findings if (f.rule, f.line, f.column) not in seen]
        for f in first.findings:
            f.path = first.path
        first.findings.sort(key=lambda f: (f.line, f.column, f.rule))
        first.errors += [e for e in r.errors if (e.line, e.column, e.message) not in
                         {(x.line, x.column, x.message) for x in first.errors}]
        first.template = first.template or r.template
        first.refused = first.refused or r.refused
    return list(by_file.values())
