"""Regenerate rules/catalog.json from a verified lifecycle facts file.

    python tools/sync_catalog.py ../shared/facts/lifecycle.json [--checked YYYY-MM-DD]

The facts file (shape of ../shared/facts/lifecycle.json) carries, for every AWS
Lambda runtime, Google Cloud Functions runtime and Azure Functions Python
version, its dates and the sources they were read from.  This script keeps
what iacfix needs and names the source of every single date, following the
facts file's precedence note: Lambda deprecation and block-update come from the
AWS runtimes page (as scraped by endoflife.date's release-data), block-create
from cfn-lint's LmbdRuntimeLifecycle.json where it has the runtime.

Each provider names its own lifecycle dates (``providers`` in the output):
Lambda deprecation / block create / block update, Google deprecation /
decommission, Azure end of support.  A date the source gives only as a month
(``2029-10``) is stored as that month's last day, as Azure's own portal data
does (``October 2027`` -> 2027-10-31), and its source says so.
Run it when a provider moves a date; review the diff; commit.
"""

from __future__ import annotations

import argparse
import calendar
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


GCP_POLICY_PAGE = "https://docs.cloud.google.com/functions/1stgendocs/runtime-support"
PROVIDERS = {
    "aws": {
        "name": "AWS Lambda",
        "service": "Lambda",
        "source": "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
        "deprecated": "deprecated",
        "dates": {
            "deprecation": {"label": "deprecation", "means": ["deprecation"]},
            "block_create": {"label": "create blocked", "means": ["block_create"]},
            "block_update": {"label": "update blocked", "means": ["block_update"]},
        },
    },
    "gcp": {
        "name": "Google Cloud Functions",
        "service": "Cloud Functions",
        "source": GCP_POLICY_PAGE,
        "policy": "Deprecation: creating and updating functions generally still works. After the decommission date "
                  "you can no longer create new functions or update existing functions using the runtime, and "
                  "functions that continue to use it may be disabled (" + GCP_POLICY_PAGE + ")",
        "deprecated": "deprecated",
        "dates": {
            "deprecation": {"label": "deprecation", "means": ["deprecation"]},
            "decommission": {"label": "decommission", "means": ["block_create", "block_update"]},
        },
    },
    "azure": {
        "name": "Azure Functions",
        "service": "Azure Functions",
        "source": "https://learn.microsoft.com/azure/azure-functions/supported-languages",
        "policy": "After end of support, function apps keep running but get no security patches or support "
                  "(https://learn.microsoft.com/azure/azure-functions/language-support-policy)",
        "deprecated": "out of support",
        "dates": {
            "end_of_support": {"label": "end of support", "means": ["deprecation"]},
        },
    },
    "cpython": {
        "name": "CPython",
        "service": "CPython",
        "source": "https://devguide.python.org/versions/",
        "policy": "After its end of life a Python version gets no more releases, security fixes included "
                  "(https://devguide.python.org/versions/)",
        "deprecated": "past its end of life",
        "upcoming": "reaches its end of life",
        "dates": {
            "end_of_life": {"label": "end of life", "means": ["deprecation"]},
        },
    },
}


def _day(value: str | None) -> tuple[str | None, str | None]:
    """An ISO day for a fact date, and a note when the source gave only a month."""
    if value is None or len(value) == 10:
        return value, None
    year, month = (int(p) for p in value.split("-"))
    day = f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    return day, f"month only ({value}); taken as its last day, {day}, as Azure's portal data and endoflife.date do for month dates"


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
    runtimes += _gcp_rows(facts, runtimes) + _azure_rows(facts, runtimes) + _cpython_rows(facts, runtimes)
    return {
        "schema": 2,
        "last_checked": checked,
        "primary_source": meta["lambda_primary_page"],
        "policy": meta["lambda_policy"],
        "providers": PROVIDERS,
        "operating_systems": oses,
        "runtimes": runtimes,
        "images": _images(facts),
    }


