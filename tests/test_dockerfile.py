"""Dockerfiles: which base images are sites, how they are judged, what one fix
moves together, and what stays (goldens in tests/golden/docker_*.in.dockerfile
and sam_image.in/ cover whole files)."""

import pytest

from conftest import locate
from iacfix.formats.dockerfile import classify_reference
from iacfix.formats.dockerfile_syntax import parse
from iacfix.model import ParseError


@pytest.mark.parametrize("ref, expected", [
    ("public.ecr.aws/lambda/python:3.11", ("lambda", "python", "3.11", "", "")),
    ("public.ecr.aws/lambda/python:3.11-arm64", ("lambda", "python", "3.11", "-arm64", "")),
    ("amazon/aws-lambda-python:3.9-x86_64", ("lambda", "python", "3.9", "-x86_64", "")),
    ("docker.io/amazon/aws-lambda-nodejs:18", ("lambda", "nodejs", "18", "", "")),
    ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/lambda/python:3.10", ("lambda", "python", "3.10", "", "")),
    ("registry.internal:5000/mirror/lambda/provided:al2", ("lambda", "provided", "al2", "", "")),
    ("public.ecr.aws/lambda/java:8.al2", ("lambda", "java", "8.al2", "", "")),
    ("public.ecr.aws/lambda/python:3.12@sha256:ab12", ("lambda", "python", "3.12", "", "a digest")),
    ("amazon/aws-lambda-python:3.9.2023.06.28.12", ("lambda", "python", "3.9", "", "a dated build tag")),
    ("python:3.9-slim-bookworm", ("python", "python", "3.9", "-slim-bookworm", "")),
    ("docker.io/library/python:3.12-alpine3.20", ("python", "python", "3.12", "-alpine3.20", "")),
    ("public.ecr.aws/docker/library/python:3.10", ("python", "python", "3.10", "", "")),
    ("python:3.9.18-slim", ("python", "python", "3.9", "-slim", "a patch release")),
    ("lambda/python:3.9", None),  # a Docker Hub user called lambda, not AWS
    ("python:3", None), ("python:latest", None), ("python", None), ("mypython:3.9", None),
    ("node:18", None), ("public.ecr.aws/lambda/python", None),
])
def test_image_references(ref, expected):
    got = classify_reference(ref)
    assert (got and (got["kind"], got["family"], got["version"], got["rest"], got["pinned"])) == (expected or None)
    if got:
        assert ref[got["vstart"]:got["vend"]] == got["version"]


def facts(text):
    located = locate("dockerfile", text)
    return located, (located.more[0] if located.more else None)


def test_arg_default_feeds_the_tag_and_the_site_is_the_default():
    text = 'ARG PY="3.9"\nARG ARCH=arm64\nFROM public.ecr.aws/lambda/python:${PY}-${ARCH} AS build\n'
    _, f = facts(text)
    [img] = f.images
    assert (img.resolved, text[img.start:img.end], img.via) == ("public.ecr.aws/lambda/python:3.9-arm64", "3.9", "ARG PY")


@pytest.mark.parametrize("text, reason", [
    ("ARG PY\nFROM public.ecr.aws/lambda/python:${PY}\n", "build argument PY has no default"),
    ("FROM public.ecr.aws/lambda/python:$PY\n", "PY is not declared before the first FROM"),
    ("FROM public.ecr.aws/lambda/python:{{ cookiecutter.python_version }}\n", "template placeholder"),
])
def test_a_tag_with_no_value_is_unresolved(text, reason):
    located, _ = facts(text)
    [u] = located.unresolved
    assert reason in u.reason


def test_a_placeholder_in_another_image_is_not_ours():
    located, f = facts("FROM public.ecr.aws/sam/build-ruby{{ cookiecutter.version }} as build-image\n")
    assert located.unresolved == [] and f.images == []


def test_a_default_in_the_from_line_is_the_site_when_the_arg_has_none():
    text = "ARG PY\nFROM python:${PY:-3.9}-slim\n"
    _, f = facts(text)
    assert text[f.images[0].start:f.images[0].end] == "3.9" and f.images[0].via == ""


def test_a_version_split_by_a_continuation_is_reported_not_rewritten():
    _, f = facts("FROM public.ecr.aws/lambda/python:3.\\\n9\n")
    assert f.images[0].version == "3.9" and f.images[0].start is None and "in pieces" in f.images[0].blocked


