"""Serverless services and templated templates as users write them: shapes
found in review (merge keys, Serverless variables inside resources, fallbacks
of self/file variables, list entries in different Jinja branches).  Each test
runs the CLI on a realistic file and pins what check reports and what fix
writes, byte for byte."""

from conftest import CFN_HEAD, lambda_function
from iacfix.formats import jinja

# aws-sam-cli-app-templates style: the layer's runtimes depend on a cookiecutter choice.
BRANCHED_LAYER = CFN_HEAD + """Transform: AWS::Serverless-2016-10-31
Resources:
  DepsLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: deps/
      CompatibleRuntimes:
{%- if cookiecutter.legacy == "y" %}
        - python3.8
{%- else %}
        - python3.9
{%- endif %}
"""


def test_list_entries_in_different_jinja_branches_are_not_deleted(iacfix, write):
    path = write("{{cookiecutter.project_name}}/template.yaml", BRANCHED_LAYER)
    run = iacfix("check", ".", "--format", "json")
    findings = run.json["findings"]
    assert [(f["runtime"], f["fixable"]) for f in findings] == [("python3.8", False), ("python3.9", False)]
    assert all("different Jinja blocks" in f["fix_unavailable"] for f in findings)
    iacfix("fix", ".")
    assert path.read_text() == BRANCHED_LAYER  # deleting either entry would leave one rendering without a runtime


def test_list_entries_in_one_jinja_block_are_still_fixed(iacfix, write):
    text = BRANCHED_LAYER.replace('{%- else %}\n', "")
    path = write("t/template.yaml", text)
    iacfix("fix", ".")
    assert path.read_text() == text.replace("        - python3.8\n        - python3.9\n", "        - python3.13\n")


def test_jinja_blocks_open_switch_and_close():
    text = "A\n{% if x %}B\n{% else %}C\n{% endif %}D {% raw %}{% endraw %}E\n{% for r in rs %}F{% endfor %}G\n"
    spans = jinja.spans(text)
    ctx = dict(zip("ABCDEFG", jinja.blocks(spans, [text.index(c) for c in "ABCDEFG"])))
    assert ctx["A"] == ctx["D"] == ctx["E"] == ctx["G"] == ()
    assert len({ctx["B"], ctx["C"], ctx["F"]}) == 3 and all(len(ctx[c]) == 1 for c in "BCF")


# Function defaults shared through a YAML merge key, which the Framework's YAML parser applies.
MERGED = """service: orders
custom:
  pythonFunction: &python_function
    runtime: python3.9
    memorySize: 256
  container: &container
    image: orders-api
provider:
  name: aws
  runtime: python3.12
functions:
  create:
    <<: *python_function
    handler: orders/create.handler
  update:
    <<: [*python_function]
    handler: orders/update.handler
  render:
    <<: *container
  list:
    handler: orders/list.handler
"""


def test_function_settings_merged_from_an_anchor_are_read(iacfix, write):
    path = write("svc/serverless.yml", MERGED)
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["line"], f["runtime"], f["used_by"]) for f in findings] == [(4, "python3.9", ["create", "update"])]
    assert "custom.pythonFunction.runtime" in findings[0]["message"]
    run = iacfix("fix", ".", "--format", "json")
    assert run.json["errors"] == []
    assert path.read_text() == MERGED.replace("runtime: python3.9", "runtime: python3.13")


def test_provider_runtime_is_inherited_only_by_functions_without_a_merged_runtime():
    from conftest import locate

    [site] = [s for s in locate("serverless", MERGED).sites if s.value == "python3.12"]
    assert site.users == ["list"]


# A stage map with a fallback for stages it does not name: ${self:...} and ${file(...)} take fallbacks too.
FALLBACKS = """service: reports
provider:
  name: aws
  runtime: ${self:custom.runtime.${sls:stage}, 'python3.9'}
custom:
  stageRuntime: ${self:custom.notThere, "python3.8"}
functions:
  daily:
    handler: reports/daily.handler
    runtime: ${file(./config/${sls:stage}.yml):runtime, 'python3.10'}
  weekly:
    handler: reports/weekly.handler
    runtime: ${file(./config/defaults.yml):runtime, 'python3.11'}
  monthly:
    handler: reports/monthly.handler
    runtime: ${file(./config/defaults.yml):missing, 'python3.10'}
  yearly:
    handler: reports/yearly.handler
    runtime: ${self:custom.stageRuntime}
"""


