"""Dockerfiles shaped like real ones that an adversarial review found
mishandled: `yum` as an argument or as data, `yum` where iacfix cannot
rewrite it, and build arguments built from other build arguments.  Each case
is a whole file through `iacfix fix`, byte for byte."""

import pytest

AL2_TO_AL2023_HEAD = "# syntax=docker/dockerfile:1\nFROM public.ecr.aws/lambda/python:3.11 AS build\n"


def _fix(iacfix, write, text):
    path = write("Dockerfile", text)
    found = iacfix("check", ".", "--format", "json").json["findings"]
    diff = iacfix("fix", ".", "--diff").out
    iacfix("fix", ".")
    return path.read_text(), found, diff


def test_yum_after_a_command_flag_is_an_argument_and_holds_the_move_back(iacfix, write):
    # rpm -e --nodeps yum removes the yum package: "yum" is an argument, never rewritten; AL2023 has no yum
    # package, so the step must be rewritten by hand before the base moves.
    text = AL2_TO_AL2023_HEAD + "RUN yum install -y gcc && rpm -e --nodeps yum yum-utils\n"
    got, [f], diff = _fix(iacfix, write, text)
    assert got == text and "+++" not in diff
    assert "yum (line 3" in f["fix_unavailable"] and f["fix"] is None


@pytest.mark.parametrize("run", [
    'RUN sh -c "yum install -y gcc"\n',
    "RUN xargs -a packages.txt yum install -y\n",
    "RUN echo yum\n",
    "RUN /usr/bin/yum install -y gcc\n",
    'RUN ["/usr/bin/yum", "install", "-y", "gcc"]\n',
])
def test_yum_that_iacfix_does_not_rewrite_keeps_the_base_on_al2(iacfix, write, run):
    # Moving the base and leaving yum behind would break the build on AL2023: all or nothing.
    text = AL2_TO_AL2023_HEAD + "RUN yum install -y make\n" + run
    got, [f], _ = _fix(iacfix, write, text)
    assert got == text
    assert "line 4" in f["fix_unavailable"] and "dnf" in f["fix_unavailable"]
    assert "not rewritten: stage build uses yum (line 4)" in f["message"]  # said in text output too


def test_a_heredoc_that_is_data_is_not_a_script(iacfix, write):
    # The body of `cat > file <<EOF` is the file's text, not commands: its yum is not rewritten, and since the
    # script it writes would run yum on AL2023, the base does not move either.
    text = (AL2_TO_AL2023_HEAD + "RUN <<EOF\nyum install -y gcc\nEOF\n"
            "RUN cat > /usr/local/bin/setup.sh <<'EOF'\n#!/bin/sh\nyum install -y jq\nEOF\n")
    got, [f], _ = _fix(iacfix, write, text)
    assert got == text and "line 8" in f["fix_unavailable"]


def test_a_script_written_by_copy_heredoc_holds_back(iacfix, write):
    text = (AL2_TO_AL2023_HEAD + "COPY --chmod=755 <<EOF /usr/local/bin/setup.sh\n#!/bin/sh\nyum install -y jq\nEOF\n"
            "RUN /usr/local/bin/setup.sh\n")
    got, [f], _ = _fix(iacfix, write, text)
    assert got == text and "uses yum (line 5)" in f["fix_unavailable"]


def test_a_heredoc_of_data_without_yum_does_not_hold_back(iacfix, write):
    text = (AL2_TO_AL2023_HEAD + "RUN <<EOT bash\n  yum install -y gcc\nEOT\n"
            "RUN cat > /etc/yum.repos.d/local.repo <<EOF\n[local]\nbaseurl=file:///repo\nEOF\n"
            "RUN python3 <<EOF\nprint('built')\nEOF\n")
    got, _, _ = _fix(iacfix, write, text)
    assert got == text.replace("3.11", "3.13").replace("  yum install", "  dnf install")


def test_onbuild_run_and_json_form_yum_move_with_the_base(iacfix, write):
    text = (AL2_TO_AL2023_HEAD + 'RUN ["yum", "install", "-y", "gcc"]\nONBUILD RUN yum install -y make\n'
            "run --mount=type=cache,target=/var/cache/yum --network=none yum -y update \\\n"
            " && sudo --preserve-env yum -y upgrade\n")
    got, _, _ = _fix(iacfix, write, text)
    assert got == (AL2_TO_AL2023_HEAD.replace("3.11", "3.13") + 'RUN ["dnf", "install", "-y", "gcc"]\n'
                   "ONBUILD RUN dnf install -y make\n"
                   "run --mount=type=cache,target=/var/cache/yum --network=none dnf -y update \\\n"
                   " && sudo --preserve-env dnf -y upgrade\n")


