"""Baselines and fingerprints: a finding's identity without its line.

A finding is known by its path, rule, runtime and logical location: the
``Where`` of its site (resource and property, parameter, mapping entry,
variable...) and the functions that use it; a finding with no ``Where``
(an unresolved value, a suppression) by its users and its message with
positions left out.  Lines and columns never count, so a finding keeps its
identity when lines are added above it or the file is edited elsewhere.
Equal keys are counted: a baseline with two entries of one key absorbs two
such findings, a third is new.

``--write-baseline FILE`` writes today's keys; ``--baseline FILE`` drops
the findings whose key it holds (``iacfix.cli``).  GitLab and SARIF
fingerprints are hashes of the same keys, numbered when they repeat.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

from .model import Finding

VERSION = 1
_POSITION = re.compile(r"\b\d+:\d+\b")  # path:line:column inside a message (a tied value's place)


class BaselineError(Exception):
    pass


def location(f: Finding) -> str:
    """The finding's logical location: ``resource Api Runtime``, ``parameter Py Default``."""
    w = f.where
    if w is not None:
        parts = [w.kind, w.name, w.field] + ([f"via {w.via}"] if w.via else [])
    else:
        parts = [_POSITION.sub("", f.message)]
    used = f" used by {','.join(f.users)}" if f.users else ""
    return " ".join(p for p in parts if p) + used


def key(f: Finding) -> tuple[str, str, str, str]:
    return f.path, f.rule, f.runtime or "", location(f)


def fingerprints(findings: list[Finding]) -> list[str]:
    """One stable, unique hex digest per finding (in order): its key's hash,
    with the occurrence number when the key repeats."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        k = key(f)
        seen[k] += 1
        out.append(fingerprint(k, seen[k]))
    return out


def fingerprint(k: tuple, n: int) -> str:
    """The digest of the ``n``-th finding (from 1) with key ``k``."""
    return hashlib.sha256(json.dumps([*k, n]).encode("utf-8", "surrogatepass")).hexdigest()


def dump(findings, as_of: str) -> str:
    """The baseline of ``findings`` (or of their keys, counted: a Counter)."""
    counts = findings if isinstance(findings, Counter) else Counter(key(f) for f in findings)
    entries = [{"path": p, "rule": r, "runtime": rt or None, "location": loc, **({"count": n} if n > 1 else {})}
               for (p, r, rt, loc), n in sorted(counts.items())]
    return json.dumps({"version": VERSION, "tool": "iacfix", "as_of": as_of, "findings": entries},
                      indent=1) + "\n"  # ASCII: a file-name byte that is not UTF-8 stays a \\udcXX escape


def load(path: str) -> Counter:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as e:
        raise BaselineError(f"cannot read baseline {path}: {e.strerror or e}") from None
    except ValueError as e:
        raise BaselineError(f"baseline {path} is not JSON: {e}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"baseline {path} is not an iacfix baseline (version {VERSION}); write one with --write-baseline")
    out: Counter = Counter()
    for e in data["findings"]:
        try:
            out[(e["path"], e["rule"], e["runtime"] or "", e["location"])] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"baseline {path}: malformed entry {e!r}") from None
    return out


def apply(results, known: Counter, held_fixes: list | None = None) -> int:
    """Drop from ``results`` the findings the baseline holds; returns how many.
    With ``held_fixes`` (a fix that writes nothing: the files still hold what
    it would fix) the fixes count too: those the baseline holds stay listed as
    fixes and are appended to ``held_fixes``, so that they fail nothing."""
    left = Counter(known)
    return sum(drop(r, left, held_fixes) for r in results)


def drop(r, left: Counter, held_fixes: list | None = None) -> int:
    """``apply`` on one result, ``left`` counting down what the baseline still holds."""
    dropped, kept = 0, []
    fixes = r.fixed if held_fixes is not None else []
    for n, f in enumerate(r.findings + fixes):
        k = key(f)
        if left[k] > 0:
            left[k] -= 1
            dropped += 1
            if n >= len(r.findings):
                held_fixes.append(f)
        elif n < len(r.findings):
            kept.append(f)
    r.findings = kept
    return dropped
