"""Where a container image's and a Serverless function's code is
(``FunctionCode`` from ``image_code`` and the serverless locator), and code
readiness holding back their fixes.  The golden trees readiness_docker.in/
and readiness_serverless.in/ hold the byte-for-byte fixes; the plan over
both is tests/golden/plan/images-and-services.txt."""

import shutil

import pytest

from conftest import GOLDEN
from iacfix.formats import by_name
from iacfix.model import FunctionCode

PLAN = GOLDEN / "plan" / "images-and-services.txt"
LAMBDA = "FROM public.ecr.aws/lambda/python:3.12\n"
RIC = 'ENTRYPOINT ["/usr/local/bin/python", "-m", "awslambdaric"]\n'


def codes(fmt: str, text: str, path: str) -> list[FunctionCode]:
    f = by_name(fmt)
    located = f.locate_unit({path: (f.parse(text), text)})[path]
    return [m for m in (located.more if located else []) if isinstance(m, FunctionCode)]


def image(text: str):
    found = codes("dockerfile", text, "fn/Dockerfile")
    return None if not found else (found[0].root, found[0].handler, found[0].architecture, found[0].not_local)


@pytest.mark.parametrize("text, expected", [
    # roots are relative to the Dockerfile's directory (its build context)
    # the AWS documentation's forms: one file, a directory's contents, the context itself
    (LAMBDA + "COPY lambda_function.py ${LAMBDA_TASK_ROOT}\nCMD [ \"lambda_function.handler\" ]\n",
     (".", "lambda_function.handler", "x86_64", None)),
    (LAMBDA + "COPY requirements.txt ${LAMBDA_TASK_ROOT}\nCOPY src/ ${LAMBDA_TASK_ROOT}/\nCMD [\"app.handler\"]\n",
     ("src", "app.handler", "x86_64", None)),
    (LAMBDA + "COPY . .\nCMD app.handler\n", (".", "app.handler", "x86_64", None)),  # WORKDIR is /var/task
    (LAMBDA + "COPY app/*.py $LAMBDA_TASK_ROOT/\nCMD [\"main.handler\"]\n", ("app", "main.handler", "x86_64", None)),
    # a package copied under the task root in the same layout: the context directory above it
    (LAMBDA + "COPY lambda/api/ /var/task/api/\nCMD [\"api.main.handler\"]\n",
     ("lambda", "api.main.handler", "x86_64", None)),
    (LAMBDA + "COPY src/handlers/app.py ${LAMBDA_TASK_ROOT}/\nCOPY src/lib/ ${LAMBDA_TASK_ROOT}/\n"
              "CMD [\"app.handler\"]\n", ("src/handlers", "app.handler", "x86_64", None)),
    (LAMBDA + 'COPY ["app.py", "/var/task/"]\nCMD ["app.handler"]\n', (".", "app.handler", "x86_64", None)),
    # the architecture: --platform, or the tag's suffix
    ("FROM --platform=linux/arm64 public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\nCMD [\"app.handler\"]\n",
     (".", "app.handler", "arm64", None)),
    ("FROM public.ecr.aws/lambda/python:3.12-arm64\nCOPY app.py ./\nCMD [\"app.handler\"]\n",
     (".", "app.handler", "arm64", None)),
    # the final stage is the function's; a stage built FROM another keeps what it copied
    (LAMBDA + "COPY app.py ./\nFROM public.ecr.aws/lambda/python:3.12\nCOPY job.py ./\nCMD [\"job.run\"]\n",
     (".", "job.run", "x86_64", None)),
    ("FROM public.ecr.aws/lambda/python:3.12 AS base\nCOPY svc/ ${LAMBDA_TASK_ROOT}\nFROM base\n"
     "CMD [\"svc_main.handler\"]\n", ("svc", "svc_main.handler", "x86_64", None)),
    # the runtime interface client: the working directory is the task root (AWS's FUNCTION_DIR pattern)
    ('ARG FUNCTION_DIR="/function"\nFROM python:3.12 AS build\nARG FUNCTION_DIR\nCOPY app/ ${FUNCTION_DIR}\n'
     "RUN pip install --target ${FUNCTION_DIR} awslambdaric\nFROM python:3.12-slim\nARG FUNCTION_DIR\n"
     "WORKDIR ${FUNCTION_DIR}\nCOPY --from=build ${FUNCTION_DIR} ${FUNCTION_DIR}\n" + RIC + 'CMD [ "app.handler" ]\n',
     ("app", "app.handler", "x86_64", None)),
    ("FROM python:3.12-slim\nRUN pip install awslambdaric\nWORKDIR /srv\nCOPY handler.py .\n"
     'CMD ["python", "-m", "awslambdaric", "handler.main"]\n', (".", "handler.main", "x86_64", None)),
    # not local: said, never guessed
    (LAMBDA + "COPY --from=ghcr.io/acme/code:1.4 /app ${LAMBDA_TASK_ROOT}\nCMD [\"app.handler\"]\n",
     (None, "app.handler", "x86_64", "the code is copied from the image ghcr.io/acme/code:1.4")),
    (LAMBDA + "RUN pip install acme-handlers --target ${LAMBDA_TASK_ROOT}\nCMD [\"acme.handler\"]\n",
     (None, "acme.handler", "x86_64", "nothing is copied from the build context into /var/task (the code is "
                                      "built or fetched in the image)")),
    (LAMBDA + "ADD https://example.com/code.tar.gz /var/task/\nCMD [\"app.handler\"]\n",
     (None, "app.handler", "x86_64", "the code is added from https://example.com/code.tar.gz")),
    # no function: a base for other images, or not a Lambda image at all
    (LAMBDA + "RUN dnf install -y git\n", None),
    ("FROM python:3.12-slim\nCOPY app.py /srv/\nCMD [\"python\", \"/srv/app.py\"]\n", None),
])
def test_image_code_locations(text, expected):
    assert image(text) == expected


