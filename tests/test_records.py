"""``iacfix.records.dataclass`` behaves as ``dataclasses.dataclass``: the
standard library is the oracle.  Each case defines the same class body twice,
once under each decorator, and compares what the classes and their instances
do: repr, equality (with another class too), hashing, frozen assignment,
``fields``, ``replace``, pickling and the recorded parameters."""

import copy
import dataclasses
import pathlib
import pickle
import re
from dataclasses import FrozenInstanceError, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iacfix import records

ROOT = pathlib.Path(__file__).resolve().parent.parent


def twins(body: str, **kw):
    """The class ``body`` defines (named ``C``), decorated by the standard library and by records;
    when the standard library refuses the class, records must refuse it the same way."""
    out = []
    for deco in (dataclasses.dataclass, records.dataclass):
        ns = {"field": field, "deco": deco, "kw": kw}
        out.append(outcome(lambda: exec(f"@deco(**kw)\nclass C:\n{body}", ns) or ns["C"]))  # noqa: S102
    if out[0][0] == "raised":
        assert out[1] == out[0]
        return None
    return out[0][1], out[1][1]


def outcome(fn):
    """What calling ``fn`` gives: its value (object addresses blanked), or the type and text of what it raised."""
    try:
        value = fn()
        return ("ok", re.sub(r" at 0x[0-9a-f]+", " at 0x", value) if isinstance(value, str) else value)
    except Exception as e:  # noqa: BLE001 - any difference counts
        return ("raised", type(e).__name__, str(e))


def behaviour(cls, values: list[tuple], other_cls) -> list:
    """Everything observable about ``cls`` built from each tuple of ``values``."""
    made = [cls(*v) for v in values]
    seen = [
        cls.__hash__ is None, dataclasses.fields(cls) == dataclasses.fields(cls),
        [f.name for f in dataclasses.fields(cls)], repr(cls.__dataclass_params__),
        getattr(cls, "__match_args__", None), hasattr(cls, "__slots__"),
    ]
    for a in made:
        seen.append(outcome(lambda: repr(a)))
        seen.append(outcome(lambda: hash(a) == hash(copy.copy(a))))  # by value, or by identity
        seen.append(outcome(lambda: a == other_cls(*values[0])))  # another class: NotImplemented both ways
        seen.append(outcome(lambda: setattr(a, dataclasses.fields(cls)[0].name, "changed")))
        seen.append(outcome(lambda: delattr(a, "nothing_here")))
        seen.append(outcome(lambda: repr(dataclasses.replace(a))))
        seen.append(outcome(lambda: repr(copy.copy(a))))
        for b in made:
            seen.append(outcome(lambda: (a == b, a != b, hash(a) == hash(b))))
    return seen


BODIES = {
    "plain": "    a: int\n    b: str = 'x'\n",
    "factory and compare=False": "    a: int\n    b: list = field(default_factory=list)\n"
                                 "    c: dict = field(default_factory=dict, compare=False)\n",
    "repr=False field": "    a: int\n    b: int = field(default=0, repr=False)\n",
    "hash=False field": "    a: int\n    b: int = field(default=0, hash=False)\n",
    "hash=True, compare=False": "    a: int\n    b: int = field(default=0, hash=True, compare=False)\n",
    "one field": "    a: object\n",
    "own __eq__": "    a: int\n    def __eq__(self, other):\n        return True\n",
    "own __repr__": "    a: int\n    def __repr__(self):\n        return 'mine'\n",
    "own __hash__": "    a: int\n    def __hash__(self):\n        return 7\n",
    "no fields but a ClassVar": "    from typing import ClassVar\n    k: ClassVar[int] = 3\n",
    "init=False field": "    a: int\n    b: int = field(default=5, init=False)\n",
}
FLAGS = [{}, {"frozen": True}, {"slots": True}, {"frozen": True, "slots": True}, {"eq": False},
         {"repr": False}, {"eq": False, "frozen": True}, {"order": True}, {"unsafe_hash": True}]


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "default")
@pytest.mark.parametrize("name", list(BODIES))
def test_a_class_behaves_as_the_standard_dataclass(name, flags):
    classes = twins(BODIES[name], **flags)
    if classes is None:  # refused by both alike (an own __hash__ with unsafe_hash=True)
        return
    standard, ours = classes
    nargs = len([f for f in dataclasses.fields(standard) if f.init])
    values = [tuple(range(i, i + nargs)) for i in (1, 1, 2)] + [tuple([[1]] * nargs)]
    if nargs == 0:
        values = [()]
    other = twins("    a: int = 0\n")[0]
    assert behaviour(ours, values, other) == behaviour(standard, values, other)


def test_a_recursive_repr_says_so_as_the_standard_one_does():
    for cls in twins("    a: object = None\n"):
        x = cls()
        x.a = x
        assert repr(x) == "C(a=...)"


def test_instances_pickle_as_before():
    for cls in (records.dataclass(frozen=True)(type("P", (), {"__annotations__": {"a": int}})),):
        globals()["P"] = cls  # pickle finds classes by module and name
        cls.__module__, cls.__qualname__ = __name__, "P"
        x = cls(3)
        assert pickle.loads(pickle.dumps(x)) == x and hash(pickle.loads(pickle.dumps(x))) == hash(x)


def test_iacfix_creates_its_dataclasses_with_records():
    """A module using ``dataclasses.dataclass`` directly would bring back the exec of every method."""
    direct = re.compile(r"^from dataclasses import .*\bdataclass\b|@dataclasses\.dataclass\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for d in ("iacfix", "rules") for p in (ROOT / d).rglob("*.py")
                 if p.name != "records.py" and direct.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


names = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=0, max_size=4, unique=True)
field_flags = st.fixed_dictionaries({"repr": st.booleans(), "compare": st.booleans(),
                                     "hash": st.sampled_from([None, True, False])})


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(names=names, flags=st.lists(field_flags, min_size=4, max_size=4),
       frozen=st.booleans(), slots=st.booleans(), eq=st.booleans(), repr_=st.booleans(),
       values=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["x", "y"])), min_size=1, max_size=3))
def test_random_classes_behave_as_the_standard_dataclass(names, flags, frozen, slots, eq, repr_, values):
    body = "".join(f"    {n}: object = field(default=None, repr={f['repr']}, compare={f['compare']}, hash={f['hash']})\n"
                   for n, f in zip(names, flags)) or "    pass\n"
    classes = twins(body, frozen=frozen, slots=slots, eq=eq, repr=repr_)
    if classes is None:
        return
    standard, ours = classes
    rows = [tuple(v[i % 2] for i in range(len(names))) for v in values]
    other = twins("    a: int = 0\n")[0]
    if not names:
        rows = [()]
    assert behaviour(ours, rows, other) == behaviour(standard, rows, other)
