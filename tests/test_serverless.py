"""Serverless Framework services and templated (Jinja) templates: what is
read, what is followed, what is refused.  The golden trees (sls_*.in/,
cookiecutter_sam.in.yaml) hold the byte-for-byte fixes; these tests pin the
edges around them."""

import os

import pytest

from conftest import CFN_HEAD, lambda_function, locate
from iacfix import formats
from iacfix.formats import jinja

SERVICE = """service: s
provider:
  name: aws
  runtime: {runtime}
functions:
  a:
    handler: a.h
  b:
    handler: b.h
    runtime: python3.12
  c:
    image: repo/c:latest
"""


@pytest.mark.parametrize("name, owner", [
    ("serverless.yml", "serverless"), ("serverless.yaml", "serverless"), ("serverless.json", "serverless"),
    ("serverless-dev.yml", "serverless"), ("serverless.prod.yaml", "serverless"), ("serverless.template", "cloudformation"),
    ("template.yaml", "cloudformation"), ("serverlessness.yml", "cloudformation"),
])
def test_service_files_are_claimed_by_name(name, owner):
    assert formats.for_path(f"svc/{name}").name == owner


def test_provider_runtime_names_the_functions_that_inherit_it():
    [site] = [s for s in locate("serverless", SERVICE.format(runtime="python3.9")).sites if s.value == "python3.9"]
    assert (site.kind, site.users, site.path) == ("globals", ["a"], ("provider", "runtime"))


def test_a_fallback_is_the_site_and_only_its_token_is_written():
    text = SERVICE.format(runtime="${opt:runtime, 'python3.9'}")
    [site] = [s for s in locate("serverless", text).sites if s.value == "python3.9"]
    assert text[site.start:site.end] == "'python3.9'"
    assert site.spell("python3.13") == ("'python3.13'", "${opt:runtime, 'python3.13'}")


@pytest.mark.parametrize("runtime, reason", [
    ("${ssm:/rt}", "${ssm:/rt} is an SSM parameter"),
    ("${cf:stack.Rt}", "${cf:stack.Rt} is a CloudFormation stack output"),
    ("${env:PY}", "${env:PY} is the environment variable PY, chosen at deploy time, with no literal fallback"),
    ("${self:custom.none}", "names no value of this file"),
    ("${file(/etc/rt.yml):rt}", "an absolute path is not followed"),
    ("${file(../rt.yml):rt}", "the file is outside the service's directory"),
    ("${file(./rt.js):rt}", "only YAML and JSON files are read"),
    ("python${self:custom.v}", "composed from variables and text"),
])
def test_values_known_only_at_deploy_time_are_unresolved(runtime, reason):
    located = locate("serverless", SERVICE.format(runtime=runtime))
    assert [u.users for u in located.unresolved if reason in u.reason] == [["a"]]
    assert [s.value for s in located.sites] == ["python3.12"]


def test_a_map_selected_by_stage_stands_for_every_value():
    text = SERVICE.format(runtime="${self:custom.rt.${sls:stage}}") + "custom:\n  rt:\n    dev: python3.9\n    prod: python3.10\n"
    sites = {s.where.name: s.users for s in locate("serverless", text).sites if s.kind == "variable"}
    assert sites == {"custom.rt.dev": ["a"], "custom.rt.prod": ["a"]}


def test_providers_select_their_catalog():
    google = locate("serverless", "service: g\nprovider:\n  name: google\n  runtime: python39\nfunctions:\n  f:\n    handler: f\n")
    azure = locate("serverless", "service: z\nprovider:\n  name: azure\n  runtime: python3.8\nfunctions:\n  f:\n    handler: f\n")
    other = locate("serverless", "service: o\nprovider:\n  name: openwhisk\n  runtime: python:3\n")
    assert [(s.provider, s.value) for s in google.sites] == [("gcp", "python39")]
    assert [(s.provider, s.value, s.spell("3.13")) for s in azure.sites] == [("azure", "3.8", ("python3.13", "python3.13"))]
    assert other.sites == other.unresolved == []


def test_lambci_build_images_are_judged_and_said_unmaintained(iacfix, write):
    write("svc/serverless.yml", SERVICE.format(runtime="python3.12")
          + "custom:\n  pythonRequirements:\n    dockerImage: lambci/lambda:build-python3.8\n")
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert finding["runtime"] == "python3.8" and "an unmaintained image" in finding["message"]
    assert finding["fix"]["edits"][0]["content"] == "public.ecr.aws/sam/build-python3.13"


