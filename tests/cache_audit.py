"""The result cache's audit oracle, run in a fresh interpreter by tests/test_cache.py.

    python tests/cache_audit.py AS_OF ROOT...

Every unit under the ROOTs is processed (as ``fix --diff`` processes it: located,
checked, fixed in memory, located again) twice, each time in a child process
forked from this one before anything was processed:

- alone (``fresh``), with the operating system's own functions wrapped at the
  lowest level (``builtins.open``, ``os.open``, ``os.stat``, ``os.lstat``,
  ``os.scandir``, ``os.listdir``, ``os.readlink``, ``os.access``; ``os.path``'s
  tests call these), so that every path processing touches is seen, and what it
  needs recorded: a file opened its fingerprint, a directory listed its listing
  (a path only tested for what it is would not see its bytes change);
- one after the other in a single process (``warm``), so that answers a process
  keeps between units (``deps.memo``, Terraform's module cache) are served from
  memory.

It prints JSON: for each unit, what ``deps`` recorded both ways and the touched
paths that no recorded question covers.  Paths of the interpreter and of
installed packages (imports) are left out.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import os
import sys

from iacfix import deps, formats, pool
from iacfix.catalog import load_catalog
from iacfix.discovery import Discovery
from iacfix.engine import Options
from iacfix.rules import RULES, Context
from iacfix.targets import default_target, with_target
from iacfix.units import units

# sys.path[0] is this script's directory, which holds the golden trees audited: not ignored
IGNORED = tuple(sorted({os.path.realpath(p) for p in sys.path[1:] if p and os.path.isdir(p)}
                       | {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix),
                          os.path.dirname(os.path.realpath(formats.__file__)).rsplit(os.sep, 1)[0],
                          os.path.dirname(os.path.realpath(sys.modules["iacfix.rules"].__file__))}))


def _path(arg) -> str | None:
    if isinstance(arg, int):
        return None  # a file descriptor: what it is was recorded when it was opened
    arg = os.fspath(arg)
    return os.path.abspath(arg.decode("utf-8", "surrogateescape") if isinstance(arg, bytes) else arg)


# What a touch needs recorded: a file's bytes need its fingerprint ("s"), a directory's names
# need its listing ("d", "D"); any other question (a stat, a link read) needs any record.
NEEDS = {"open": "s", "scandir": "dD", "listdir": "dD"}


def audited(touched: set[tuple[str, str]]):
    """Wrap the operating system's path functions; each (path, what it needs recorded) they
    are given goes into ``touched``."""
    def wrap(owner, name):
        real = getattr(owner, name)

        def wrapper(*args, **kwargs):
            path = _path(args[0]) if args else (_path(kwargs["path"]) if "path" in kwargs else None)
            if path is not None:
                touched.add((path, NEEDS.get(name, "")))
            return real(*args, **kwargs)

        setattr(owner, name, wrapper)

    for owner, name in ((builtins, "open"), (os, "open"), (os, "stat"), (os, "lstat"), (os, "scandir"),
                        (os, "listdir"), (os, "readlink"), (os, "access")):
        wrap(owner, name)


def covered(path: str, seen: dict, needs: str = "") -> bool:
    if any(os.path.realpath(path).startswith(x + os.sep) or path.startswith(x + os.sep) for x in IGNORED):
        return True
    for (kind, p), value in seen.items():
        p = os.path.abspath(p)
        if p == path and (not needs or kind in needs):
            return True
        if needs:
            continue  # a real path's lookup reads no bytes and lists no directory
        if kind == "r":  # a real path is looked up one component at a time, links followed
            for q in (p, value if isinstance(value, str) else ""):
                if q and (q == path or q.startswith(path.rstrip(os.sep) + os.sep)):
                    return True
    return False


def in_child(fn):
    """``fn()``'s JSON answer, computed in a forked child."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            data = json.dumps(fn()).encode()
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            data = json.dumps({"crash": repr(e)}).encode()
        with os.fdopen(w, "wb") as fh:
            fh.write(data)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    out = json.loads(data)
    if isinstance(out, dict) and "crash" in out:
        raise SystemExit(f"child failed: {out['crash']}")
    return out


def main() -> None:
    as_of, roots = sys.argv[1], sys.argv[2:]
    catalog = load_catalog()
    ctx = Context(dt.date.fromisoformat(as_of), 365, catalog, enabled=frozenset(RULES))
    ctx = with_target(ctx, *default_target(catalog, ctx))
    opts = Options(context=ctx, fix=True, diff=True)
    discovery = Discovery(formats.claims)
    work = list(units(discovery.files(roots), discovery.keeps))
    formats.load_all()
    pool._init(opts)

    def one(unit):
        def run():
            touched: set[tuple[str, str]] = set()
            audited(touched)
            with deps.recording() as rec:
                pool._process(unit)
            seen, touched = rec.seen, sorted(touched)
            return {"seen": [[k, p, v] for (k, p), v in seen.items()],
                    "untracked": sorted({f"{t} ({needs})" if needs else t for t, needs in touched
                                         if not covered(t, seen, needs)})}
        return run

    fresh = [in_child(one(u)) for u in work]

    def all_units():
        out = []
        for unit in work:
            with deps.recording() as rec:
                pool._process(unit)
            out.append([[k, p, v] for (k, p), v in rec.seen.items()])
        return out

    warm = in_child(all_units)
    print(json.dumps([{"unit": [u[0], list(u[1])], "fresh": f["seen"], "untracked": f["untracked"], "warm": w}
                      for u, f, w in zip(work, fresh, warm)]))


if __name__ == "__main__":
    main()