def test_the_final_base_image_is_the_functions(write):
    found = by_name("dockerfile").locate_unit({"fn/Dockerfile": (by_name("dockerfile").parse(t := (
        "FROM python:3.12 AS build\nRUN pip wheel . -w /wheels\n" + LAMBDA + "COPY app.py ./\nCMD [\"app.h\"]\n")),
        t)})["fn/Dockerfile"]
    facts = found.more[0]
    assert [i.users for i in facts.images] == [[], ["fn/Dockerfile"]]


SERVICE = """service: s
provider:
  name: {provider}
  runtime: python3.12
  architecture: arm64
package:
  patterns: ['!node_modules/**']
functions:
  plain:
    handler: src/app.handler
  packaged:
    handler: main.handler
    module: exporter
    architecture: x86_64
  built:
    handler: app.handler
    package:
      artifact: dist/built.zip
  chosen:
    handler: ${{self:custom.handler}}
  render:
    image: repo/render:1
  unfinished:
    runtime: python3.12
"""


def test_serverless_code_locations():
    found = {c.function: (c.root, c.handler, c.architecture, c.not_local)
             for c in codes("serverless", SERVICE.format(provider="aws"), "svc/serverless.yml")}
    assert found == {
        "plain": (".", "src/app.handler", "arm64", None),  # relative to the service's directory
        "packaged": ("exporter", "main.handler", "x86_64", None),
        "built": (None, None, "arm64", "the function is deployed from a prebuilt artifact (dist/built.zip)"),
        "chosen": (None, None, "arm64", "the handler is not a literal"),
    }  # render (image:) has no code here: its image holds it, as a PackageType: Image function's does
    assert codes("serverless", SERVICE.format(provider="google"), "svc/serverless.yml") == []


def test_functions_in_a_file_of_the_service_are_rooted_at_the_service(iacfix, write):
    write({"svc/serverless.yml": "service: s\nprovider:\n  name: aws\n  runtime: python3.11\n"
                                 "functions: ${file(./config/functions.yml)}\n",
           "svc/config/functions.yml": "upload:\n  handler: src/upload.handler\n",
           "svc/src/upload.py": "import cgi\n"})
    run = iacfix("check", "svc", "--format", "json")
    [blocker] = [f for f in run.json["findings"] if f["rule"] == "RT301"]
    assert blocker["path"] == "svc/src/upload.py" and blocker["functions"] == ["upload"]
    [runtime] = [f for f in run.json["findings"] if f["runtime"] == "python3.11"]
    assert runtime["held_back"]["by"] == ["upload"] and runtime["fix"]["applicability"] == "unsafe"


# -- fix holds back what the code does not run on --------------------------------

DOCKERFILE = ("FROM python:3.12 AS wheels\nRUN pip wheel -r requirements.txt -w /wheels\n"
              "FROM public.ecr.aws/lambda/python:3.12\nCOPY --from=wheels /wheels /wheels\n"
              "COPY app.py ${LAMBDA_TASK_ROOT}\nCMD [\"app.handler\"]\n")


