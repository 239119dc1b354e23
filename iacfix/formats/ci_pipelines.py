"""CI pipelines other than GitHub Actions: the Python their jobs run on.

- **GitLab CI** (``.gitlab-ci.yml``, ``*.gitlab-ci.yml``): ``image:`` at the
  top, under ``default:`` and in each job, as a string or ``name:``, and
  ``services:`` entries; an image tag written ``python:$PY`` or
  ``python:${PY}`` resolves to ``variables:`` (top-level or the job's: a
  version, moved) and to the job's ``parallel: matrix:`` entries (a list
  of tested versions: end-of-life entries leave it), also when the job
  takes that image from a hidden job (``<<: *anchor``, ``extends:``);
- **CircleCI** (``.circleci/config.yml``): every ``image:`` of a
  ``docker:`` list naming ``cimg/python:3.N`` or ``python:3.N``, and the
  ``tag`` of the python orb's executor (``name: python/default``); a tag
  written ``<< parameters.KEY >>`` resolves to the workflows' ``matrix:
  parameters: KEY: [...]`` lists (tested versions), to the parameter's
  ``default:`` and to the ``KEY:`` a workflow passes the job (versions, moved);
- **Azure Pipelines** (``azure-pipelines.yml``, ``.azure-pipelines/*.yml``):
  ``UsePythonVersion@0``'s ``versionSpec`` (moved) and, when it reads
  ``$(VAR)``, each leg of the job's ``strategy: matrix:`` that sets ``VAR``:
  reported, not rewritten (a leg is a named job; remove it by hand); with no
  such leg, ``VAR`` in the nearest ``variables:`` (job, stage, pipeline): moved.
"""

from __future__ import annotations

import re

from ..model import Where
from . import register
from .ci_yaml import MappingNode, SequenceNode, Sites, YamlFormat, get, items, text_of

_GITLAB_KEYWORDS = {"image", "services", "stages", "variables", "default", "include", "workflow", "before_script",
                    "after_script", "cache", "pages"}
_DOLLAR = re.compile(r"\$\{?(\w+)\}?")
_CIRCLE_PARAM = re.compile(r"<<\s*(?:pipeline\.)?parameters\.([\w-]+)\s*>>")
_AZURE_VAR = re.compile(r"\$\(([\w.]+)\)")


class _Pipeline(Sites):
    def image_node(self, image, path, where):
        """``image: x`` or ``image: {name: x}``: its site, or the variable its tag names."""
        if text_of(image) is None:
            image, path = get(image, "name"), (*path, "name")
        if image is None:
            return None
        return self.image(image, path, where)


def _variable(image: str) -> str | None:
    """``python:$PY`` / ``python:${PY}-slim`` -> ``PY``."""
    if "python" not in image or ":" not in image:
        return None
    m = _DOLLAR.fullmatch(image.rsplit(":", 1)[1].split("-")[0])
    return m.group(1) if m else None


def _inherited(job, key: str, root, seen=None):
    """The image (its name) a GitLab job takes from what it merges (``<<``) or
    ``extends:`` (the last named wins), or None."""
    seen = seen if seen is not None else set()
    if id(job) in seen or not isinstance(job, MappingNode):
        return None
    seen.add(id(job))
    found = get(job, key)
    if found is not None:
        return found if text_of(found) is not None else get(found, "name")
    merges = get(job, "<<")
    extends = get(job, "extends")
    parents = list(merges.value) if isinstance(merges, SequenceNode) else [merges]
    names = extends.value if isinstance(extends, SequenceNode) else [extends] if extends is not None else []
    parents = [get(root, text_of(n) or "") for n in reversed(names)] + parents
    for parent in parents:
        found = _inherited(parent, key, root, seen)
        if found is not None:
            return found
    return None