def test_a_self_or_file_variable_that_names_nothing_falls_back_to_its_literal(iacfix, write):
    path = write("svc/serverless.yml", FALLBACKS)
    write("svc/config/defaults.yml", "runtime: python3.12\n")
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["rule"], f["line"], f["runtime"], f["used_by"]) for f in findings] == [
        ("RT003", 4, "python3.9", []),  # custom.runtime is not written: every stage reads the fallback
        ("RT003", 6, "python3.8", ["yearly"]),
        ("RT102", 10, None, ["daily"]),  # the path is built from a variable
        ("RT003", 16, "python3.10", ["monthly"]),
    ]
    iacfix("fix", ".")
    assert path.read_text() == FALLBACKS.replace('"python3.8"', '"python3.13"').replace("'python3.9'", "'python3.13'").replace(
        "missing, 'python3.10'", "missing, 'python3.13'")


# A custom resource's handler written as raw CloudFormation, on the service's runtime.
RESOURCES = """service: media
provider:
  name: aws
  runtime: python3.9
custom:
  toolsRuntime: python3.8
functions:
  ingest:
    handler: media/ingest.handler
    runtime: python3.12
resources:
  Resources:
    BucketNotifier:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: ${self:provider.runtime}
        Handler: index.handler
    Cleanup:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: ${self:custom.toolsRuntime}
    Audit:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: ${opt:auditRuntime, 'python3.10'}
    Report:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: ${ssm:/media/report-runtime}
    Deps:
      Type: AWS::Lambda::LayerVersion
      Properties:
        CompatibleRuntimes: [python3.8, "${self:provider.runtime}"]
"""


def test_serverless_variables_inside_resources_are_followed(iacfix, write):
    path = write("svc/serverless.yml", RESOURCES)
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["rule"], f["line"], f["runtime"], f["used_by"]) for f in findings] == [
        ("RT003", 4, "python3.9", ["BucketNotifier"]),
        ("RT003", 6, "python3.8", ["Cleanup"]),
        ("RT003", 25, "python3.10", ["Audit"]),
        ("RT102", 29, None, ["Report"]),
        ("RT003", 33, "python3.8", ["Deps"]),
        ("RT102", 33, None, ["Deps"]),
    ]
    assert "SSM parameter" in findings[3]["message"] and "not followed inside a list" in findings[-1]["message"]
    iacfix("fix", ".")
    assert path.read_text() == RESOURCES.replace("python3.9", "python3.13").replace("python3.8", "python3.13") \
        .replace("'python3.10'", "'python3.13'")


def test_a_google_service_with_a_lambda_style_runtime_is_reported_not_skipped(iacfix, write):
    # As in serverless/examples google-python-simple-http-endpoint: Cloud Functions spells it python39.
    write("svc/serverless.yml", "service: python-simple-http-endpoint\nplugins:\n  - serverless-google-cloudfunctions\n"
          "provider:\n  name: google\n  runtime: python3.9\nfunctions:\n  currentTime:\n    handler: endpoint\n")
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (finding["rule"], finding["line"], finding["runtime"], finding["provider"]) == ("RT101", 6, "python3.9", "gcp")
    assert "Google Cloud" in finding["message"]


def test_a_key_written_in_two_jinja_branches_is_reported_as_such(iacfix, write):
    write("t/template.yaml", CFN_HEAD + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
          '{%- if cookiecutter.legacy == "y" %}\n      Runtime: python3.8\n{%- else %}\n      Runtime: python3.12\n'
          "{%- endif %}\n")
    write("s/serverless.yml", "service: s\nprovider:\n  name: aws\n{% if old %}\n  runtime: python3.8\n{% else %}\n"
          "  runtime: python3.12\n{% endif %}\nfunctions:\n  f:\n    handler: h\n")
    run = iacfix("check", ".", "--format", "json")
    assert run.code == 2
    assert [(e["path"], e["line"], e["column"]) for e in run.json["errors"]] == [("s/serverless.yml", 7, 3),
                                                                                 ("t/template.yaml", 9, 7)]
    for e in run.json["errors"]:
        assert "written in two Jinja branches (lines" in e["message"] and "parsers disagree" not in e["message"]