def test_stages_yum_and_tools():
    text = ("FROM public.ecr.aws/lambda/python:3.11 AS build\n"
            "RUN yum install -y a && sudo yum -y update; yum-config-manager --enable x; echo yumyum\n"
            "RUN --mount=type=cache,target=/var/cache/yum yum clean all\n"
            "FROM build AS final\nRUN amazon-linux-extras install epel\nRUN [\"yum\", \"install\", \"x\"]\n")
    _, f = facts(text)
    build, final = f.stages
    assert [text[s:e] for s, e in build.yum] == ["yum", "yum", "yum"]
    assert [t for t, _, _ in build.no_al2023] == ["yum-config-manager"]
    assert final.parent == 0 and final.image is None and [t for t, _, _ in final.no_al2023] == ["amazon-linux-extras"]
    assert [text[s:e] for s, e in final.yum] == ["yum"]  # the JSON form runs yum itself: its first string


def test_version_paths():
    text = ("FROM public.ecr.aws/lambda/python:3.11\n"
            "RUN python3.11 -m pip install x -t /var/lang/lib/python3.11/site-packages && pip3.11 check\n"
            "COPY x /opt/python/lib/python3.11/site-packages/\n"
            "# python3.11 -m pip in a comment is not a path\n"
            "RUN /usr/bin/python3.11 -c 'print()'  # not pip\n")
    _, f = facts(text)
    assert [(v, text[s:e]) for v, s, e in f.paths] == [("3.11", "3.11")] * 4


@pytest.mark.parametrize("text, message", [
    ("FROM a\nRUN <<EOF\nnever closed\n", "unterminated heredoc"),
    ("# escape=x\nFROM a\n", "invalid escape token"),
    ("# escape=`\n# escape=\\\nFROM a\n", "only one escape parser directive"),
])
def test_syntax_errors(text, message):
    with pytest.raises(ParseError, match=message):
        parse(text)


def test_an_unparsable_dockerfile_is_an_error_at_its_line(iacfix, write):
    write("Dockerfile", "FROM public.ecr.aws/lambda/python:3.9\nRUN <<EOF\nyum install x\n")
    run = iacfix("check", ".", "--format", "json")
    assert run.code == 2 and run.json["errors"][0]["line"] == 2


def test_a_broken_dockerfile_of_another_image_is_not_an_error(iacfix, write):
    write("Dockerfile", "FROM node:20\n# python helpers\nRUN <<EOF\nnpm ci\n")
    run = iacfix("check", ".", "--format", "json")
    assert run.code == 0 and run.json["errors"] == []


def test_os_only_bases_move_to_their_successor(iacfix, write):
    path = write("Dockerfile", "FROM public.ecr.aws/lambda/provided:alami\nFROM public.ecr.aws/lambda/provided:al2-arm64\n")
    found = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["runtime"], f["rule"]) for f in found] == [("provided", "RT002"), ("provided.al2", "RT003")]
    iacfix("fix", ".")
    assert path.read_text() == "FROM public.ecr.aws/lambda/provided:al2023\nFROM public.ecr.aws/lambda/provided:al2023-arm64\n"


def test_json_names_runtime_provider_and_image(iacfix, write):
    write("svc/Containerfile", "FROM public.ecr.aws/lambda/python:3.9-arm64\n"
                               "FROM python:3.10-slim\nRUN pip install awslambdaric\n")
    found = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["runtime"], f["provider"], f["image"]) for f in found] == [
        ("python3.9", "aws", "public.ecr.aws/lambda/python:3.9-arm64"), ("3.10", "cpython", "python:3.10-slim")]
    assert "hosts a Lambda function through awslambdaric" in found[1]["message"]
    assert found[0]["fix"]["edits"][0]["content"] == "3.13"


def test_a_plain_python_image_says_it_hosts_no_lambda_function(iacfix, write):
    write("web.Dockerfile", "FROM python:3.9\nCMD [\"gunicorn\", \"app:app\"]\n")
    [f] = iacfix("check", ".", "--format", "json").json["findings"]
    assert f["rule"] == "RT003" and "no awslambdaric: not a Lambda function image" in f["message"]


def test_yum_on_a_stage_that_stays_on_al2_is_no_finding(iacfix, write):
    write("Dockerfile", "FROM public.ecr.aws/lambda/python:3.11\nRUN yum install -y gcc\n")
    assert iacfix("check", ".", "--format", "json", as_of="2026-01-15").json["findings"] == []


def test_other_families_are_reported_and_moved_only_with_their_own_target(iacfix, write):
    path = write("Dockerfile", "FROM public.ecr.aws/lambda/nodejs:18 AS web\nRUN yum install -y git\n")
    [f] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (f["runtime"], f["fix"]) == ("nodejs18.x", None) and "--target set to a nodejs runtime" in f["fix_unavailable"]
    iacfix("fix", ".", "--target", "nodejs24.x")
    assert path.read_text().startswith("FROM public.ecr.aws/lambda/nodejs:18")  # a major move: unsafe
    iacfix("fix", ".", "--target", "nodejs24.x", "--unsafe-fixes")
    assert path.read_text() == "FROM public.ecr.aws/lambda/nodejs:24 AS web\nRUN dnf install -y git\n"