def test_a_file_variable_never_leaves_the_service_directory(iacfix, write, tmp_path):
    write("shared/rt.yml", "rt: python3.9\n")
    write("svc/serverless.yml", SERVICE.format(runtime="${file(./link.yml):rt}"))
    os.symlink(tmp_path / "shared" / "rt.yml", tmp_path / "svc" / "link.yml")
    run = iacfix("check", "svc", "--format", "json")
    assert [(f["rule"], f["path"]) for f in run.json["findings"]] == [("RT102", "svc/serverless.yml")]
    assert "was not read" in run.json["findings"][0]["message"]


def test_a_file_variable_is_followed_when_only_the_service_is_named(iacfix, write):
    write("svc/conf/rt.yml", "rt: 'python3.9'\n")
    service = write("svc/serverless.yml", SERVICE.format(runtime="${file(conf/rt.yml):rt}"))
    run = iacfix("fix", str(service), "--format", "json")
    assert [f["path"] for f in run.json["fixed"]] == ["svc/conf/rt.yml"]
    assert (service.parent / "conf" / "rt.yml").read_text() == "rt: 'python3.13'\n"


def test_the_frameworks_packaged_output_is_not_walked(iacfix, write):
    write("svc/serverless.yml", SERVICE.format(runtime="python3.12"))
    write("svc/.serverless/cloudformation-template-update-stack.json",
          '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"F": {"Type": "AWS::Lambda::Function", '
          '"Properties": {"Runtime": "python3.9"}}}}')
    assert iacfix("check", ".", "--format", "json").json["findings"] == []


def test_duplicate_keys_where_a_runtime_is_read_are_an_error(iacfix, write):
    write("serverless.yml", "service: s\nprovider:\n  name: aws\n  runtime: python3.9\n  runtime: python3.13\n")
    run = iacfix("check", ".", "--format", "json")
    assert run.code == 2 and "duplicate key" in run.json["errors"][0]["message"]


# -- Jinja ----------------------------------------------------------------------
TEMPLATED = "a: {{ x }}\n{%- if y %}\nb: '{{resolve:ssm:/p}}'\n{% endif %}{# c\nd #}\ne: {{ open\n"


def test_masking_keeps_every_offset_and_line_break():
    masked = jinja.mask(TEMPLATED)
    assert len(masked) == len(TEMPLATED) and masked.count("\n") == TEMPLATED.count("\n")
    assert "{{resolve:ssm:/p}}" in masked  # a CloudFormation dynamic reference is no Jinja
    assert "{{ open" in masked  # not closed on its line: left alone
    assert "{%" not in masked and "{#" not in masked and "{{ x }}" not in masked


def test_placeholders_are_distinct_keys_and_worded_as_written(iacfix, write):
    write("t.yaml", CFN_HEAD + "Resources:\n" + lambda_function("python3.9", "{{ a }}Fn")
          + lambda_function("python3.9", "{{ b }}Fn"))
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert [f["used_by"] for f in findings] == [["{{ a }}Fn"], ["{{ b }}Fn"]]


def test_a_templated_file_that_fails_after_masking_is_reported_as_without_it(iacfix, write):
    broken = CFN_HEAD + "Resources:\n  F: [\n{% if x %}\n"
    write("t.yaml", broken)
    write("plain.yaml", broken.replace("{% if x %}", "          "))
    errors = iacfix("check", ".", "--format", "json").json["errors"]
    assert [(e["line"], e["column"], e["message"]) for e in errors if e["path"] == "t.yaml"] \
        == [(e["line"], e["column"], e["message"]) for e in errors if e["path"] == "plain.yaml"]


def test_an_edit_that_would_touch_jinja_is_refused():
    old = "Runtime: python3.9 {# note #}\n"
    assert jinja.changed(old, old.replace("python3.9", "python3.13")) is None
    assert jinja.changed(old, old.replace("{# note #}", "")) is not None


def test_cookiecutter_directories_are_walked(iacfix, write):
    write("{{cookiecutter.project_name}}/template.yaml", CFN_HEAD + "Resources:\n" + lambda_function("python3.9"))
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert finding["path"] == "{{cookiecutter.project_name}}/template.yaml"