def test_an_arg_built_from_another_arg_selects_the_image(iacfix, write):
    # AWS's "alternative base image" shape with a whole-image ARG that reuses the version ARG.
    text = ("ARG PY=3.9\nARG BASE=public.ecr.aws/lambda/python:${PY}\nARG FUNCTION_DIR=\"/function\"\n"
            "FROM --platform=$BUILDPLATFORM python:${PY}-slim-bookworm AS build-image\n"
            "RUN pip install --target /function awslambdaric\n"
            "FROM ${BASE}\n"
            "RUN yum install -y libcurl && yum clean all && rm -rf /var/cache/yum\n")
    got, found, _ = _fix(iacfix, write, text)
    assert [(f["line"], f["runtime"]) for f in found] == [(4, "3.9"), (6, "python3.9")]
    assert found[1]["resolved_image"] == "public.ecr.aws/lambda/python:3.9"
    assert got == text.replace("PY=3.9", "PY=3.13").replace("yum install", "dnf install").replace(
        "&& yum clean", "&& dnf clean")


def test_an_arg_built_from_an_arg_without_value_is_unresolved(iacfix, write):
    write("Dockerfile", "ARG PY\nARG BASE=public.ecr.aws/lambda/python:${PY}\nFROM ${BASE}\n")
    [f] = iacfix("check", ".", "--format", "json").json["findings"]
    assert f["rule"] == "RT102" and "PY has no default" in f["message"]


def test_a_version_path_in_a_stage_whose_base_does_not_move_holds_the_move_back(iacfix, write):
    # The build stage runs on AWS SAM's build image, which iacfix does not move: pip3.13 is not there, and
    # moving only the final stage would copy python3.9 packages into python3.13. Nothing moves; the message says why.
    text = ("FROM public.ecr.aws/sam/build-python3.9:latest AS build\nCOPY requirements.txt .\n"
            "RUN pip3.9 install -r requirements.txt -t /asset/python/lib/python3.9/site-packages\n\n"
            "FROM public.ecr.aws/lambda/python:3.9\n"
            "COPY --from=build /asset/python/lib/python3.9/site-packages /var/lang/lib/python3.9/site-packages\n"
            'CMD ["app.handler"]\n')
    got, found, _ = _fix(iacfix, write, text)
    [f] = [x for x in found if x["rule"] != "RT304"]  # RT304: the image copies no code into its task root
    assert got == text
    assert "python3.9 (path or pip, line 3) is in stage build" in f["fix_unavailable"]
    assert "not rewritten: " in f["message"]


def test_a_version_path_in_a_stage_that_moves_with_it_moves(iacfix, write):
    text = ("FROM public.ecr.aws/lambda/python:3.9 AS build\nRUN pip3.9 install -r requirements.txt -t /pkgs\n"
            "FROM build AS final\nRUN python3.9 -m pip install boto3\n"
            "FROM amazonlinux:2 AS tools\nRUN yum install -y python3 && python3 -m pip install awscli\n")
    got, _, _ = _fix(iacfix, write, text)
    assert got == text.replace("3.9", "3.13")


@pytest.mark.parametrize("text", [
    "# escape=`\nFROM public.ecr.aws/lambda/python:3.12\nRUN <<EOF\\\ndnf install -y gcc\nEOF\n",
    "# escape=`\r\nFROM python:3.12\r\nRUN cat > /etc/motd <<EOF\\\r\nhello\r\nEOF\r\n",
    " \\\n\u00a0FROM python:3.9\nRUN <<EOF\\\n\u00a0bash\nEOF\n",  # a no-break space is white space to Go
])
def test_lines_buildkit_reads_with_its_default_lexer_or_go_white_space(text):
    # BuildKit reads heredoc names with its default lexer, which drops a trailing backslash (the name is EOF),
    # and splits words and trims lines on Go's unicode.IsSpace.
    import dockerfile as buildkit

    from iacfix.formats.dockerfile_syntax import parse
    ours = [(i.keyword, i.first_line, i.last_line, tuple(text[h.start:h.end] for h in i.heredocs))
            for i in parse(text).instructions]
    theirs = [(c.cmd.lower(), c.start_line, c.end_line, tuple(h.content for h in c.heredocs))
              for c in buildkit.parse_string(text)]
    assert ours == theirs