class _GitLab(_Pipeline):
    def image(self, node, path, where, kind="ci-image"):
        """Also resolves ``python:$VAR`` / ``python:${VAR}`` tags: returns VAR."""
        key = super().image(node, path, where, kind)
        return key if key is not None else _variable(text_of(node) or "")

    def walk(self, root) -> None:
        top_vars = get(root, "variables")
        self.root = root
        for name, job in items(root):
            job_name = text_of(name)
            if job_name is None or not isinstance(job, MappingNode):
                continue
            if job_name in _GITLAB_KEYWORDS and job_name != "default":
                continue
            self.job(job_name, job, top_vars)
        image = get(root, "image")
        if image is not None:
            self.uses(self.image_node(image, ("image",), Where("ci", "pipeline", "image")), None, top_vars, ())

    def job(self, name: str, job, top_vars) -> None:
        where = Where("ci", f"job {name}", "image")
        names = []
        image = get(job, "image")
        if image is not None:
            names.append(self.image_node(image, (name, "image"), where))
        services = get(job, "services")
        for i, svc in enumerate(services.value if isinstance(services, SequenceNode) else ()):
            names.append(self.image_node(svc, (name, "services", i), Where("ci", f"job {name}", "services")))
        for key in {n for n in names if n}:
            self.uses(key, job, top_vars, (name,), name)
        if image is None:
            # An image the job takes from a hidden job (``<<: *anchor`` or ``extends:``) is reported
            # there; a variable in its tag is resolved here too, to this job's matrix and variables.
            key = _variable(text_of(_inherited(job, "image", self.root)) or "")
            if key:
                self.uses(key, job, None, (name,), name)

    def uses(self, key, job, top_vars, path, name="pipeline") -> None:
        """Resolve ``$KEY`` in an image tag: the job's parallel matrix, its variables, the pipeline's."""
        if not key:
            return
        matrix = get(get(job, "parallel"), "matrix")
        for i, entry in enumerate(matrix.value if isinstance(matrix, SequenceNode) else ()):
            node = get(entry, key)
            if node is not None:
                self.tested(node, (*path, "parallel", "matrix", i, key), Where("ci", f"job {name}", f"matrix {key}"))
        for owner, base in ((get(job, "variables"), (*path, "variables")), (top_vars, ("variables",))):
            node = get(owner, key)
            if node is not None:
                value = get(node, "value") if isinstance(node, MappingNode) else node
                sub = ("value",) if value is not node else ()
                self.scalar(value, (*base, key, *sub), Where("ci", "variables" if owner is top_vars else
                                                            f"job {name} variables", key))
                return


@register
class GitLabCI(YamlFormat):
    name = "gitlab-ci"
    filenames = (".gitlab-ci.yml",)
    globs = ("*.gitlab-ci.yml",)
    walker = _GitLab


class _Circle(_Pipeline):
    def walk(self, root) -> None:
        params: set[str] = set()
        invoked: dict[str, str] = {}  # job -> the parameter its image tag reads
        for section in ("jobs", "executors"):
            for name, spec in items(get(root, section)):
                docker = get(spec, "docker")
                for i, entry in enumerate(docker.value if isinstance(docker, SequenceNode) else ()):
                    image = get(entry, "image")
                    if image is None:
                        continue
                    where = Where("ci", f"{section[:-1]} {name.value}", "docker image")
                    self.image(image, (section, name.value, "docker", i, "image"), where)
                    m = _CIRCLE_PARAM.search(text_of(image) or "")
                    if m and "python" in image.value:
                        params.add(m.group(1))
                        default = get(get(get(spec, "parameters"), m.group(1)), "default")
                        if default is not None:  # the version a job runs on when not given one
                            self.scalar(default, (section, name.value, "parameters", m.group(1), "default"),
                                        Where("ci", f"{section[:-1]} {name.value}", f"parameter {m.group(1)}"))
                        if section == "jobs":
                            invoked[name.value] = m.group(1)
                executor = get(spec, "executor")  # the python orb's executor: {name: python/default, tag: "3.9"}
                if (text_of(get(executor, "name")) or "").startswith("python/") and get(executor, "tag") is not None:
                    self.scalar(get(executor, "tag"), (section, name.value, "executor", "tag"),
                                Where("ci", f"{section[:-1]} {name.value}", "python orb executor tag"))
        if not params:
            return
        for wf, spec in items(get(root, "workflows")):
            jobs = get(spec, "jobs")
            for i, job in enumerate(jobs.value if isinstance(jobs, SequenceNode) else ()):
                for job_name, body in items(job):
                    key = invoked.get(job_name.value)
                    if key and get(body, key) is not None:  # - test: {python-version: "3.10"}
                        self.scalar(get(body, key), ("workflows", wf.value, "jobs", i, job_name.value, key),
                                    Where("ci", f"workflow {wf.value} job {job_name.value}", key))
                    matrix = get(get(body, "matrix"), "parameters")
                    for key in params:
                        node = get(matrix, key)
                        if node is not None:
                            self.tested(node, ("workflows", wf.value, "jobs", i, job_name.value, "matrix",
                                               "parameters", key),
                                        Where("ci", f"workflow {wf.value} job {job_name.value}", f"matrix {key}"))


