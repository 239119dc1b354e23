"""The built-in catalog is valid, sourced, and agrees with the verified facts."""

import datetime as dt
import json
from pathlib import Path

import pytest

from iacfix.catalog import DATE_KEYS, CatalogError, load_catalog, parse_catalog
from iacfix.judge import Judge
from iacfix.rules import RULES, Context
from iacfix.edits import Positions
from iacfix.model import Site

CATALOG_FILE = Path(__file__).parent.parent / "rules" / "catalog.json"
FACTS = Path(__file__).resolve().parent.parent.parent / "shared" / "facts" / "lifecycle.json"
RAW = json.loads(CATALOG_FILE.read_text())


def test_loads_and_covers_every_lambda_runtime_family():
    cat = load_catalog()
    assert cat.last_checked == dt.date.fromisoformat(RAW["last_checked"])
    families = {rt.family for rt in cat.runtimes.values()}
    assert {"python", "nodejs", "java", "dotnet", "ruby", "provided", "go"} <= families
    assert {"python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"} <= set(cat.runtimes)


@pytest.mark.parametrize("row", RAW["runtimes"], ids=lambda r: r["id"])
def test_row_dates_are_iso_ordered_and_sourced(row):
    dates = {k: row.get(k) for k in DATE_KEYS if row.get(k) is not None}
    for key, value in dates.items():
        assert dt.date.fromisoformat(value).isoformat() == value, f"{key} not ISO"
        assert row["sources"].get(key), f"{key} has no source"
    if row.get("os"):
        assert row["os"] in RAW["operating_systems"] and row["sources"].get("os")
    ordered = [dates[k] for k in DATE_KEYS if k in dates]
    if ordered != sorted(ordered):
        # Only pre-2022 rows, when AWS used another sequence, may be out of order, and they must say why.
        assert row.get("date_order_exception"), f"{row['id']}: dates out of order without a reason"
        assert max(ordered) < "2022-01-01"
    if row.get("successor"):
        assert row["successor"] in {r["id"] for r in RAW["runtimes"]}


def test_operating_systems_have_sourced_end_of_life():
    for code, os_ in RAW["operating_systems"].items():
        assert dt.date.fromisoformat(os_["end_of_life"]) and os_["source"], code
    assert RAW["operating_systems"]["AL2"]["end_of_life"] == "2026-06-30"


def test_mission_facts():
    cat = load_catalog()
    py311 = cat.get("python3.11")
    assert (py311.os, str(py311.deprecation), str(py311.block_create), str(py311.block_update)) == (
        "AL2", "2027-06-30", "2027-07-31", "2027-08-31")
    assert (cat.get("python3.12").os, str(cat.get("python3.12").deprecation)) == ("AL2023", "2028-10-31")
    assert (cat.get("python3.13").os, str(cat.get("python3.13").deprecation)) == ("AL2023", "2029-06-30")


@pytest.mark.skipif(not FACTS.exists(), reason="../shared/facts not beside this checkout")
def test_agrees_with_verified_facts():
    facts = {r["id"]: r for r in json.loads(FACTS.read_text())["lambda_runtimes"]}
    ours = {r["id"]: r for r in RAW["runtimes"]}
    assert set(ours) == set(facts)
    for rid, row in ours.items():
        for key in DATE_KEYS + ("os",):
            assert row.get(key) == facts[rid][key], f"{rid}.{key}"


def test_every_row_can_be_judged_on_every_interesting_date():
    """No row can crash a rule (cfn-lint's own dotnet9 row with null dates does)."""
    cat = load_catalog()
    dates = {dt.date(2016, 1, 1), dt.date(2026, 11, 21), dt.date(2031, 1, 1)}
    for rt in cat.runtimes.values():
        dates |= {d for d in (rt.deprecation, rt.block_create, rt.block_update) if d}
    text = "x" * 40
    for day in sorted(dates):
        judge = Judge(Context(day, 365, cat), set(RULES), cat.get("python3.13"))
        for rid in cat.runtimes:
            judge.site(Site(value=rid, start=0, end=len(rid), path=(), kind="property", users=["F"]), "t", Positions(text))


@pytest.mark.parametrize("bad, message", [
    ({"last_checked": "2026-11-21", "runtimes": [{"id": None, "family": "x", "version": "1"}]}, "non-empty string 'id'"),
    ({"last_checked": "2026-11-21", "runtimes": [{"id": "a", "family": "x", "version": "1", "deprecation": "2026-13-01"}]}, "not an ISO date"),
    ({"last_checked": "2026-11-21", "runtimes": [{"id": "a", "family": "x", "version": "1", "os": "AL9"}]}, "unknown os"),
    ({"last_checked": "2026-11-21", "runtimes": [{"id": "a", "family": "x", "version": "1"}] * 2}, "listed twice"),
    ({"runtimes": []}, "last_checked"),
    ({"last_checked": "2026-11-21", "operating_systems": {"AL2": "2026-06-30"}, "runtimes": []}, "must be an object"),
    ({"last_checked": "2026-11-21", "runtimes": [{"id": "a", "family": "x", "version": "1", "sources": ["u"]}]}, "'sources'"),
    ([], "expected an object"),
])
def test_rejects_rows_that_could_crash_a_rule(bad, message):
    with pytest.raises(CatalogError, match=message):
        parse_catalog(bad, "user.json")


def test_null_dates_are_fine():
    cat = parse_catalog({"last_checked": "2026-11-21", "runtimes": [
        {"id": "dotnet9", "family": "dotnet", "version": "9", "deprecation": "2026-11-10", "block_create": None, "block_update": None}]}, "x")
    assert cat.get("dotnet9").block_update is None