def test_a_file_variable_through_a_key_written_twice_is_not_guessed(iacfix, write):
    write("svc/serverless.yml", "service: s\nprovider:\n  name: aws\n  runtime: ${file(./config/stage.yml):runtime}\n"
          "custom:\n  rt:\n    dev: python3.9\n    dev: python3.10\nfunctions:\n  a:\n    handler: a.h\n"
          "  b:\n    handler: b.h\n    runtime: ${self:custom.rt.dev}\n")
    config = write("svc/config/stage.yml", "runtime: python3.9\nmemory: 512\nruntime: python3.10\n")
    run = iacfix("check", ".", "--format", "json")
    assert [(f["rule"], f["path"], f["line"]) for f in run.json["findings"]] == [
        ("RT102", "svc/serverless.yml", 4), ("RT102", "svc/serverless.yml", 14)]
    assert 'the key "runtime" is written twice in config/stage.yml (lines 1 and 3)' in run.json["findings"][0]["message"]
    assert 'the key "dev" is written twice in serverless.yml (lines 7 and 8)' in run.json["findings"][1]["message"]
    iacfix("fix", ".")
    assert config.read_text() == "runtime: python3.9\nmemory: 512\nruntime: python3.10\n"


def test_unclosed_jinja_openers_and_deep_variables_take_linear_time():
    # Before: each unclosed {{ / {# searched to the end of the file (50,000 lines: ~10 s), and each
    # nested fallback rescanned the whole value (a 200 KB value: ~60 s).  Now well under a second each.
    import time

    from conftest import locate

    text = CFN_HEAD + "Resources:\n" + lambda_function("python3.9") + "# {{ x {# y {% z\n" * 50_000
    began = time.perf_counter()
    assert jinja.spans(text) == []
    assert [s.value for s in locate("cloudformation", text).sites] == ["python3.9"]
    deep = "${opt:a, " * 20_000 + "'python3.8'" + "}" * 20_000
    located = locate("serverless", f'service: p\nprovider:\n  name: aws\n  runtime: "{deep}"\nfunctions:\n  a:\n    handler: h\n')
    assert [u.reason for u in located.unresolved] == ["the value is a variable 200,011 characters long; not followed"]
    assert time.perf_counter() - began < 4


def test_provider_settings_merged_from_an_anchor_are_read(iacfix, write):
    text = ("service: s\nx-aws: &aws\n  name: aws\n  runtime: python3.9\nprovider:\n  <<: *aws\n  stage: dev\n"
            "functions:\n  a:\n    handler: a.h\n")
    path = write("svc/serverless.yml", text)
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (finding["line"], finding["used_by"]) == (4, ["a"])
    iacfix("fix", ".")
    assert path.read_text() == text.replace("python3.9", "python3.13")


def test_a_serverless_variable_in_a_resources_fragment_is_unresolved_not_unknown(iacfix, write):
    # resources: - ${file(resources/lambda.yml)}: the fragment is read on its own, as CloudFormation.
    write("svc/serverless.yml", "service: t\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  a:\n"
          "    handler: h\nresources:\n  - ${file(resources/lambda.yml)}\n")
    write("svc/resources/lambda.yml", "Resources:\n" + lambda_function("${self:provider.runtime}", "Extra")
          + lambda_function("${AWS::Region}", "Typo"))
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("RT102", 5), ("RT101", 9)]
    assert "${self:provider.runtime} is a Serverless Framework variable" in findings[0]["message"]


