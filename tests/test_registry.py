"""Formats are chosen by file name and content; adding one is one class and
one registration.  A toy format for Lambda base images (a one-line cousin of
the real Dockerfile format, under its own names: ``Toyfile``, ``*.toyfile``)
goes through discovery, checking and fixing with no other change to iacfix."""

import re

import pytest

from conftest import CFN_HEAD, lambda_function
from iacfix import formats
from iacfix.discovery import Discovery
from iacfix.formats import Format
from iacfix.model import Located, Site, Where

FROM = re.compile(r"^FROM[ \t]+public\.ecr\.aws/lambda/python:(3\.\d+)", re.M)


class ToyDockerfile(Format):
    name = "toy-dockerfile"
    filenames = ("Toyfile", "Toycontainerfile")
    globs = ("Toyfile.*", "*.toyfile")

    def sniff(self, data):
        return data.startswith(b"FROM ")

    def prefilter(self, data):
        return b"lambda/python" in data

    def parse(self, text):
        return [(m.group(1), m.start(1), m.end(1)) for m in FROM.finditer(text)]

    def locate(self, doc, text):
        sites = [Site(value=f"python{v}", start=s, end=e, path=(i,), kind="property", where=Where("value", "FROM"),
                      spell=lambda target: (target.removeprefix("python"), target.removeprefix("python")))
                 for i, (v, s, e) in enumerate(doc)]
        return Located(sites, [])

    def semantic(self, doc):
        return [v for v, _, _ in doc]


@pytest.fixture
def toy():
    saved = (list(formats.FORMATS), dict(formats._BY_FILENAME), list(formats._GLOBS), dict(formats._BY_NAME))
    formats.register(ToyDockerfile)
    yield
    formats.FORMATS[:], formats._GLOBS[:] = saved[0], saved[2]
    formats._BY_FILENAME.clear(), formats._BY_FILENAME.update(saved[1])
    formats._BY_NAME.clear(), formats._BY_NAME.update(saved[3])
    formats._for_name.cache_clear()


@pytest.mark.parametrize("name, owner", [
    ("template.yaml", "cloudformation"), ("main.tf.json", "terraform"), ("x.TF", "terraform"),
    ("stack.py", "cdk-python"), ("Dockerfile", "dockerfile"), ("Containerfile.prod", "dockerfile"),
    ("api.Dockerfile", "dockerfile"), ("x.dockerfile", "dockerfile"), ("Toyfile", None), ("README", None),
    ("notes.txt", None),
])
def test_names_claim_files(name, owner):
    fmt = formats.for_path(f"some/dir/{name}")
    assert (fmt.name if fmt else None) == owner


def test_a_format_claims_names_and_globs_before_extensions(toy):
    for name in ("Toyfile", "Toycontainerfile", "Toyfile.prod", "api.toyfile"):
        assert formats.for_path(f"svc/{name}").name == "toy-dockerfile", name
    assert formats.for_path("svc/toyfile.yaml").name == "cloudformation"  # case matters for names


def test_discovery_hands_extensionless_files_to_the_format_that_claims_them(toy, tmp_path, write):
    for name in ("Toyfile", "Makefile", "api.toyfile", "LICENSE"):
        write(f"svc/{name}", "FROM x\n")
    found = sorted(p.rsplit("/", 1)[1] for p in Discovery(formats.claims).files([str(tmp_path)]))
    assert found == ["Toyfile", "api.toyfile"]


def test_a_new_format_goes_through_check_and_fix_unchanged(toy, iacfix, write):
    docker = write("fn/Toyfile", "# base\nFROM public.ecr.aws/lambda/python:3.9 AS build\nRUN pip install -r requirements.txt\n")
    run = iacfix("check", ".", "--format", "json")
    [finding] = run.json["findings"]
    assert (finding["rule"], finding["runtime"], finding["line"], finding["column"]) == ("RT003", "python3.9", 2, 35)
    assert finding["fix"]["edits"][0]["content"] == "3.13"
    iacfix("fix", ".")
    assert docker.read_text() == "# base\nFROM public.ecr.aws/lambda/python:3.13 AS build\nRUN pip install -r requirements.txt\n"


def test_a_file_named_explicitly_that_no_name_claims_is_sniffed(iacfix, write):
    write("stack.txt", CFN_HEAD + "Resources:\n" + lambda_function("python3.9"))
    write("notes.txt", "nothing to see\n")
    assert [f["rule"] for f in iacfix("check", "stack.txt", "notes.txt", "--format", "json").json["findings"]] == ["RT003"]
    assert iacfix("check", ".", "--format", "json").json["findings"] == []  # walking: only claimed names
