"""The built-in catalog is valid, sourced, and agrees with the verified facts."""

import datetime as dt
import json

import pytest
from conftest import AS_OF, CATALOG, CATALOG_FILE, ROOT, judge

from iacfix.catalog import DATE_KEYS, CatalogError, load_catalog, parse_catalog
from iacfix.model import Site

FACTS = ROOT.resolve().parent / "shared" / "facts" / "lifecycle.json"
RAW = json.loads(CATALOG_FILE.read_text())


def test_loads_and_covers_every_lambda_runtime_family():
    cat = load_catalog()
    assert cat.last_checked == dt.date.fromisoformat(RAW["last_checked"])
    families = {rt.family for rt in cat.runtimes.values()}
    assert {"python", "nodejs", "java", "dotnet", "ruby", "provided", "go"} <= families
    ids = {i for p, i in cat.runtimes if p == "aws"}
    assert {"python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"} <= ids
    assert {("gcp", f"python3{n}") for n in range(7, 15)} | {("azure", f"3.{n}") for n in range(6, 15)} <= set(cat.runtimes)


@pytest.mark.parametrize("row", RAW["runtimes"], ids=lambda r: f"{r['provider']}/{r['id']}")
def test_row_dates_are_iso_ordered_and_sourced(row):
    own = RAW["providers"][row["provider"]]["dates"]
    assert not set(row) & (set(DATE_KEYS) - set(own)), "a date the provider does not name"
    dates = {k: row.get(k) for k in own if row.get(k) is not None}
    for key, value in dates.items():
        assert dt.date.fromisoformat(value).isoformat() == value, f"{key} not ISO"
        assert row["sources"].get(key), f"{key} has no source"
    if row.get("os"):
        assert row["os"] in RAW["operating_systems"] and row["sources"].get("os")
    ordered = [dates[k] for k in own if k in dates]
    if ordered != sorted(ordered):
        # Only pre-2022 rows, when AWS used another sequence, may be out of order, and they must say why.
        assert row.get("date_order_exception"), f"{row['id']}: dates out of order without a reason"
        assert max(ordered) < "2022-01-01"
    if row.get("successor"):
        assert row["successor"] in {r["id"] for r in RAW["runtimes"] if r["provider"] == row["provider"]}


def test_operating_systems_have_sourced_end_of_life():
    for code, os_ in RAW["operating_systems"].items():
        assert dt.date.fromisoformat(os_["end_of_life"]) and os_["source"], code
    assert RAW["operating_systems"]["AL2"]["end_of_life"] == "2026-06-30"


def test_mission_facts():
    cat = CATALOG
    py311 = cat.get("python3.11")
    assert (py311.os, str(py311.deprecation), str(py311.block_create), str(py311.block_update)) == (
        "AL2", "2027-06-30", "2027-07-31", "2027-08-31")
    assert (cat.get("python3.12").os, str(cat.get("python3.12").deprecation)) == ("AL2023", "2028-10-31")
    assert (cat.get("python3.13").os, str(cat.get("python3.13").deprecation)) == ("AL2023", "2029-06-30")


@pytest.mark.skipif(not FACTS.exists(), reason="../shared/facts not beside this checkout")
def test_agrees_with_verified_facts():
    all_facts = json.loads(FACTS.read_text())
    facts = {r["id"]: r for r in all_facts["lambda_runtimes"]}
    ours = {r["id"]: r for r in RAW["runtimes"] if r["provider"] == "aws"}
    assert set(ours) == set(facts)
    for rid, row in ours.items():
        for key in DATE_KEYS + ("os",):
            assert row.get(key) == facts[rid][key], f"{rid}.{key}"
    gcp = {r["id"]: r for r in RAW["runtimes"] if r["provider"] == "gcp"}
    assert set(gcp) == {r["id"] for r in all_facts["gcp_runtimes"]}
    for fact in all_facts["gcp_runtimes"]:
        for key in ("deprecation", "decommission"):
            # A month-only date (2021-02) is stored as its last day.
            assert (gcp[fact["id"]][key] or "").startswith(fact[key] or ""), f"{fact['id']}.{key}"
    azure = {r["id"]: r for r in RAW["runtimes"] if r["provider"] == "azure"}
    assert set(azure) == {r["version"] for r in all_facts["azure_python"]}
    for fact in all_facts["azure_python"]:
        assert azure[fact["version"]]["end_of_support"].startswith(fact["end_of_support"])
        if fact["end_of_support_exact_portal"]:
            assert azure[fact["version"]]["end_of_support"] == fact["end_of_support_exact_portal"]
    cpython = {r["id"]: r for r in RAW["runtimes"] if r["provider"] == "cpython"}
    assert set(cpython) == {r["version"] for r in all_facts["cpython"]}
    for fact in all_facts["cpython"]:
        assert cpython[fact["version"]]["end_of_life"].startswith(fact["eol"])
    images = {(r["repository"], r["tag"]): r["runtime"] for r in all_facts["lambda_images"]
              if r.get("runtime") and r.get("repository")}
    assert {k: v.runtime for k, v in CATALOG.images.items()} == images