def _equivalent_successor(row: dict, provider: str, ids: dict[tuple, str], aws: dict[str, dict]) -> str | None:
    """The provider's own id for the family's Lambda successor, when it has it
    and the row is older."""
    successor = aws.get(SUCCESSORS.get(row["family"], ""))
    if successor is None:
        return None
    same = ids.get((provider, row["family"], _version(successor["version"])))
    if same is None or same == row["id"] or _version(row["version"]) >= _version(successor["version"]):
        return None
    return same


def _dated(entry: dict, key: str, value: str | None, source: str) -> None:
    day, note = _day(value)
    entry[key] = day
    if day is not None:
        entry["sources"][key] = f"{source}; {note}" if note else source


def _finish(rows: list[dict], provider: str, aws_rows: list[dict]) -> list[dict]:
    aws = {r["id"]: r for r in aws_rows}
    ids = {(provider, r["family"], _version(r["version"])): r["id"] for r in rows if not r.get("preview")}
    for r in rows:
        r["successor"] = _equivalent_successor(r, provider, ids, aws)
    return rows


def _gcp_rows(facts: dict, aws_rows: list[dict]) -> list[dict]:
    rows = []
    for row in sorted(facts["gcp_runtimes"], key=lambda r: r["id"]):
        version = re.search(r"\d+(?:\.\d+)?", row["name"]).group(0)
        entry = {"provider": "gcp", "id": row["id"], "family": row["family"], "version": version, "os": None,
                 "sources": {}}
        _dated(entry, "deprecation", row["deprecation"], row["source"])
        _dated(entry, "decommission", row["decommission"], row["source"])
        if row["status"] == "preview":
            entry["preview"] = True
        if row["os"]:
            entry["notes"] = [f"{row['os']} ({row['stack']} stack)"] + row["notes"]
        elif row["notes"]:
            entry["notes"] = row["notes"]
        rows.append(entry)
    return _finish(rows, "gcp", aws_rows)


def _azure_rows(facts: dict, aws_rows: list[dict]) -> list[dict]:
    rows = []
    for row in facts["azure_python"]:
        portal = _source(row["sources_all"], "azure-functions-ux")
        exact = row["end_of_support_exact_portal"]
        entry = {"provider": "azure", "id": row["version"], "family": "python", "version": row["version"],
                 "os": None, "sources": {}}
        if exact:
            entry["end_of_support"] = exact
            entry["sources"]["end_of_support"] = portal or row["source"]
        else:
            _dated(entry, "end_of_support", row["end_of_support"], row["source"])
        if row["support_level"] not in ("GA", "end of support"):
            entry["preview"] = True
        if row["notes"]:
            entry["notes"] = row["notes"]
        rows.append(entry)
    return _finish(rows, "azure", aws_rows)


def _cpython_rows(facts: dict, aws_rows: list[dict]) -> list[dict]:
    """CPython itself, judged by its end of life (CI images, version files,
    packaging, alternative container bases): id and version are ``3.13``."""
    rows = []
    for row in facts["cpython"]:
        entry = {"provider": "cpython", "id": row["version"], "family": "python", "version": row["version"],
                 "os": None, "sources": {}}
        _dated(entry, "end_of_life", row["eol"], row["source"])
        if row["status_in_peps_toml_2026_08"] == "prerelease":
            entry["preview"] = True
        if row["notes"]:
            entry["notes"] = row["notes"]
        rows.append(entry)
    return _finish(rows, "cpython", aws_rows)


def _images(facts: dict) -> list[dict]:
    """Lambda base images that stand for a runtime: repository, tag, the
    runtime id it provides, and where that mapping comes from."""
    return [{"repository": r["repository"], "tag": r["tag"], "runtime": r["runtime"], "os": r["os"],
             "source": r["source"], **({"notes": r["notes"]} if r["notes"] else {})}
            for r in facts["lambda_images"] if r.get("runtime") and r.get("repository")]


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
