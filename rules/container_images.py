"""Base images of container images, judged like runtimes, and the package
manager that must move with them.

An AWS Lambda base image stands for a Lambda runtime (``catalog.images``,
else AWS SAM CLI's naming rule, the catalog's cited source: ``python3.12`` is
``python:3.12``, ``nodejs20.x`` is ``nodejs:20``, ``provided.al2`` is
``provided:al2``, ``provided`` is ``provided:alami``); the official Python
image stands for a CPython version (provider ``cpython``).  Either is judged by
the lifecycle rules (RT001-RT005, ``lifecycle.classify``).

A Dockerfile gets one fix, all or nothing: every flagged base moved to the
target (registry, repository, architecture suffix and variant kept), the
build argument that writes its version, the paths that name that Python
version, and ``yum`` -> ``dnf`` in every stage that runs Amazon Linux 2023
afterwards.  When one base cannot move (a digest, a patch release, python2.7,
``amazon-linux-extras`` in its stage), none moves, and each finding says why.
"""

from __future__ import annotations

from iacfix.formats.image_refs import DockerfileFacts, ImageRef, split_reference
from iacfix.model import SAFE, UNSAFE, Edit, Expectation, Finding, Fix, Site, Where
from iacfix.targets import DEFAULT_FAMILY, suggestion, target_for, unfit

from . import ERROR, RULES, WARNING, Checker, Context, Rule, checker, register
from .lifecycle import classify
from .runtime_sites import _no_fix
from .wording import deadline_clause, image_clause

LAMBDA_REPOSITORY = "public.ecr.aws/lambda/"
AL2023 = "AL2023"
# AWS SAM CLI's rule from runtime id to image tag (the source of catalog.images), read backwards.
_SAM_NAMES = {"python": "python{}", "nodejs": "nodejs{}.x", "java": "java{}", "dotnet": "dotnet{}", "ruby": "ruby{}",
              "go": "go{}.x"}
_PROVIDED = {"al2": "provided.al2", "al2023": "provided.al2023", "alami": "provided"}
PYTHON2 = ("Python 2 code does not run on Python 3: port the function (and drop a custom /var/runtime/bootstrap), "
           "then move the base image by hand")


@register
class YumOnAl2023(Rule):
    """## What it does
    Flags `yum` run in a Dockerfile stage whose base image is an Amazon
    Linux 2023 Lambda image (`public.ecr.aws/lambda/python:3.12` and later,
    `provided:al2023`, `nodejs:20` and later...).

    ## Why is this bad
    The AL2023 Lambda base images ship `microdnf`, linked as `dnf`, and no
    `yum`: the build fails with `yum: command not found`.

    ## Example
    ```dockerfile
    FROM public.ecr.aws/lambda/python:3.13
    RUN yum install -y gcc && yum clean all
    ```
    Use instead: `RUN dnf install -y gcc && dnf clean all`.

    ## Fix safety
    Safe: `yum` becomes `dnf` with the same arguments.  When `iacfix fix`
    moves a base image from Amazon Linux 2 to AL2023, the same rewrite is part
    of that fix.
    """

    code = "RT201"
    name = "yum-on-al2023"
    severity = ERROR
    summary = "the Amazon Linux 2023 Lambda base images have no yum; use dnf"
    url = "https://docs.aws.amazon.com/linux/al2023/ug/package-management.html"
    tags = ("aws", "lambda", "container-image")


@register
class NoAl2023Equivalent(Rule):
    """## What it does
    Flags `amazon-linux-extras` and `yum-config-manager` in a Dockerfile
    stage whose base image is, or would be moved to, an Amazon Linux 2023
    Lambda image.

    ## Why is this bad
    Neither tool exists on AL2023 and neither has a drop-in replacement:
    AL2023 has no extras topics (packages come from its own repositories),
    and repository configuration is done with `dnf config-manager` (a plugin
    the minimal Lambda images do not ship) or by writing a `.repo` file.  So
    iacfix does not move such a stage's base image: the build would break.

    ## Example
    ```dockerfile
    FROM public.ecr.aws/lambda/python:3.13
    RUN amazon-linux-extras install -y epel
    ```
    On `python:3.9` (Amazon Linux 2) the same line is reported too, and keeps
    `iacfix fix` from moving that stage to `python:3.13`.

    ## Fix safety
    Never fixed automatically: rewrite the step for AL2023, then run
    `iacfix fix` again to move the base image.
    """

    code = "RT202"
    name = "no-al2023-equivalent"
    severity = WARNING
    summary = "no drop-in replacement on Amazon Linux 2023 for amazon-linux-extras or yum-config-manager"
    url = "https://docs.aws.amazon.com/linux/al2023/ug/compare-with-al2.html"
    tags = ("aws", "lambda", "container-image")
    fix_safety = "never"


