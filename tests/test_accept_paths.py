"""A `paths` acceptance is a glob relative to the file that holds it (the
configuration, like its overrides and ignores; or the --accept file), not to
wherever iacfix happens to be run from."""

import pytest

SAM = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Legacy:\n    Type: AWS::Serverless::Function\n"
       "    Properties:\n      Runtime: python3.11\n      InlineCode: |\n        def handler(event, context):\n"
       "            return 1\n      Handler: index.handler\n")
ACCEPT = '[[accept]]\npaths = "stacks/*.yaml"\nruntime = "python3.11"\nuntil = 2027-06-30\nreason = "vendor SDK"\n'


def accepted(run) -> list[bool]:
    return [f["message"].startswith("accepted until 2027-06-30") for f in run.json["findings"] if f["rule"] == "RT004"]


@pytest.mark.parametrize("cwd", [".", "services"])
def test_a_configuration_paths_glob_is_relative_to_the_configuration(iacfix, write, monkeypatch, cwd):
    root = write({"services/billing/.iacfix.toml": ACCEPT, "services/billing/stacks/api.yaml": SAM})
    monkeypatch.chdir(root / cwd)
    where = "services/billing" if cwd == "." else "billing"
    assert accepted(iacfix("check", where, "--format", "json")) == [True]
    plan = iacfix("plan", where, "--as-of", "2026-11-21", "--format", "json", as_of=None).json
    assert plan["functions"][0]["recommendation"]["why"].startswith("staying is accepted until 2027-06-30")


def test_an_accept_file_paths_glob_is_relative_to_that_file(iacfix, write, monkeypatch):
    root = write({"services/billing/accept.toml": ACCEPT, "services/billing/stacks/api.yaml": SAM})
    assert accepted(iacfix("check", "services", "--accept", "services/billing/accept.toml", "--format", "json")) \
        == [True]
    monkeypatch.chdir(root / "services" / "billing")
    assert accepted(iacfix("check", ".", "--accept", "accept.toml", "--format", "json")) == [True]
