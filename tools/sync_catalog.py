"""Regenerate rules/catalog.json from a verified lifecycle facts file.

    python tools/sync_catalog.py ../shared/facts/lifecycle.json [--checked YYYY-MM-DD]

The facts file (shape of ../shared/facts/lifecycle.json) carries, for every AWS
Lambda runtime, its dates and the sources they were read from.  This script
keeps what iacfix needs and names the source of every single date, following
the facts file's precedence note: deprecation and block-update come from the
AWS runtimes page (as scraped by endoflife.date's release-data), block-create
from cfn-lint's LmbdRuntimeLifecycle.json where it has the runtime.
Run it when AWS moves a date; review the diff; commit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "rules" / "catalog.json"

# What iacfix recommends moving to, per family: the newest generally available
# runtime of the family on Amazon Linux 2023 when the catalog was checked.  For
# Python it is python3.13, the default `fix --target` (python3.14 shares its
# deprecation date, 2029-06-30, and many wheels still lag behind it).
SUCCESSORS = {
    "python": "python3.13",
    "nodejs": "nodejs24.x",
    "java": "java25",
    "dotnet": "dotnet10",
    "dotnetcore": "dotnet10",
    "ruby": "ruby4.0",
    "go": "provided.al2023",
    "provided": "provided.al2023",
}


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v))


def _successor(row: dict) -> str | None:
    """The family's recommended runtime, for rows older than it only."""
    successor = SUCCESSORS.get(row["family"])
    if successor is None or successor == row["id"]:
        return None
    if successor.startswith(row["family"]) and _version(row["version"]) >= _version(successor[len(row["family"]):]):
        return None
    return successor


def _source(sources: list[str], needle: str) -> str | None:
    return next((s for s in sources if needle in s), None)


def convert(facts: dict, checked: str) -> dict:
    meta = facts["meta"]
    oses = {}
    for code, row in meta["amazon_linux_eol"].items():
        oses[code] = {
            "name": meta["os_codes"][code].split(" (")[0],
            "end_of_life": row["eol"],
            "source": row["sources"][0],
        }
    runtimes = []
    for row in sorted(facts["lambda_runtimes"], key=lambda r: r["id"]):
        srcs = row["sources_all"]
        page = _source(srcs, "release-data") or row["source"]
        cfnlint = _source(srcs, "cfn-lint")
        os_src = next((s[4:] for s in srcs if s.startswith("OS: ")), None)
        dates = {"deprecation": row["deprecation"], "block_create": row["block_create"], "block_update": row["block_update"]}
        sources = {}
        for key, value in dates.items():
            if value is None:
                continue
            sources[key] = (cfnlint or page) if key == "block_create" else page
        if row["os"]:
            sources["os"] = os_src or page
        entry = {
            "provider": "aws",
            "id": row["id"],
            "family": row["family"],
            "version": row["version"],
            "os": row["os"],
            **dates,
            "successor": _successor(row),
            "sources": sources,
        }
        if row["deprecation"] is None and row["status"] == "preview":
            entry["preview"] = True
        ordered = [d for d in dates.values() if d]
        if ordered != sorted(ordered):
            entry["date_order_exception"] = next(
                (n for n in row["notes"] if "two-phase" in n or "before" in n), "dates published out of order by AWS"
            )
        if row["notes"]:
            entry["notes"] = row["notes"]
        runtimes.append(entry)
    return {
        "schema": 1,
        "last_checked": checked,
        "primary_source": meta["lambda_primary_page"],
        "policy": meta["lambda_policy"],
        "operating_systems": oses,
        "runtimes": runtimes,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("facts", type=Path)
    p.add_argument("--checked", default=dt.date.today().isoformat(), help="date the sources were checked")
    a = p.parse_args()
    catalog = convert(json.loads(a.facts.read_text(encoding="utf-8")), a.checked)
    OUT.write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(catalog['runtimes'])} runtimes)")


if __name__ == "__main__":
    main()