@pytest.fixture
def image_app(write):
    return write({"fn/Dockerfile": DOCKERFILE, "fn/app.py": "import cgi\n\ndef handler(e, c):\n    return 1\n"})


def test_a_dockerfile_whose_code_imports_cgi_is_not_moved_to_313(iacfix, image_app):
    # python:3.12 is flagged only within a long horizon: the move to 3.13 is what is asked
    run = iacfix("fix", "fn", "--horizon", "800", "--format", "json")
    assert run.json["fixed"] == []
    assert (image_app / "fn" / "Dockerfile").read_text() == DOCKERFILE
    moves = [f for f in run.json["findings"] if f["runtime"]]
    assert len(moves) == 2 and all(f["fix"]["applicability"] == "unsafe" for f in moves)  # one edit: both held
    [final] = [f for f in moves if f["used_by"]]
    assert "held back: the code of fn/Dockerfile does not run on python3.13: cgi at fn/app.py:1" in final["message"]


def test_unsafe_fixes_move_the_image_anyway(iacfix, image_app):
    iacfix("fix", "fn", "--horizon", "800", "--unsafe-fixes")
    assert (image_app / "fn" / "Dockerfile").read_text() == DOCKERFILE.replace(":3.12", ":3.13")


def test_code_already_broken_on_the_image_is_an_error(iacfix, write):
    write({"fn/Dockerfile": "FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py ./\nCMD [\"app.handler\"]\n",
           "fn/app.py": "import telnetlib\n"})
    [f] = iacfix("check", "fn", "--format", "json").json["findings"]
    assert (f["rule"], f["severity"]) == ("RT301", "error") and "already lacks it" in f["message"]


TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Upload:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
    Metadata:
      Dockerfile: Dockerfile
      DockerContext: ./upload
      DockerBuildArgs:
        PY: "3.11"