def test_each_provider_date_sets_the_phases_rules_judge():
    cat = CATALOG
    py39 = cat.get("python39", "gcp")
    # Google: after decommission you can no longer create or update functions.
    assert (str(py39.deprecation), str(py39.block_create), str(py39.block_update)) == (
        "2025-10-05", "2026-04-05", "2026-04-05")
    assert py39.deadlines() == {"deprecation": "2025-10-05", "decommission": "2026-04-05"}
    az = cat.get("3.13", "azure")
    assert (str(az.deprecation), az.block_create, az.deadlines()) == ("2029-10-31", None, {"end_of_support": "2029-10-31"})
    assert "month only (2029-10)" in az.sources["end_of_support"]
    assert cat.get("3.11", "azure").sources["end_of_support"].startswith("Azure/azure-functions-ux")
    py310 = cat.get("3.10", "cpython")  # CPython: end of life, the only date
    assert (str(py310.deprecation), py310.block_update, py310.deadlines()) == (
        "2026-10-31", None, {"end_of_life": "2026-10-31"})
    assert "month only (2026-10)" in py310.sources["end_of_life"]
    assert cat.images[("public.ecr.aws/lambda/python", "3.11")].runtime == "python3.11"
    assert cat.get("python3.11").deadlines() == {
        "deprecation": "2027-06-30", "block_create": "2027-07-31", "block_update": "2027-08-31"}


def test_the_target_as_each_provider_spells_it():
    cat = CATALOG
    target = cat.get("python3.13")
    assert (cat.equivalent(target, "gcp").id, cat.equivalent(target, "azure").id) == ("python313", "3.13")
    assert cat.equivalent(cat.get("nodejs24.x"), "gcp").id == "nodejs24"
    assert cat.equivalent(cat.get("python3.15"), "gcp") is None  # Google has no 3.15
    assert cat.find("python313") == cat.get("python313", "gcp") and cat.find("python3.13") == target
    assert (cat.get("python311", "gcp").successor, cat.get("3.9", "azure").successor) == ("python313", "3.13")


def test_a_lambda_only_catalog_without_providers_still_loads():
    cat = parse_catalog({"last_checked": AS_OF, "runtimes": [
        {"id": "python3.9", "family": "python", "version": "3.9", "deprecation": "2025-12-15"}]}, "old.json")
    assert cat.get("python3.9").deprecation == dt.date(2025, 12, 15) and list(cat.providers) == ["aws"]


def test_every_row_can_be_judged_on_every_interesting_date():
    """No row can crash a rule (cfn-lint's own dotnet9 row with null dates does)."""
    cat = CATALOG
    dates = {dt.date(2016, 1, 1), dt.date.fromisoformat(AS_OF), dt.date(2031, 1, 1)}
    for rt in cat.runtimes.values():
        dates |= {d for d in (rt.deprecation, rt.block_create, rt.block_update) if d}
    for day in sorted(dates):
        for target in (None, "python3.13"):
            for provider, rid in cat.runtimes:
                site = Site(value=rid, start=0, end=len(rid), path=(), kind="property", users=["F"], provider=provider)
                for f in judge(site, as_of=day.isoformat(), target=target, catalog=cat):
                    assert f.fix is not None or f.fix_unavailable, (day, rid, f)


@pytest.mark.parametrize("bad, message", [
    ({"last_checked": AS_OF, "runtimes": [{"id": None, "family": "x", "version": "1"}]}, "non-empty string 'id'"),
    ({"last_checked": AS_OF, "runtimes": [{"id": "a", "family": "x", "version": "1", "deprecation": "2026-13-01"}]}, "not an ISO date"),
    ({"last_checked": AS_OF, "runtimes": [{"id": "a", "family": "x", "version": "1", "os": "AL9"}]}, "unknown os"),
    ({"last_checked": AS_OF, "runtimes": [{"id": "a", "family": "x", "version": "1"}] * 2}, "listed twice"),
    ({"runtimes": []}, "last_checked"),
    ({"last_checked": AS_OF, "operating_systems": {"AL2": "2026-06-30"}, "runtimes": []}, "must be an object"),
    ({"last_checked": AS_OF, "runtimes": [{"id": "a", "family": "x", "version": "1", "sources": ["u"]}]}, "'sources'"),
    ([], "expected an object"),
    ({"last_checked": AS_OF, "runtimes": [{"id": "a", "family": "x", "version": "1", "provider": "oci"}]},
     "unknown provider"),
    ({"last_checked": AS_OF, "providers": {"gcp": {"dates": {"eol": {"means": ["gone"]}}}}, "runtimes": []},
     "must list phases"),
])
def test_rejects_rows_that_could_crash_a_rule(bad, message):
    with pytest.raises(CatalogError, match=message):
        parse_catalog(bad, "user.json")


def test_null_dates_are_fine():
    cat = parse_catalog({"last_checked": AS_OF, "runtimes": [
        {"id": "dotnet9", "family": "dotnet", "version": "9", "deprecation": "2026-11-10", "block_create": None, "block_update": None}]}, "x")
    assert cat.get("dotnet9").block_update is None