def test_an_arg_that_also_writes_an_image_iacfix_does_not_judge_is_noted(iacfix, write):
    text = ("ARG PYTHON_VERSION=3.9\nFROM ghcr.io/acme/wheels-py${PYTHON_VERSION}:2024.1 AS wheels\n"
            "FROM public.ecr.aws/lambda/python:${PYTHON_VERSION}\nCOPY --from=wheels /wheels /wheels\n")
    got, _, diff = _fix(iacfix, write, text)
    assert got == text.replace("=3.9", "=3.13")
    assert ("note: ARG PYTHON_VERSION also selects ghcr.io/acme/wheels-py3.9:2024.1 (line 2), which iacfix does "
            "not judge: check that it exists for 3.13 before building") in diff


def test_a_dockerfile_named_outside_the_template_directory_is_named_as_written(iacfix, write, tmp_path):
    import os
    write("outside/Dockerfile", "FROM public.ecr.aws/lambda/python:3.9\n")
    write("app/fn/.keep", "")
    os.symlink(tmp_path / "outside" / "Dockerfile", tmp_path / "app" / "fn" / "Dockerfile")
    write("app/template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n"
          + "".join(f"  {n}:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n"
                    f"    Metadata:\n      DockerContext: {c}\n      Dockerfile: {d}\n      DockerBuildArgs:\n"
                    "        PY: '3.9'\n"
                    for n, c, d in [("Linked", "fn", "Dockerfile"),
                                    ("Absolute", ".", tmp_path / "outside/Dockerfile")]))
    found = iacfix("check", "app", "--format", "json").json["findings"]
    reasons = [f["message"].split("statically: ", 1)[-1].split(" (used by")[0] for f in found if f["rule"] == "RT102"]
    assert reasons == [
        "the Dockerfile fn/Dockerfile is a link to a file outside the template's directory; not read",
        f"the Dockerfile {tmp_path}/outside/Dockerfile lies outside the template's directory; not read"]


SAM_IMAGE = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
             "    Properties:\n      PackageType: Image\n    Metadata:\n      DockerContext: fn\n"
             "      DockerBuildArgs:\n        PY: '3.9'\n")


@pytest.mark.parametrize("run", ['RUN yum install -y gcc && sh -c "yum clean all"\n',
                                 "RUN amazon-linux-extras install -y epel\n"])
def test_a_build_arg_does_not_move_when_its_dockerfile_cannot_move_with_it(iacfix, write, run):
    # The Dockerfile's default selects the same image; its own fix is held back, so moving the template's
    # value alone would build python:3.13 with yum (or amazon-linux-extras) in it.
    dockerfile = "ARG PY=3.9\nFROM public.ecr.aws/lambda/python:${PY}\n" + run
    write("fn/Dockerfile", dockerfile)
    template = write("template.yaml", SAM_IMAGE)
    iacfix("fix", ".")
    assert template.read_text() == SAM_IMAGE
    found = iacfix("check", ".", "--format", "json").json["findings"]
    [f] = [f for f in found if f["path"] == "template.yaml"]
    assert "the Dockerfile also has" in f["fix_unavailable"]


def test_a_build_arg_moves_with_its_dockerfile(iacfix, write):
    dockerfile = write("fn/Dockerfile", "ARG PY=3.9\nFROM public.ecr.aws/lambda/python:${PY}\nRUN yum install -y gcc\n")
    template = write("template.yaml", SAM_IMAGE)
    iacfix("fix", ".")
    assert template.read_text() == SAM_IMAGE.replace("'3.9'", "'3.13'")
    assert dockerfile.read_text() == "ARG PY=3.13\nFROM public.ecr.aws/lambda/python:${PY}\nRUN dnf install -y gcc\n"