def test_amazon_linux_extras_holds_back_every_base_of_the_file(iacfix, write):
    text = ("FROM public.ecr.aws/lambda/python:3.9 AS deps\nRUN amazon-linux-extras install -y epel\n"
            "FROM python:3.9-slim\nRUN pip install awslambdaric\n")
    path = write("Dockerfile", text)
    found = iacfix("check", ".", "--format", "json").json["findings"]
    assert [f["rule"] for f in found] == ["RT003", "RT202", "RT003"]
    assert "runs amazon-linux-extras (line 2)" in found[0]["fix_unavailable"]
    assert found[2]["fix_unavailable"].startswith("moves together with public.ecr.aws/lambda/python:3.9 (line 1)")
    iacfix("fix", ".")
    assert path.read_text() == text


def test_the_python27_image_is_an_error_never_fixed(iacfix, write):
    write("Dockerfile", "FROM public.ecr.aws/lambda/python:2.7\n")
    [f] = iacfix("check", ".", "--format", "json", "--unsafe-fixes").json["findings"]
    assert (f["rule"], f["severity"], f["fix"]) == ("RT001", "error", None)
    assert "2022-05-30" in f["message"] and "Python 2 code does not run on Python 3" in f["fix_unavailable"]


def test_a_build_arg_read_outside_the_template_directory_is_not_read(iacfix, write, tmp_path):
    write("elsewhere/Dockerfile", "FROM public.ecr.aws/lambda/python:3.9\n")
    write("app/template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n"
                               "    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n"
                               "    Metadata:\n      DockerContext: ../elsewhere\n      DockerBuildArgs:\n"
                               "        PY: '3.9'\n")
    [f] = iacfix("check", "app", "--format", "json").json["findings"]
    assert f["rule"] == "RT102" and "outside the template's directory" in f["message"]


def test_a_build_arg_is_judged_by_the_image_it_selects_and_fixed_in_the_template(iacfix, write):
    write("fn/Dockerfile", "ARG PY=3.12\nFROM public.ecr.aws/lambda/python:${PY}\n")
    template = write("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n"
                                      "    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n"
                                      "    Metadata:\n      DockerContext: fn\n      DockerTag: python3.10\n"
                                      "      DockerBuildArgs:\n        PY: '3.10'\n")
    [f] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (f["path"], f["runtime"], f["line"], f["image"]) == ("template.yaml", "python3.10", 11, "public.ecr.aws/lambda/python:${PY}")
    iacfix("fix", ".")
    assert template.read_text().endswith("      DockerTag: python3.10\n      DockerBuildArgs:\n        PY: '3.13'\n")


def test_selecting_rt201_moves_no_base_image(iacfix, write):
    path = write("Dockerfile", "FROM public.ecr.aws/lambda/python:3.9\nRUN yum install -y a\n"
                               "FROM public.ecr.aws/lambda/python:3.12\nRUN yum install -y b\n")
    iacfix("fix", ".", "--select", "RT201")
    assert path.read_text() == ("FROM public.ecr.aws/lambda/python:3.9\nRUN yum install -y a\n"
                                "FROM public.ecr.aws/lambda/python:3.12\nRUN dnf install -y b\n")


def test_an_arg_holding_the_whole_image(iacfix, write):
    path = write("Dockerfile", "ARG BASE_IMAGE=public.ecr.aws/lambda/python:3.9-x86_64\nFROM ${BASE_IMAGE}\n")
    [f] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (f["line"], f["image"], f["resolved_image"]) == (2, "${BASE_IMAGE}", "public.ecr.aws/lambda/python:3.9-x86_64")
    iacfix("fix", ".")
    assert path.read_text() == "ARG BASE_IMAGE=public.ecr.aws/lambda/python:3.13-x86_64\nFROM ${BASE_IMAGE}\n"


def test_hostile_sizes_stay_linear(iacfix, write):
    import time

    many_yum = "FROM public.ecr.aws/lambda/python:3.12\nRUN " + "yum x; " * 30_000 + "\n"
    chained = "FROM public.ecr.aws/lambda/python:3.9 AS s0\n" + "".join(
        f"FROM s{i} AS s{i + 1}\nRUN yum install -y a\n" for i in range(10_000))
    for text in (many_yum, chained):
        t0 = time.perf_counter()
        located, f = facts(text)
        assert time.perf_counter() - t0 < 5, "quadratic somewhere"
    assert len(f.stages) == 10_001 and f.stages[-1].root == 0
    path = write("Dockerfile", chained[:chained.index("FROM s2000 ")])  # one fix of 2,000 edits, verified at once
    t0 = time.perf_counter()
    iacfix("fix", ".")
    assert time.perf_counter() - t0 < 10 and "yum" not in path.read_text()
