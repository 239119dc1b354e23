"""The judge speaks each provider's language: its ids, its dates, its spelling of the target."""

import conftest
from iacfix.model import Site


def judge(value, provider, as_of=conftest.AS_OF, target="python3.13", quote='"', horizon=365):
    site = Site(value=value, start=0, end=len(value), path=(), kind="property", users=["fn"], provider=provider,
                quote=quote)
    [finding] = conftest.judge(site, text=" " * 40, path="main.tf", as_of=as_of, target=target,
                                 horizon=horizon)
    return Judged(finding, finding.fix.edits[0].text.strip(quote) if finding.fix else None)


class Judged:
    """A finding, and the text its fix writes (the target as the provider spells it)."""

    def __init__(self, finding, fix_to):
        self.finding, self.fix_to = finding, fix_to

    def __getattr__(self, name):
        return getattr(self.finding, name)


def test_google_decommission_blocks_updates_and_the_fix_is_python313():
    f = judge("python39", "gcp")
    assert (f.rule, f.runtime, f.provider, f.fixable, f.fix_to) == ("RT001", "python39", "gcp", True, "python313")
    assert f.message == ("python39: Cloud Functions blocks function updates since 2026-04-05; "
                         "Cloud Functions deprecation 2025-10-05; move to python313 (fn)")
    assert f.deadlines == {"deprecation": "2025-10-05", "decommission": "2026-04-05"}


def test_azure_end_of_support_and_the_fix_is_3_13():
    f = judge("3.10", "azure")
    assert (f.rule, f.fix_to, f.message) == ("RT003", "3.13", "3.10 is out of support since 2026-10-31; move to 3.13 (fn)")
    soon = judge("3.11", "azure")
    assert (soon.rule, soon.message) == ("RT005", "3.11 is out of support on 2027-10-31, in 344 days; move to 3.13 (fn)")


def test_one_providers_spelling_is_unknown_to_another():
    f = judge("python3.11", "gcp")
    assert (f.rule, f.fixable) == ("RT101", False)
    assert "not among the catalog's Google Cloud Functions runtimes" in f.message


def test_the_target_follows_the_chosen_version_and_never_an_unsupported_one():
    f = judge("python39", "gcp", target="python3.14")
    assert (f.fixable, f.fix_to) == (True, "python314")
    assert judge("3.10", "azure", target="python3.12").fix_to == "3.12"
    # By 2029-05 Azure's 3.12 is out of support: not a target there, so nothing is fixable.
    late = judge("3.10", "azure", as_of="2029-05-01", target="python3.13", horizon=100)
    assert late.fix_to == "3.13"
    gone = judge("3.10", "azure", as_of="2029-05-01", target="python3.12", horizon=100)
    assert (gone.fixable, gone.fix_to) == (False, None)
    assert gone.fix_unavailable.startswith("3.12, the fix target on Azure Functions, is flagged itself: 3.12 is out of support")
    # A target's spelling on another provider is vetted like --target: Azure's 3.13 is RT005 within a year.
    soon = judge("3.10", "azure", as_of="2029-05-01", target="python3.13")
    assert soon.fix is None and "is flagged itself" in soon.fix_unavailable
