"""What the Dockerfile format hands over (``ImageRef``, ``Stage``,
``DockerfileFacts``), apart from its lexer and regular expressions, so that
the checkers that consume them can be imported without the format."""

from __future__ import annotations

from dataclasses import field

from ..records import dataclass


@dataclass
class ImageRef:
    """A base image: what it is, and where its version is written."""

    written: str  # the reference as written (``public.ecr.aws/lambda/python:${PY}``)
    resolved: str  # with build arguments substituted
    kind: str  # "lambda" (an AWS base image) or "python" (the official Python image)
    family: str  # lambda: python, nodejs, provided...; python: "python"
    version: str  # the tag's version part: 3.9, 18, al2, 8.al2
    rest: str  # what follows it in the tag: -x86_64, -slim-bookworm
    at: tuple[int, int]  # where findings point
    start: int | None = None  # where the version is written (None: it cannot be rewritten here)
    end: int | None = None
    pinned: str = ""  # why the reference is pinned (a digest, a patch release, a dated build), if it is
    blocked: str = ""  # why the version cannot be rewritten, if so
    stage: int = 0
    stage_name: str = ""
    via: str = ""  # "ARG PY", "DockerBuildArgs.PY": where the version is written, when not in FROM
    users: list[str] = field(default_factory=list)
    # When the version is written in another file's value (a template's DockerBuildArgs): that value's
    # path in its document, and how a new version is written there: version -> (text for start:end, value).
    path: tuple = ()
    spell: object = field(default=None, repr=False)
    along: list[str] = field(default_factory=list)  # what must move with it in the Dockerfile, when fixed elsewhere
    # When the Dockerfile's own default selects the same image: (its facts, its text, that ImageRef); ``along``
    # then holds this one back only if the Dockerfile's own fix does not move them.
    own: tuple | None = field(default=None, repr=False)
    dockerfile: str = ""  # for a template's build argument: the real path of the Dockerfile it feeds


@dataclass
class Stage:
    """One build stage of a Dockerfile (FROM ... AS name)."""

    index: int
    name: str
    image: int | None  # index into DockerfileFacts.images, if the stage starts from one
    parent: int | None  # the stage it starts from (FROM build AS final), if any
    line: int
    root: int = 0  # the first stage of its chain of parents: the one whose image it runs on
    yum: list[tuple[int, int]] = field(default_factory=list)  # spans of "yum" used as a command
    yum_other: list[tuple[int, int]] = field(default_factory=list)  # "yum" iacfix cannot rewrite (an argument, data)
    no_al2023: list[tuple[str, int, int]] = field(default_factory=list)  # (tool, start, end)
    paths: list[tuple[str, int, int]] = field(default_factory=list)  # the version paths written in this stage


@dataclass
class DockerfileFacts:
    """What a Dockerfile says about its base images, for the container-image checker."""

    images: list[ImageRef]
    stages: list[Stage]
    paths: list[tuple[str, int, int]]  # (python version, start, end) of version-bearing paths
    lambda_host: bool  # awslambdaric is installed or run
    bootstrap: bool  # a custom /var/runtime/bootstrap or _HANDLER
    # images iacfix does not judge whose reference build arguments write: (resolved, line, {"ARG PY", ...})
    others: list[tuple[str, int, set[str]]] = field(default_factory=list)


def split_reference(ref: str) -> tuple[str, str, str]:
    """(repository, tag, digest) of an image reference."""
    name, _, digest = ref.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1:], digest
    return name, "", digest