"""


def test_a_sam_build_argument_is_held_back_by_the_dockerfiles_code(iacfix, write):
    root = write({"template.yaml": TEMPLATE,
                  "upload/Dockerfile": "ARG PY=3.11\nFROM public.ecr.aws/lambda/python:${PY}\n"
                                       "COPY handler/ ${LAMBDA_TASK_ROOT}\nCMD [\"upload.main\"]\n",
                  "upload/handler/upload.py": "from cgi import parse_header\n"})
    run = iacfix("fix", "template.yaml", "--format", "json")
    [arg] = [f for f in run.json["findings"] if f["path"] == "template.yaml" and f["runtime"]]
    assert arg["used_by"] == ["Upload"] and arg["held_back"]["at"] == "upload/handler/upload.py:1"
    [blocker] = [f for f in run.json["findings"] if f["rule"] == "RT301"]
    assert blocker["functions"] == ["Upload"]
    assert (root / "template.yaml").read_text() == TEMPLATE
    iacfix("fix", "template.yaml", "--unsafe-fixes")
    assert 'PY: "3.13"' in (root / "template.yaml").read_text()


def test_a_sam_image_config_command_names_the_handler(iacfix, write):
    write({"template.yaml": TEMPLATE.replace("PackageType: Image\n", "PackageType: Image\n      ImageConfig:\n"
                                             "        Command: [\"other.main\"]\n"),
           "upload/Dockerfile": "ARG PY=3.11\nFROM public.ecr.aws/lambda/python:${PY}\nCOPY . .\nCMD [\"upload.main\"]\n",
           "upload/upload.py": "import cgi\n", "upload/other.py": "import json\n"})
    run = iacfix("check", "template.yaml", "--format", "json")
    assert not [f for f in run.json["findings"] if f["rule"] == "RT301"]


def test_serverless_unsafe_fixes_move_the_shared_runtime(iacfix, tmp_path):
    shutil.copytree(GOLDEN / "readiness_serverless.in", tmp_path / "svc")
    iacfix("fix", "svc", "--unsafe-fixes")
    text = (tmp_path / "svc" / "serverless.yml").read_text()
    assert "runtime: python3.13        # shared" in text and "runtime: python2.7" not in text


def test_plan_over_images_and_services(iacfix, tmp_path):
    for name in ("readiness_docker", "readiness_serverless"):
        shutil.copytree(GOLDEN / f"{name}.in", tmp_path / name)
    run = iacfix("plan", "readiness_docker", "readiness_serverless", "--as-of", "2026-11-21", as_of=None)
    assert run.code == 0, run.err
    assert run.out == PLAN.read_text()
    doc = iacfix("plan", "readiness_docker", "readiness_serverless", "--as-of", "2026-11-21", "--format", "json",
                 as_of=None).json
    recs = {f["name"]: (f["runtime"], f["recommendation"]["runtime"]) for f in doc["functions"]}
    assert recs == {
        "readiness_docker/report/Dockerfile": ("python3.10", "python3.13"),
        "readiness_docker/upload/Dockerfile": ("python3.11", "python3.12"),
        "readiness_docker/worker/Dockerfile": ("3.9", "3.11"),  # python:3.9: CPython's own versions
        "receive": ("python3.10", "python3.13"), "parse": ("python3.10", "python3.12"),
        "legacy": ("python2.7", None), "export": ("python3.10", "python3.13"),
    }


def test_hostile_dockerfiles_stay_linear():
    import time

    chain = "FROM public.ecr.aws/lambda/python:3.9 AS s0\nCOPY . /var/task\n"
    cases = [
        chain + "".join(f"FROM s{i} AS s{i + 1}\nCOPY a{i}.py /var/task/\nENV V{i}=x\n" for i in range(10_000)),
        chain + "".join(f"FROM s{i} AS s{i + 1}\nCOPY --from=s{i} /var/task /var/task\n" for i in range(10_000)),
        LAMBDA + "COPY x.py y.py /var/task/\n" * 30_000,
    ]
    for text in cases:
        t0 = time.perf_counter()
        assert image(text + 'CMD ["a1.h"]\n')[0] == "."
        assert time.perf_counter() - t0 < 5, "quadratic somewhere"


# -- property: wherever a Dockerfile copies the handler from, the code read is the code copied --------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from iacfix.readiness import assess  # noqa: E402

TASK_ROOTS = ["${LAMBDA_TASK_ROOT}", "$LAMBDA_TASK_ROOT", "/var/task"]


@st.composite
def layouts(draw):
    """(Dockerfile, {context path: text}): the handler module somewhere in the build
    context, copied into the task root in one of the ways Dockerfiles do it, among noise."""
    prefix = draw(st.sampled_from([".", "src", "lambda/code"]))
    package = draw(st.booleans())
    rel = "pkg/main.py" if package else "app.py"
    handler = ("pkg.main" if package else "app") + ".handler"
    root = draw(st.sampled_from(TASK_ROOTS))
    slash = draw(st.sampled_from(["", "/"]))
    src = "." if prefix == "." else prefix
    forms = [f"COPY {src}{'/' if prefix != '.' else ''} {root}{slash}"]
    if package:
        forms.append(f"COPY {prefix + '/' if prefix != '.' else ''}pkg/ {root}/pkg/")
    else:
        forms.append(f"COPY {prefix + '/' if prefix != '.' else ''}app.py {root}{slash}")
        forms.append(f"COPY {prefix + '/' if prefix != '.' else ''}app.py ./")
    copy = draw(st.sampled_from(forms))
    noise = draw(st.lists(st.sampled_from([
        "COPY requirements.txt ${LAMBDA_TASK_ROOT}", "RUN pip install -r requirements.txt -t /opt/deps",
        "COPY config/ /opt/config/", "ENV PYTHONPATH=/opt/deps", "ARG STAGE=dev", "COPY README.md /opt/",
    ]), max_size=3))
    at = draw(st.integers(0, len(noise)))
    lines = ["FROM public.ecr.aws/lambda/python:3.12", *noise[:at], copy, *noise[at:]]
    cmd = draw(st.sampled_from([f'CMD ["{handler}"]', f"CMD {handler}", f'CMD [ "{handler}" ]']))
    files = {f"{prefix}/{rel}".removeprefix("./"): "import telnetlib\n\ndef handler(e, c):\n    return 1\n",
             "requirements.txt": "boto3\n", "other/app.py": "import json\n"}
    if package:
        files[f"{prefix}/pkg/__init__.py".removeprefix("./")] = ""
    return "\n".join([*lines, cmd]) + "\n", files


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(layout=layouts())
def test_the_code_read_is_the_code_copied(tmp_path_factory, layout):
    dockerfile, files = layout
    base = tmp_path_factory.mktemp("ctx")
    for name, text in {**files, "Dockerfile": dockerfile}.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text)
    [code] = codes("dockerfile", dockerfile, str(base / "Dockerfile"))
    found = assess(code, str(base / "Dockerfile"))
    assert found.found, (dockerfile, code)
    assert [b.name for b in found.blocking()] == ["telnetlib"], dockerfile