@register
class CircleCI(YamlFormat):
    name = "circleci"
    paths = (".circleci/config.yml", ".circleci/config.yaml")
    walker = _Circle


class _Azure(_Pipeline):
    def walk(self, node, path=(), matrix=None, job="pipeline", scopes=()) -> None:
        """Every UsePythonVersion task, with the nearest strategy matrix above
        it and the ``variables:`` of the pipeline, stage and job (nearest first)."""
        if isinstance(node, MappingNode):
            strategy = get(get(node, "strategy"), "matrix")
            if strategy is not None:
                matrix = (strategy, (*path, "strategy", "matrix"))
            variables = get(node, "variables")
            if variables is not None:
                scopes = ((variables, (*path, "variables")), *scopes)
            job = text_of(get(node, "job")) or text_of(get(node, "stage")) or job
            task = text_of(get(node, "task")) or ""
            if task.startswith("UsePythonVersion@"):
                spec = get(get(node, "inputs"), "versionSpec")
                if spec is not None:
                    self.task(spec, (*path, "inputs", "versionSpec"), matrix, job, scopes)
            for k, v in node.value:
                if text_of(k) is not None:
                    self.walk(v, (*path, k.value), matrix, job, scopes)
        elif isinstance(node, SequenceNode):
            for i, v in enumerate(node.value):
                self.walk(v, (*path, i), matrix, job, scopes)

    def task(self, spec, path, matrix, job, scopes=()) -> None:
        m = _AZURE_VAR.fullmatch((text_of(spec) or "").strip())
        if m is None:
            self.scalar(spec, path, Where("ci", f"job {job}", "UsePythonVersion versionSpec"))
            return
        name, legs = m.group(1), 0
        if matrix is not None:
            node, base = matrix
            for leg, variables in items(node):
                value = get(variables, name)
                if value is not None:
                    legs += 1
                    site = self.scalar(value, (*base, leg.value, name),
                                       Where("ci", f"job {job}", f"matrix leg {leg.value}"))
                    if site is not None and site.blocked is None:
                        site.blocked = f"a leg of a strategy matrix ({leg.value}); remove or rename the leg by hand"
        if not legs:
            self.variable(name, scopes)

    def variable(self, name: str, scopes) -> None:
        """``$(NAME)`` set in the nearest ``variables:`` (a mapping, or a list of ``name:``/``value:``)."""
        for variables, base in scopes:
            if isinstance(variables, SequenceNode):
                found = [(get(v, "value"), (*base, i, "value")) for i, v in enumerate(variables.value)
                         if text_of(get(v, "name")) == name and get(v, "value") is not None]
            else:
                found = [(get(variables, name), (*base, name))] if get(variables, name) is not None else []
            if found:
                value, at = found[0]
                if all(s.start != self.span(value)[0] for s in self.sites):  # one site, however many tasks read it
                    self.scalar(value, at, Where("ci", "variables", name))
                return


@register
class AzurePipelines(YamlFormat):
    name = "azure-pipelines"
    filenames = ("azure-pipelines.yml", "azure-pipelines.yaml")
    paths = (".azure-pipelines/*.yml", ".azure-pipelines/*.yaml")
    walker = _Azure
    needle = b"UsePythonVersion"
