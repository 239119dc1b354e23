"""Generate a deterministic synthetic monorepo for benchmarking iacfix.

The tree mixes CloudFormation/SAM templates (YAML and JSON, some with outdated
Python runtimes, some without any Lambda) and Terraform module directories
(.tf with AWS, Google and Azure functions, variables and .tfvars, and .tf files
with no function at all) with unrelated files of the kinds a
real monorepo holds: Python and TypeScript sources, Markdown, package.json,
Kubernetes manifests, GitHub workflows (in .github/workflows/, each with a
setup-python version: end-of-life Python sites) and docker-compose files; and
Dockerfiles (``*.Dockerfile``): Lambda container images on AWS base images or
``python:3.x`` with awslambdaric, and service images with no Lambda at all.
Beside those files it adds Serverless
Framework services (``serverless.yml`` with variables, a ``config/`` file their
``${file(...)}`` reads, handler code) and cookiecutter folders
(``{{cookiecutter.project_name}}/`` with a Jinja-templated SAM template and
``cookiecutter.json``), so the numbers of ``--files`` alone are unchanged.

    python bench/gen_tree.py OUT_DIR [--files 30000] [--seed 1] [--services N] [--cookiecutters N]

The same seed and file count always produce byte-identical trees.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

RUNTIMES = ["python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "nodejs18.x", "nodejs20.x"]


def _function_yaml(r: random.Random, k: int, serverless: bool) -> list[str]:
    kind = "AWS::Serverless::Function" if serverless else "AWS::Lambda::Function"
    runtime = r.choice(RUNTIMES)
    quote = r.choice(["", "'", '"'])
    lines = [
        f"  Function{k}:",
        f"    Type: {kind}",
        "    Properties:",
        f"      FunctionName: !Sub '${{AWS::StackName}}-fn{k}'",
        f"      Handler: app{k}.handler",
        f"      Runtime: {quote}{runtime}{quote}  # pinned by team {r.randint(1, 40)}",
        f"      MemorySize: {r.choice([128, 256, 512, 1024])}",
        f"      Timeout: {r.randint(3, 900)}",
        "      Environment:",
        "        Variables:",
        f"          TABLE_NAME: !Ref Table{k}",
        f"          LOG_LEVEL: {r.choice(['INFO', 'DEBUG', 'WARN'])}",
    ]
    if serverless:
        lines += [
            f"      CodeUri: src/fn{k}/",
            "      Events:",
            "        Api:",
            "          Type: Api",
            "          Properties:",
            f"            Path: /items{k}/{{id}}",
            "            Method: get",
        ]
    else:
        lines += [
            "      Role: !GetAtt LambdaRole.Arn",
            "      Code:",
            "        ZipFile: |",
            "          import json",
            "          def handler(event, context):",
            "              # Runtime: python3.9 in a comment is not a site",
            "              return {'statusCode': 200, 'body': json.dumps(event)}",
        ]
    lines += [
        f"  Table{k}:",
        "    Type: AWS::DynamoDB::Table",
        "    Properties:",
        "      BillingMode: PAY_PER_REQUEST",
        "      AttributeDefinitions:",
        "        - AttributeName: pk",
        "          AttributeType: S",
        "      KeySchema:",
        "        - AttributeName: pk",
        "          KeyType: HASH",
    ]
    return lines


def cfn_yaml(r: random.Random) -> str:
    serverless = r.random() < 0.6
    lines = ["AWSTemplateFormatVersion: '2010-09-09'"]
    if serverless:
        lines.append("Transform: AWS::Serverless-2016-10-31")
    lines += [f"Description: Service stack {r.randint(1, 10**6)}", "Resources:"]
    for k in range(r.randint(1, 12)):
        lines += _function_yaml(r, k, serverless)
    if not serverless:
        lines += [
            "  LambdaRole:",
            "    Type: AWS::IAM::Role",
            "    Properties:",
            "      AssumeRolePolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement:",
            "          - Effect: Allow",
            "            Principal: {Service: lambda.amazonaws.com}",
            "            Action: sts:AssumeRole",
        ]
    return "\n".join(lines) + "\n"


def cfn_json(r: random.Random) -> str:
    resources = {}
    for k in range(r.randint(1, 10)):
        resources[f"Function{k}"] = {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Handler": f"index.handler{k}",
                "Runtime": r.choice(RUNTIMES),
                "Role": {"Fn::GetAtt": ["LambdaRole", "Arn"]},
                "Code": {"S3Bucket": "artifacts", "S3Key": f"fn{k}.zip"},
                "Tags": [{"Key": "team", "Value": f"t{r.randint(1, 50)}"}],
            },
        }
        resources[f"Queue{k}"] = {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}}
    doc = {"AWSTemplateFormatVersion": "2010-09-09", "Description": "generated", "Resources": resources}
    return json.dumps(doc, indent=r.choice([2, 4])) + "\n"


def cfn_no_lambda(r: random.Random) -> str:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
    for k in range(r.randint(1, 20)):
        lines += [f"  Bucket{k}:", "    Type: AWS::S3::Bucket", "    Properties:", f"      BucketName: bucket-{r.randint(1, 10**9)}"]
    return "\n".join(lines) + "\n"


def tf_functions(r: random.Random) -> str:
    out = [f'variable "runtime_{r.randint(1, 9)}" {{', '  type    = string',
           f'  default = "{r.choice(RUNTIMES)}"', "}", ""]
    for k in range(r.randint(1, 8)):
        kind = r.random()
        if kind < 0.6:
            runtime = f'"{r.choice(RUNTIMES)}"' if r.random() < 0.6 else f"var.runtime_{r.randint(1, 9)}"
            out += [f'resource "aws_lambda_function" "fn{k}" {{', f'  function_name = "svc-fn{k}"',
                    "  role          = aws_iam_role.lambda.arn", f'  handler       = "app{k}.handler"',
                    f"  runtime       = {runtime} # team {r.randint(1, 40)}", f"  memory_size   = {r.choice([128, 256, 512])}",
                    "  environment {", "    variables = {", f'      TABLE = "table-{k}"', "    }", "  }", "}", ""]
        elif kind < 0.75:
            out += [f'resource "aws_lambda_layer_version" "layer{k}" {{', f'  layer_name          = "deps{k}"',
                    f'  compatible_runtimes = ["{r.choice(RUNTIMES)}", "{r.choice(RUNTIMES)}"]', "}", ""]
        elif kind < 0.88:
            out += [f'resource "google_cloudfunctions2_function" "gcf{k}" {{', f'  name     = "gcf-{k}"',
                    '  location = "europe-west1"', "  build_config {",
                    f'    runtime     = "python3{r.randint(8, 13)}"', '    entry_point = "main"', "  }", "}", ""]
        else:
            out += [f'resource "azurerm_linux_function_app" "app{k}" {{', f'  name = "app-{k}"', "  site_config {",
                    "    application_stack {", f'      python_version = "3.{r.randint(8, 13)}"', "    }", "  }", "}", ""]
    out += ['resource "aws_iam_role" "lambda" {', '  name = "lambda"', "  assume_role_policy = <<-EOT",
            '    {"Version": "2012-10-17", "Statement": []}', "  EOT", "}"]
    return "\n".join(out) + "\n"


def tf_no_functions(r: random.Random) -> str:
    out = []
    for k in range(r.randint(2, 20)):
        out += [f'resource "aws_s3_bucket" "b{k}" {{', f'  bucket = "bucket-{r.randint(1, 10**9)}"',
                "  tags = {", f'    team = "t{r.randint(1, 50)}"', "  }", "}", ""]
    return "\n".join(out)


def tfvars(r: random.Random) -> str:
    return f'runtime_{r.randint(1, 9)} = "{r.choice(RUNTIMES)}"\nenvironment = "prod"\n'


def python_src(r: random.Random) -> str:
    body = []
    for k in range(r.randint(5, 60)):
        body += [f"def handler_{k}(event, context):", f"    \"\"\"Handle event {k}.\"\"\"", f"    return {{'n': {k}, 'ok': True}}", ""]
    return "import json\nimport os\n\n" + "\n".join(body)


def ts_src(r: random.Random) -> str:
    return "\n".join(f"export const value{k}: number = {r.randint(0, 999)};" for k in range(r.randint(5, 80))) + "\n"


def markdown(r: random.Random) -> str:
    return "# Notes\n\n" + "\n".join(f"- item {r.randint(0, 10**6)} about the service" for _ in range(r.randint(5, 80))) + "\n"


def package_json(r: random.Random) -> str:
    deps = {f"pkg-{r.randint(1, 500)}": f"^{r.randint(0, 9)}.{r.randint(0, 20)}.0" for _ in range(r.randint(2, 30))}
    return json.dumps({"name": f"svc-{r.randint(1, 10**6)}", "version": "1.0.0", "dependencies": deps}, indent=2) + "\n"


def k8s_yaml(r: random.Random) -> str:
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: %d\n"
        "  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.%d\n" % (r.randint(1, 9), r.randint(10, 27))
    )


def workflow_yaml(r: random.Random) -> str:
    return (
        "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n"
        f"        with:\n          python-version: '3.{r.randint(8, 13)}'\n      - run: pytest\n"
    )


def dockerfile_lambda(r: random.Random) -> str:
    """A Lambda container image: an AWS base image (ARG-fed or not, arch suffix, yum, version paths) or python:3.x."""
    v = f"3.{r.randint(8, 13)}"
    if r.random() < 0.25:
        return (f"FROM python:{v}-slim-bookworm\nRUN pip install --target /function awslambdaric\n"
                "WORKDIR /function\nCOPY app.py .\nENTRYPOINT [\"/usr/local/bin/python\", \"-m\", \"awslambdaric\"]\n"
                "CMD [\"app.handler\"]\n")
    arch = r.choice(["", "-x86_64", "-arm64"])
    head = f"ARG PY={v}\nFROM public.ecr.aws/lambda/python:${{PY}}{arch} AS build\n" if r.random() < 0.4 else \
        f"FROM public.ecr.aws/lambda/python:{v}{arch} AS build\n"
    body = [f"RUN yum install -y gcc make \\\n    && yum clean all" if r.random() < 0.5 else "RUN echo no system packages",
            "COPY requirements.txt .",
            f"RUN python{v} -m pip install -r requirements.txt -t /opt/python/lib/python{v}/site-packages",
            f"FROM public.ecr.aws/lambda/python:{v}{arch}",
            f"COPY --from=build /opt/python/lib/python{v}/site-packages /var/lang/lib/python{v}/site-packages",
            "COPY app.py ${LAMBDA_TASK_ROOT}", 'CMD ["app.handler"]']
    return head + "\n".join(body) + "\n"


def dockerfile_service(r: random.Random) -> str:
    """A service image with no Lambda and no Python in it."""
    base = r.choice(["node:20-alpine", "golang:1.22-bookworm", "nginx:1.27", "eclipse-temurin:21-jre"])
    return (f"# syntax=docker/dockerfile:1\nFROM {base} AS app\nWORKDIR /srv\nCOPY . .\n"
            f"RUN echo build {r.randint(1, 1000)}\nEXPOSE {r.choice([80, 8080, 3000])}\nCMD [\"./start\"]\n")


KINDS = [
    # (weight, directory, extension, generator)
    (5, "stacks", ".yaml", cfn_yaml),
    (2, "stacks", ".json", cfn_json),
    (1, "stacks", ".yml", cfn_no_lambda),
    (30, "src", ".py", python_src),
    (20, "web", ".ts", ts_src),
    (15, "docs", ".md", markdown),
    (10, "web", ".json", package_json),
    (10, "k8s", ".yaml", k8s_yaml),
    (7, ".github/workflows", ".yml", workflow_yaml),  # where GitHub reads them, so iacfix does too
    (4, "infra", ".tf", tf_functions),
    (2, "infra", ".tf", tf_no_functions),
    (1, "infra", ".tfvars", tfvars),
    (2, "image", ".Dockerfile", dockerfile_lambda),
    (2, "image", ".Dockerfile", dockerfile_service),
]


def serverless_service(r: random.Random, k: int) -> dict[str, str]:
    """A Serverless Framework service: its files by relative path."""
    def rt() -> str:
        return r.choice(RUNTIMES[:6])

    lines = [f"service: svc-{k}", "frameworkVersion: '3'", "", "provider:", "  name: aws",
             f"  runtime: ${{opt:runtime, '{rt()}'}}" if r.random() < 0.4 else f"  runtime: {rt()}",
             "  stage: ${opt:stage, 'dev'}", f"  memorySize: {r.choice([256, 512, 1024])}", "",
             "custom:", "  runtimes:", f"    dev: {rt()}", f"    prod: {rt()}"]
    if r.random() < 0.3:
        lines += ["  pythonRequirements:", "    dockerizePip: true",
                  f"    dockerImage: {r.choice(['lambci/lambda:build-', 'public.ecr.aws/sam/build-'])}{rt()}"]
    lines += ["", "functions:"]
    files = {}
    for j in range(r.randint(1, 6)):
        lines += [f"  fn{j}:", f"    handler: src/fn{j}.handler", "    events:", f"      - http: GET /items{j}"]
        choice = r.random()
        if choice < 0.3:
            lines.append(f"    runtime: {rt()}")
        elif choice < 0.45:
            lines.append("    runtime: ${self:custom.runtimes.${self:provider.stage}}")
        elif choice < 0.55:
            lines.append("    runtime: ${file(./config/runtime.yml):python}")
            files["config/runtime.yml"] = f"python: {rt()}\nnode: nodejs20.x\n"
        elif choice < 0.6:
            lines.append("    runtime: ${ssm:/platform/python-runtime}")
        files[f"src/fn{j}.py"] = f"def handler(event, context):\n    return {{'fn': {j}}}\n"
    if r.random() < 0.3:
        lines += ["", "layers:", "  deps:", "    path: layer", "    compatibleRuntimes:", f"      - {rt()}"]
    files["serverless.yml"] = "\n".join(lines) + "\n"
    return files


def cookiecutter_folder(r: random.Random, k: int) -> dict[str, str]:
    """A cookiecutter template shaped like aws-sam-cli-app-templates: its files by relative path."""
    runtime = r.choice(RUNTIMES[:6])
    template = "\n".join([
        "AWSTemplateFormatVersion: '2010-09-09'", "Transform: AWS::Serverless-2016-10-31",
        "Description: >", "  {{ cookiecutter.project_name }}", "", "Globals:", "  Function:", "    Timeout: 3",
        "{%- if cookiecutter[\"Plugins\"][\"tracing\"] == \"y\" %}", "    Tracing: Active", "{%- endif %}", "",
        "Resources:", "  HelloWorldFunction:", "    Type: AWS::Serverless::Function", "    Properties:",
        "      CodeUri: hello_world/", "      Handler: app.lambda_handler",
        f"      Runtime: {runtime if r.random() < 0.7 else '{{ cookiecutter.runtime }}'}",
        "      {%- if cookiecutter.architectures.value != []%}", "      Architectures:",
        "      {%- for arch in cookiecutter.architectures.value %}", "        - {{arch}}", "      {%- endfor %}",
        "      {%- endif %}", "      Events:", "        HelloWorld:", "          Type: Api", "          Properties:",
        "            Path: /hello", "            Method: get", ""])
    files = {"cookiecutter.json": json.dumps({"project_name": f"app-{k}", "runtime": runtime}, indent=2) + "\n",
             "{{cookiecutter.project_name}}/template.yaml": template,
             "{{cookiecutter.project_name}}/hello_world/app.py": "def lambda_handler(event, context):\n    return {}\n"}
    if r.random() < 0.3:
        files["{{cookiecutter.project_name}}/serverless.yml"] = (
            "service: {{ cookiecutter.project_name }}\nprovider:\n  name: aws\n"
            f"  runtime: {runtime}\nfunctions:\n  hello:\n    handler: hello_world/app.lambda_handler\n")
    return files


def _extras(out: Path, seed: int, services: int, cookiecutters: int, counts: dict[str, int]) -> None:
    """Serverless services and cookiecutter folders, from their own random stream."""
    r = random.Random(f"{seed}-serverless")
    for gen, n, folder in ((serverless_service, services, "services"), (cookiecutter_folder, cookiecutters, "templates")):
        for k in range(n):
            base = out / f"team{k % 97:02d}" / folder / f"{gen.__name__.split('_')[0]}{k:04d}"
            for rel, text in gen(random.Random(r.getrandbits(64)), k).items():
                path = base / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                counts[gen.__name__] = counts.get(gen.__name__, 0) + 1


def generate(out: Path, files: int, seed: int, services: int | None = None,
             cookiecutters: int | None = None) -> dict[str, int]:
    r = random.Random(seed)
    weights = [k[0] for k in KINDS]
    counts: dict[str, int] = {}
    for i in range(files):
        _, folder, ext, gen = r.choices(KINDS, weights)[0]
        team = f"team{i % 97:02d}"
        path = out / team / f"svc{(i // 97) % 41:02d}" / folder / f"f{i:06d}{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(gen(random.Random(r.getrandbits(64))), encoding="utf-8")
        counts[gen.__name__] = counts.get(gen.__name__, 0) + 1
    _extras(out, seed, files // 150 if services is None else services,
            files // 300 if cookiecutters is None else cookiecutters, counts)
    return counts


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--files", type=int, default=30000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--services", type=int, default=None, help="Serverless services (default: files / 150)")
    p.add_argument("--cookiecutters", type=int, default=None, help="cookiecutter folders (default: files / 300)")
    a = p.parse_args()
    counts = generate(a.out, a.files, a.seed, a.services, a.cookiecutters)
    print(json.dumps(counts, sort_keys=True))


if __name__ == "__main__":
    main()