def runtime_of(ref: ImageRef, catalog):
    """The runtime (or CPython version) a base image stands for; None if unknown."""
    if ref.kind == "python":
        return catalog.get(ref.version, "cpython")
    image = catalog.images.get((LAMBDA_REPOSITORY + ref.family, ref.version))
    if image is not None:
        return catalog.get(image.runtime)
    if ref.family == "provided":
        name = _PROVIDED.get(ref.version)
    else:
        name = _SAM_NAMES[ref.family].format(ref.version) if ref.family in _SAM_NAMES else None
    return catalog.get(name) if name else None


def tag_of(ref: ImageRef, rt, catalog) -> str | None:
    """How ``ref``'s repository writes the version of runtime ``rt`` in a tag."""
    if ref.kind == "python":
        return rt.id if rt.provider == "cpython" else None
    tags = [tag for (repo, tag), image in catalog.images.items()
            if repo == LAMBDA_REPOSITORY + ref.family and image.runtime == rt.id and tag != "latest"]
    return tags[0] if tags else None


def written(ref: ImageRef, version: str) -> str:
    """``ref`` as resolved, with its version in the tag (a patch release, a dated build or a digest dropped)."""
    repository = split_reference(ref.resolved)[0]
    return f"{repository}:{version}{ref.rest}"


def os_only_successor(rt, ctx: Context):
    """The catalog's successor of an OS-only runtime (provided.al2 -> provided.al2023), if no rule flags it."""
    successor = ctx.catalog.get(rt.successor or "", rt.provider)
    return successor if successor is not None and successor.id != rt.id and unfit(successor, ctx) is None else None


def _finding_at(rule, file, start: int, end: int, message: str, **kw) -> Finding:
    line, col = file.positions.at(start)
    end_line, end_col = file.positions.at(end)
    return Finding(rule=rule.code, severity=rule.severity, path=file.path, line=line, column=col, end_line=end_line,
                   end_column=end_col, message=message, **kw)


class _Plan:
    """One image: its judgement, its finding, and what moving it takes."""

    def __init__(self, ref: ImageRef, rt, rule, finding: Finding | None, target, new: str | None):
        self.ref, self.rt, self.rule, self.finding, self.target, self.new = ref, rt, rule, finding, target, new
        self.moves = False
        self.stuck: str | None = None


def _given(path: str, ctx: Context) -> bool:
    """Whether this run may write ``path`` (a real path): it lies under the paths given."""
    import os

    return not ctx.roots or any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in ctx.roots)


