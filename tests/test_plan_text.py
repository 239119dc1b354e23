"""`iacfix plan` as a reader uses it: its text, and candidates that agree with
what `fix` would do (a pinned tool that cannot deploy a runtime blocks it)."""

from test_toolchain import cdk_app  # noqa: F401  (a fixture)

SAM = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n"
       "    Properties:\n      Runtime: python3.11\n      Handler: index.handler\n      InlineCode: |\n"
       "        import json\n        def handler(event, context):\n            return json.dumps(event)\n")


def test_the_summary_counts_one_function_in_the_singular(iacfix, write):
    write({"template.yaml": SAM})
    run = iacfix("plan", ".", "--as-of", "2026-11-21", as_of=None)
    assert run.out.rstrip().endswith("As of 2026-11-21; 1 function.")
    write({"more.yaml": SAM.replace("Api:", "Other:")})
    assert iacfix("plan", ".", "--as-of", "2026-11-21", as_of=None).out.rstrip().endswith("2 functions.")


def test_a_pinned_tool_that_cannot_deploy_the_target_blocks_it_in_the_plan(iacfix, write):
    """check holds the move back (RT311); plan must not recommend it: the blocker is
    listed with kind "toolchain", and the newest runtime the pin can deploy is chosen."""
    from test_toolchain import TF

    # hashicorp/aws ~> 5.75.0: python3.13 needs 5.76.0; python3.12 needs 5.31.0
    write({"main.tf": TF.replace('  runtime       = "python3.11"\n',
                                 '  runtime       = "python3.11"\n  filename      = "build/api.zip"\n')})
    [f] = iacfix("plan", ".", "--as-of", "2026-11-21", "--format", "json", as_of=None).json["functions"]
    target = f["candidates"][0]
    assert target["runtime"] == "python3.13" and target["blockers"] == [{
        "kind": "toolchain", "detail": "hashicorp/aws ~> 5.75.0 cannot deploy python3.13: it needs 5.76.0",
        "path": "main.tf", "line": 5}]
    assert f["recommendation"]["runtime"] == "python3.12"


def test_a_cdk_constant_the_pinned_aws_cdk_lib_lacks_blocks_it_in_the_plan(iacfix, cdk_app):
    """aws-cdk-lib==2.100.0 defines neither PYTHON_3_13 (2.167.0) nor PYTHON_3_12 (2.108.0)."""
    [f] = iacfix("plan", ".", "--as-of", "2026-11-21", "--format", "json", as_of=None).json["functions"]
    assert [b["kind"] for b in f["candidates"][0]["blockers"]] == ["toolchain"]
    assert f["candidates"][0]["blockers"][0]["path"] == "requirements.txt"
    assert f["recommendation"]["runtime"] == "python3.11"
