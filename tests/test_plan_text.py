"""`iacfix plan` text output, as a reader sees it."""

SAM = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n"
       "    Properties:\n      Runtime: python3.11\n      Handler: index.handler\n      InlineCode: |\n"
       "        import json\n        def handler(event, context):\n            return json.dumps(event)\n")


def test_the_summary_counts_one_function_in_the_singular(iacfix, write):
    write({"template.yaml": SAM})
    run = iacfix("plan", ".", "--as-of", "2026-11-21", as_of=None)
    assert run.out.rstrip().endswith("As of 2026-11-21; 1 function.")
    write({"more.yaml": SAM.replace("Api:", "Other:")})
    assert iacfix("plan", ".", "--as-of", "2026-11-21", as_of=None).out.rstrip().endswith("2 functions.")
