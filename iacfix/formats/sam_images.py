"""SAM container-image functions: the base image a ``Metadata.DockerBuildArgs``
value selects.

A function with ``PackageType: Image`` names its Dockerfile in ``Metadata``
(``DockerContext``, relative to the template's directory, and ``Dockerfile``,
relative to the context; default ``Dockerfile``).  When a build argument feeds
a ``FROM`` tag (``ARG PY`` + ``FROM public.ecr.aws/lambda/python:${PY}``), the
value in the template is a site: judged by the image it selects, fixed in the
template.

The Dockerfile is read only when it lies under the template's own directory
(symbolic links resolved): a template never makes iacfix read outside the
tree it was found in, which is under the paths being checked.  It is read as
any file is (a regular file only, within the size cap).  Whatever stands in
the way is an ``Unresolved`` note (RT102) at the build argument.
"""

from __future__ import annotations

import dataclasses
import os

from .. import deps
from ..model import FunctionCode, ParseError, Where
from ..reading import DEFAULT_MAX_FILE_SIZE, Unreadable, read_bytes
from ..unicode import encoding_of
from .dockerfile import function_code, images_for_build_args, locate_dockerfile
from .dockerfile_syntax import parse as parse_dockerfile


def dockerfile_path(template: str, context: str | None, dockerfile: str | None) -> tuple[str | None, str]:
    """(the Dockerfile's path, "") or (None, why it is not read)."""
    base = os.path.dirname(os.path.abspath(template))
    path = os.path.normpath(os.path.join(base, context or ".", dockerfile or "Dockerfile"))
    real, real_base = deps.realpath(path), deps.realpath(base)
    if os.path.commonpath([real, real_base]) != real_base:
        named = os.path.join(context or ".", dockerfile or "Dockerfile")
        inside = os.path.commonpath([deps.realpath(os.path.dirname(path)), real_base]) == real_base
        how = "is a link to a file outside" if inside else "lies outside"
        return None, f"the Dockerfile {named} {how} the template's directory; not read"
    return path, ""


def build_arg_images(template: str, context: str | None, dockerfile: str | None, values: dict[str, str]):
    """{arg: [ImageRef, ...]} (spans within each value), or the reason the Dockerfile was not read."""
    text = _dockerfile_text(template, context, dockerfile)
    if not isinstance(text, tuple):
        return text
    text, shown = text
    try:
        found = images_for_build_args(text, {k: (v, 0) for k, v in values.items()})
    except ParseError as e:
        return f"the Dockerfile {shown} does not parse ({e.message})"
    real = deps.realpath(dockerfile_path(template, context, dockerfile)[0])
    for refs in found.values():
        for ref in refs:
            ref.dockerfile = real
    return found


def image_function_code(template: str, context: str | None, dockerfile: str | None, function: str, start: int,
                        end: int, command: str | None, arm64: bool) -> FunctionCode | None:
    """The code of a SAM image function, from its Dockerfile (``image_code``):
    ``root`` relative to the template's directory, through ``DockerContext``;
    the handler is the template's ``ImageConfig.Command`` when it gives one,
    else the Dockerfile's ``CMD``.  Located at ``start``/``end`` in the template."""
    text = _dockerfile_text(template, context, dockerfile)
    if not isinstance(text, tuple):
        return FunctionCode(function, start, end, Where("resource", function, "Metadata.Dockerfile"), not_local=text)
    try:
        doc = parse_dockerfile(text[0])
    except ParseError as e:
        return FunctionCode(function, start, end, Where("resource", function, "Metadata.Dockerfile"),
                            not_local=f"the Dockerfile {text[1]} does not parse ({e.message})")
    facts = next(iter(locate_dockerfile(doc, text[0]).more), None)
    code = function_code(doc, facts, function, context or ".") if facts is not None and facts.stages else None
    if code is None:
        return None
    arch = "arm64" if arm64 else code.architecture
    return dataclasses.replace(code, start=start, end=end, handler=command or code.handler, architecture=arch,
                               where=Where("resource", function, "Metadata.Dockerfile"))


def _dockerfile_text(template: str, context: str | None, dockerfile: str | None) -> tuple[str, str] | str:
    """(the Dockerfile's text, its path as the template names it), or why it was not read."""
    path, why = dockerfile_path(template, context, dockerfile)
    if path is None:
        return why
    shown = os.path.relpath(path, os.path.dirname(os.path.abspath(template)))
    try:
        data = read_bytes(path, DEFAULT_MAX_FILE_SIZE)
        text = data.decode(encoding_of(data))
    except Unreadable as e:
        return f"the Dockerfile {shown} cannot be read ({e.message})"
    except UnicodeDecodeError:
        return f"the Dockerfile {shown} is not valid text"
    return text, shown