def test_naming_one_service_file_leaves_its_sibling_services_alone(iacfix, write):
    dev = "service: s\nprovider:\n  name: aws\n  runtime: python3.8\nfunctions:\n  a:\n    handler: a.h\n"
    write("svc/config.yml", "rt: python3.9\n")
    named = write("svc/serverless.yml", dev.replace("python3.8", "${file(./config.yml):rt}"))
    sibling = write("svc/serverless-dev.yml", dev)
    run = iacfix("fix", str(named), "--format", "json")
    assert [f["path"] for f in run.json["fixed"]] == ["svc/config.yml"]
    assert sibling.read_text() == dev
    assert [f["path"] for f in iacfix("check", "svc", "--format", "json").json["findings"]] == ["svc/serverless-dev.yml"]


# Framework v3 stage parameters: ${param:x} reads params.<stage>.x, else params.default.x.
PARAMS = """service: billing
params:
  default:
    runtime: python3.9
  prod:
    runtime: python3.10
    memory: 1024
provider:
  name: aws
  runtime: ${param:runtime}
functions:
  charge:
    handler: billing/charge.handler
  refund:
    handler: billing/refund.handler
    runtime: ${param:refundRuntime, 'python3.8'}
"""


def test_stage_parameters_written_in_the_service_are_followed(iacfix, write):
    path = write("svc/serverless.yml", PARAMS)
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["line"], f["runtime"], f["used_by"]) for f in findings] == [
        (4, "python3.9", ["charge"]), (6, "python3.10", ["charge"]), (16, "python3.8", ["refund"])]
    assert "params.prod.runtime" in findings[1]["message"]
    iacfix("fix", ".")
    assert path.read_text() == PARAMS.replace("python3.9", "python3.13").replace("python3.10", "python3.13") \
        .replace("python3.8", "python3.13")


def test_a_diff_of_a_cookiecutter_directory_with_spaces_applies_with_patch(iacfix, write, tmp_path):
    # AWS SAM CLI's own hello-pt templates live under "{{ cookiecutter.project_name }}/".
    import shutil
    import subprocess

    text = CFN_HEAD + "Resources:\n" + lambda_function("python3.9")
    write("app/{{ cookiecutter.project_name }}/template.yaml", text)
    diff = iacfix("fix", "app", "--diff").out
    assert "--- a/app/{{ cookiecutter.project_name }}/template.yaml\t\n" in diff
    shutil.copytree(tmp_path / "app", tmp_path / "patched" / "app")
    subprocess.run(["patch", "-p1", "-s"], input=diff.encode(), cwd=tmp_path / "patched", check=True, timeout=30)
    iacfix("fix", "app")
    name = "app/{{ cookiecutter.project_name }}/template.yaml"
    assert (tmp_path / "patched" / name).read_text() == (tmp_path / name).read_text() == text.replace("3.9", "3.13")


def test_a_function_whose_body_is_in_another_file_is_read_there(iacfix, write):
    service = write("svc/serverless.yml", "service: shop\nprovider:\n  name: aws\n  runtime: python3.10\nfunctions:\n"
                    "  checkout: ${file(./functions/checkout.yml)}\n  refunds: ${file(./functions/all.yml):refunds}\n"
                    "  cart:\n    handler: cart.handler\n")
    checkout = write("svc/functions/checkout.yml", "handler: checkout.handler\nruntime: python3.9\n")
    both = write("svc/functions/all.yml", "refunds:\n  handler: refunds.handler\n  runtime: python3.8\n"
                 "other:\n  handler: x\n  runtime: python3.7\n")
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["path"], f["line"], f["runtime"], f["used_by"]) for f in findings] == [
        ("svc/functions/all.yml", 3, "python3.8", ["refunds"]),
        ("svc/functions/checkout.yml", 2, "python3.9", ["checkout"]),
        ("svc/serverless.yml", 4, "python3.10", ["cart"]),
    ]
    assert "inherited" not in findings[2]["message"] and "used by cart" in findings[2]["message"]
    before = service.read_text()
    iacfix("fix", ".")
    assert checkout.read_text() == "handler: checkout.handler\nruntime: python3.13\n"
    assert both.read_text().count("python3.13") == 1 and "python3.7" in both.read_text()
    assert service.read_text() == before.replace("python3.10", "python3.13")