def test_a_build_arg_does_not_move_when_its_dockerfile_is_not_among_the_paths_given(iacfix, write):
    # fix template.yaml alone: the Dockerfile, not named, keeps its yum; python3.13 would be built with it.
    dockerfile_text = "ARG PY=3.9\nFROM public.ecr.aws/lambda/python:${PY}\nRUN yum install -y gcc\n"
    dockerfile = write("fn/Dockerfile", dockerfile_text)
    template = write("template.yaml", SAM_IMAGE)
    run = iacfix("fix", "template.yaml", "--format", "json")
    assert template.read_text() == SAM_IMAGE and dockerfile.read_text() == dockerfile_text
    [f] = [f for f in run.json["findings"] if f["path"] == "template.yaml"]
    assert "not among the paths given: name the Dockerfile too" in f["fix_unavailable"]
    iacfix("fix", "template.yaml", "fn/Dockerfile")  # both named: both move
    assert template.read_text() == SAM_IMAGE.replace("'3.9'", "'3.13'")
    assert dockerfile.read_text() == dockerfile_text.replace("3.9", "3.13").replace("yum", "dnf")


def test_a_probe_for_yum_is_neither_rewritten_nor_holding_back(iacfix, write):
    text = (AL2_TO_AL2023_HEAD
            + "RUN if command -v yum >/dev/null; then yum install -y gcc; else dnf install -y gcc; fi\n"
            "RUN <<EOF\nwhich yum && yum clean all || true\nEOF\n")
    got, _, _ = _fix(iacfix, write, text)
    assert got == (AL2_TO_AL2023_HEAD.replace("3.11", "3.13")
                   + "RUN if command -v yum >/dev/null; then dnf install -y gcc; else dnf install -y gcc; fi\n"
                   "RUN <<EOF\nwhich yum && dnf clean all || true\nEOF\n")


def test_yum_after_a_shell_keyword_or_a_command_runner_is_a_command(iacfix, write):
    text = (AL2_TO_AL2023_HEAD + "RUN if ! yum list installed gcc; then time yum install -y gcc; fi\n"
            "RUN while ! yum makecache; do sleep 1; done && xargs yum install -y < packages.txt\n"
            "RUN env LANG=C yum install -y make && LC_ALL=C yum clean all\n")
    got, _, _ = _fix(iacfix, write, text)
    assert got == text.replace("3.11", "3.13").replace("yum ", "dnf ")


def test_every_python_command_of_the_base_version_moves_with_it(iacfix, write):
    # A pipenv build on the Lambda image: python3.8 runs venv and pipenv too, not only pip; python3.8 is not in
    # python:3.13, so moving only "python3.8 -m pip" would leave a broken build.
    text = ("FROM public.ecr.aws/lambda/python:3.8 as base\nENV VIRTUAL_ENV=/opt/venv\n"
            "FROM base as deps\nRUN python3.8 -m venv $VIRTUAL_ENV && python3.8 -m pip install pipenv\n"
            "COPY Pipfile Pipfile.lock ./\nRUN python3.8 -m pipenv install --deploy && python3.8 -c 'import sys'\n"
            "RUN ln -sf /var/lang/bin/python3.8 /usr/local/bin/py && /var/lang/bin/pip3.8 install -U pip\n"
            "FROM base\nCOPY --from=deps $VIRTUAL_ENV $VIRTUAL_ENV\nCMD [\"app.handler\"]\n")
    got, _, _ = _fix(iacfix, write, text)
    assert got == text.replace("3.8", "3.13")


def test_a_heredoc_of_one_huge_line_stays_linear():
    import time

    from conftest import locate
    text = "FROM public.ecr.aws/lambda/python:3.12\nRUN <<EOF\n" + "yum x; " * 300_000 + "\nEOF\n"
    t0 = time.process_time()  # CPU time: other processes on a busy machine do not count
    [facts] = locate("dockerfile", text).more
    assert time.process_time() - t0 < 10, "quadratic somewhere"  # was ~17 s: each yum searched back to the body
    assert len(facts.stages[0].yum) == 300_000


def test_a_single_quoted_arg_default_is_not_expanded():
    from conftest import locate
    located = locate("dockerfile", "ARG PY=3.9\nARG BASE='public.ecr.aws/lambda/python:${PY}'\nFROM ${BASE}\n")
    assert located.more[0].images == [] and located.unresolved[0].reason.endswith("is not a plain value "
                                                                                  "('public.ecr.aws/lambda/python:${PY}')")