@checker
class ContainerImages(Checker):
    consumes = (DockerfileFacts, ImageRef)

    def check(self, items: list, file, ctx: Context) -> list[Finding]:
        out = []
        for item in items:
            if isinstance(item, DockerfileFacts):
                out += self._dockerfile(item, file, ctx)
            else:
                if item.own is not None and self._own_fix_moves(item, file, ctx):
                    if _given(item.dockerfile, ctx):
                        item.along = []  # the Dockerfile's own fix moves them, in this same run
                    else:  # fix template.yaml alone: the Dockerfile keeps its yum and paths
                        item.blocked = (f"the Dockerfile also has {', '.join(item.along)}, which must move with the "
                                        "image, and it is not among the paths given: name the Dockerfile too")
                        item.along = []
                plans, findings = self._judge([item], None, file, ctx)
                self._build_fix(plans, [], file, ctx, findings)
                out += findings
        return out

    def _own_fix_moves(self, ref: ImageRef, file, ctx: Context) -> bool:
        """Whether the Dockerfile's own fix moves the image its default selects (with its yum and paths)."""
        from iacfix.engine import FileView

        facts, text, own = ref.own
        dockerfile = FileView(file.path, text)
        at = dockerfile.positions.at(own.at[0])
        return any(f.fixable for f in self._dockerfile(facts, dockerfile, ctx) if (f.line, f.column) == at)

    # -- judging ------------------------------------------------------------------
    def _judge(self, refs: list[ImageRef], facts: DockerfileFacts | None, file, ctx: Context):
        plans, findings = [], []
        for ref in refs:
            rt = runtime_of(ref, ctx.catalog)
            if rt is None:
                unknown = RULES["RT101"]
                if ctx.selected(unknown.code) and any(c.isdigit() for c in ref.version):
                    findings.append(self._finding(unknown, file, ref, (
                        f"{ref.resolved}: iacfix does not know which runtime this {ref.family} image tag provides "
                        f"(catalog checked {ctx.catalog.last_checked}) {image_clause(ref, facts)}").strip(),
                        runtime=None, provider="aws" if ref.kind == "lambda" else "cpython",
                        fix_unavailable="iacfix does not know this image tag"))
                continue
            rule = classify(rt, ctx)
            if rule is None:
                plans.append(_Plan(ref, rt, None, None, None, None))
                continue
            blocked = self._blocked(ref, rt, facts)
            if rt.family == "provided":  # an OS-only base moves to its successor whatever the target's language
                target = os_only_successor(rt, ctx)
                why, stuck = ((blocked, True) if blocked else (None, False)) if target else \
                    (f"{rt.id} has no successor free of lifecycle findings on {ctx.as_of}", False)
            else:
                target = target_for(ctx, rt.provider)
                site = Site(value=rt.id, start=ref.start or 0, end=ref.end or 0, path=(), kind="image",
                            provider=rt.provider, quote="" if ref.start is not None else None,
                            where=Where("image", ref.written), blocked=blocked)
                why, stuck = _no_fix(site, rt, target, ctx)
            new = tag_of(ref, target, ctx.catalog) if target is not None else None
            if why is None and new is None:
                why, stuck = f"{ref.family} images have no tag for {target.id} in the catalog", True
            plan = _Plan(ref, rt, rule, None, target, new)
            plan.stuck = why if stuck else None
            if ctx.selected(rule.code):
                plan.finding = self._finding(rule, file, ref, self._message(rule, rt, ref, facts, ctx, blocked),
                                             runtime=rt.id, provider=rt.provider, deadlines=rt.deadlines())
                plan.finding.fix_unavailable = why
                findings.append(plan.finding)
            plan.moves = why is None and plan.finding is not None  # a deselected rule moves nothing
            plans.append(plan)
        return plans, findings

    @staticmethod
    def _blocked(ref: ImageRef, rt, facts) -> str | None:
        if rt.family == "python" and rt.version_key[:1] == (2,):
            return PYTHON2
        if ref.along:
            return (f"the Dockerfile also has {', '.join(ref.along)}, which must move with the image; "
                    "change the template and the Dockerfile together by hand")
        if ref.pinned:
            what = {"a digest": "pins a digest", "a patch release": "pins a patch release",
                    "a dated build tag": "pins a dated build"}[ref.pinned]
            return f"the reference {what}; iacfix cannot know the new one: choose it and change it by hand"
        return ref.blocked or None

    @staticmethod
    def _finding(rule, file, ref: ImageRef, message: str, **kw) -> Finding:
        f = _finding_at(rule, file, *ref.at, message, users=list(ref.users), **kw)
        f.data = {"image": ref.written}
        if ref.resolved != ref.written:
            f.data["resolved_image"] = ref.resolved
        return f

    @staticmethod
    def _message(rule, rt, ref: ImageRef, facts, ctx: Context, blocked: str | None) -> str:
        headline = rule.headline(rt, ctx)
        parts = [headline, deadline_clause(rt, headline, ctx)]
        move_to = suggestion(rt, ctx) if rt.family != "provided" else getattr(os_only_successor(rt, ctx), "id", None)
        if move_to:
            better = ctx.catalog.get(move_to, rt.provider)
            tag = tag_of(ref, better, ctx.catalog) if better is not None else None
            parts.append(f"move to {written(ref, tag) if tag else move_to}")
        elif ctx.target is None and ctx.no_target and rt.family == DEFAULT_FAMILY:
            parts.append(ctx.no_target)
        if blocked:
            parts.append(f"not rewritten: {blocked}")
        return "; ".join(p for p in parts if p) + f" {image_clause(ref, facts, rt)}"

    # -- a Dockerfile -----------------------------------------------------------------
    def _dockerfile(self, facts: DockerfileFacts, file, ctx: Context) -> list[Finding]:
        plans, findings = self._judge(facts.images, facts, file, ctx)
        by_stage = {p.ref.stage: p for p in plans}
        stages = facts.stages

        def os_of(stage, after: bool) -> str | None:
            plan = by_stage.get(stage.root)
            if plan is None or plan.ref.kind != "lambda":
                return None
            rt = plan.target if after and plan.moves else plan.rt
            return rt.os

        # A stage moved to AL2023 must not run a tool AL2023 lacks.
        blockers = []
        for stage in stages:
            if stage.no_al2023 and os_of(stage, True) == AL2023 and os_of(stage, False) != AL2023:
                tool, start, _ = stage.no_al2023[0]
                line = file.positions.at(start)[0]
                plan = by_stage[stage.root]
                plan.stuck = plan.stuck or (f"stage {stage.name or stage.index} runs {tool} (line {line}), which has "
                                            "no equivalent on Amazon Linux 2023; rewrite that step first")
                plan.moves = False
                blockers.append((stage, plan))
            elif stage.yum_other and os_of(stage, True) == AL2023 and os_of(stage, False) != AL2023:
                line = file.positions.at(stage.yum_other[0][0])[0]
                self._hold(by_stage[stage.root], facts, (
                    f"stage {stage.name or stage.index} uses yum (line {line}) in a way iacfix does not rewrite "
                    "(an argument, sh -c, data a command reads); Amazon Linux 2023 has no yum: change it to dnf "
                    "by hand first"))
        # A version path in a stage whose base does not move with it (a build image iacfix does not judge).
        moving = {p.ref.version: p for p in plans if p.moves and p.rt.family == "python"}
        for stage in stages:
            plan = by_stage.get(stage.root)
            for version, start, end in stage.paths:
                if version in moving and not (plan is not None and plan.moves and plan.rt.family == "python"):
                    image = f" {plan.ref.written}" if plan is not None else ""
                    self._hold(moving[version], facts, (
                        f"python{version} (path or pip, line {file.positions.at(start)[0]}) is in stage "
                        f"{stage.name or stage.index}, whose base{image} iacfix does not move with it; "
                        "move that stage's base by hand first"))
        self._all_or_nothing(plans, facts, file)
        for stage, plan in blockers:
            findings += self._no_equivalent(stage, file, ctx, f"blocks moving {plan.ref.written} to "
                                            f"{written(plan.ref, plan.new)}" if plan.new else "blocks moving the base")
        yum = []
        for stage in stages:
            now, after = os_of(stage, False), os_of(stage, True)
            if now == AL2023:
                if stage.no_al2023:
                    findings += self._no_equivalent(stage, file, ctx, "the build fails on this base")
                rule = RULES["RT201"]
                if ctx.selected(rule.code):
                    findings += [_finding_at(rule, file, start, end, f"yum is not installed on Amazon Linux 2023 "
                                             f"(stage {stage.name or stage.index}); use dnf with the same arguments",
                                             provider="aws") for start, end in stage.yum]
                    yum += stage.yum
            elif after == AL2023:
                yum += stage.yum
        self._build_fix(plans, yum, file, ctx, findings, facts)
        return findings

    @staticmethod
    def _hold(plan: _Plan, facts: DockerfileFacts, why: str) -> None:
        """Keep ``plan``'s base where it is, for a reason no other finding states: its message says it."""
        if plan.finding is not None and not plan.stuck:
            clause = " " + image_clause(plan.ref, facts, plan.rt)
            head = plan.finding.message.removesuffix(clause)
            plan.finding.message = f"{head}; not rewritten: {why}{clause if head != plan.finding.message else ''}"
        plan.stuck = plan.stuck or why
        plan.moves = False

    def _no_equivalent(self, stage, file, ctx: Context, why: str) -> list[Finding]:
        rule = RULES["RT202"]
        if not ctx.selected(rule.code):
            return []
        out = []
        for tool, start, end in stage.no_al2023:
            replacement = ("AL2023 has no extras topics: install from its repositories with dnf"
                           if tool == "amazon-linux-extras" else
                           "write a .repo file under /etc/yum.repos.d (dnf config-manager is not in the minimal image)")
            out.append(_finding_at(rule, file, start, end,
                                   f"{tool} does not exist on Amazon Linux 2023 ({replacement}); {why}",
                                   provider="aws", data={"tool": tool},
                                   fix_unavailable=f"{tool} has no drop-in replacement on Amazon Linux 2023"))
        return out

    @staticmethod
    def _all_or_nothing(plans: list[_Plan], facts: DockerfileFacts, file) -> None:
        """One base that should move but cannot holds back every other (one edit per file)."""
        # A version written once for several images (one ARG) moves only if all of them move to the same text.
        spans: dict[tuple, list[_Plan]] = {}
        for p in plans:
            if p.ref.start is not None:
                spans.setdefault((p.ref.start, p.ref.end), []).append(p)
        for group in spans.values():
            if any(p.moves for p in group) and len({p.new if p.moves else None for p in group}) > 1:
                still = next(p for p in group if not p.moves or p.new != group[0].new)
                for p in group:
                    p.stuck = p.stuck or f"{p.ref.via or 'its version'} also selects {still.ref.written} (line " \
                                         f"{file.positions.at(still.ref.at[0])[0]}), which would move differently"
                    p.moves = False
        # Paths naming a Python version move with it, so that version must move everywhere or nowhere.
        versions = {p.ref.version for p in plans if p.moves and p.rt.family == "python"}
        staying = {p.ref.version for p in plans if p.rt.family == "python" and not p.moves}
        shared = (({v for v, _, _ in facts.paths} & versions & staying)
                  if facts and not any(p.stuck for p in plans) else set())
        for p in plans:
            if p.moves and p.ref.version in shared:
                p.stuck = f"paths naming python{p.ref.version} also serve an image that does not move"
                p.moves = False
        stuck = [p for p in plans if p.stuck]
        if not stuck:
            return
        first = stuck[0]
        where = f"{first.ref.written} (line {file.positions.at(first.ref.at[0])[0]})"
        for p in plans:
            if p.finding is not None and p.stuck:
                p.finding.fix_unavailable = p.stuck
            elif p.finding is not None and p.moves:
                p.finding.fix_unavailable = (f"moves together with {where}, which cannot move ({first.stuck}); "
                                             "one edit per file, all or nothing")
            p.moves = False

    def _build_fix(self, plans: list[_Plan], yum: list, file, ctx: Context, findings: list[Finding],
                   facts: DockerfileFacts | None = None) -> None:
        moving = [p for p in plans if p.moves]
        edits: dict[tuple, str] = {}
        expect = []
        for p in moving:
            if p.ref.spell is not None:  # a value in another format (a template's DockerBuildArgs)
                text, value = p.ref.spell(p.new)
                expect.append(Expectation(p.ref.path, value=value))
            else:
                text = p.new
            edits[(p.ref.start, p.ref.end)] = text
        versions = {p.ref.version: p.new for p in moving if p.rt.family == "python"}
        for version, start, end in (facts.paths if facts else ()):
            if version in versions:
                edits[(start, end)] = versions[version]
        for start, end in yum:
            edits[(start, end)] = "dnf"
        if not edits:
            return
        edit_list = tuple(Edit(s, e, t) for (s, e), t in sorted(edits.items()))
        unsafe = any(p.rt.version_key[:1] != p.target.version_key[:1] for p in moving)
        applicability = UNSAFE if unsafe else SAFE
        parts = []
        if moving:
            parts.append("Move " + ", ".join(dict.fromkeys(f"{p.ref.written} to {written(p.ref, p.new)}"
                                                          for p in moving)))
        moved_paths = sum(1 for v, _, _ in (facts.paths if facts else ()) if v in versions)
        if moved_paths:
            parts.append(f"{moved_paths} version path{'s' if moved_paths > 1 else ''} with it")
        if yum:
            parts.append(f"yum -> dnf ({len(yum)})")
        title = "; ".join(parts) + (" (unsafe: crosses a major version)" if unsafe else "")
        notes = [f"{p.ref.resolved if p.ref.path else p.ref.written}: the base moves from {p.rt.os} to "
                 f"{p.target.os}; rebuild and test the image (native wheels, system packages)"
                 for p in moving if p.rt.os and p.target.os and p.rt.os != p.target.os]
        notes += [f"{p.ref.via} also selects {image} (line {line}), which iacfix does not judge: check that it "
                  f"exists for {p.new} before building" for p in moving if p.ref.via and p.ref.spell is None
                  for image, line, labels in (facts.others if facts else ()) if p.ref.via in labels]
        at = file.positions.at
        fix = Fix(title=title, applicability=applicability, edits=edit_list,
                  expect=tuple(expect) if expect else tuple(Expectation(("span", e.start, e.end), e.text)
                                                            for e in edit_list),
                  notes=tuple(dict.fromkeys(notes)), lines=tuple((*at(e.start), *at(e.end)) for e in edit_list))
        for p in moving:
            if p.finding is not None:
                p.finding.fix = fix
        for f in findings:
            if f.rule == "RT201":
                f.fix = fix
        for f in findings:
            f.fixable = f.fix is not None and (f.fix.applicability == SAFE or ctx.unsafe_fixes)
