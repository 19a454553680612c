"""Entry, Plan and Appointment have their methods written out in models.py (so that no code
is generated for them at every start); they must do exactly what ``@dataclass(frozen=True)``
would generate from the same fields. Each is compared here with that dataclass, made now."""

from __future__ import annotations

import dataclasses
import inspect
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from cart_cli.models import Appointment, Entry, Plan

CLASSES = (Entry, Plan, Appointment)


def reference(cls: type) -> type:
    """The class @dataclass(frozen=True) makes from ``cls``'s fields."""
    spec = [
        (f.name, f.type, dataclasses.field(default=f.default, compare=f.compare))
        for f in dataclasses.fields(cls)
    ]
    for index, (name, kind, made) in enumerate(spec):
        if made.default is dataclasses.MISSING:
            spec[index] = (name, kind)  # type: ignore[assignment]
    made_class = dataclasses.make_dataclass(cls.__name__, spec, frozen=True)
    made_class.__qualname__ = cls.__qualname__
    return made_class


def value_for(field: dataclasses.Field[object], rng: random.Random) -> object:
    """A value of the field's type, or one of a few shared values, so that equal pairs occur."""
    kind = str(field.type)
    if rng.random() < 0.5 and field.default is not dataclasses.MISSING:
        return field.default
    if "datetime" in kind:
        return datetime(2026, 12, 1, 8, tzinfo=UTC) + timedelta(hours=rng.choice((0, 1)))
    if "date" in kind:
        return date(2026, 11, rng.choice((1, 2)))
    if "float" in kind:
        return rng.choice((37.9, 38.0))
    if "int" in kind:
        return rng.choice((0, 7))
    return rng.choice(("a", "b", ":smile:"))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_signature_is_the_dataclass_one(cls):
    ours = inspect.signature(cls.__init__)
    theirs = inspect.signature(reference(cls).__init__)
    assert [(p.name, p.default, p.kind) for p in ours.parameters.values()] == [
        (p.name, p.default, p.kind) for p in theirs.parameters.values()
    ]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_equality_hash_repr_and_replace_are_the_dataclass_ones(cls):
    rng = random.Random(23)
    ref = reference(cls)
    made = []
    for _ in range(300):
        values = {f.name: value_for(f, rng) for f in dataclasses.fields(cls)}
        made.append((cls(**values), ref(**values)))
    for ours, theirs in made:
        assert repr(ours) == repr(theirs)
        assert hash(ours) == hash(theirs)
        assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)
    for (a, ra), (b, rb) in zip(made, made[1:] + made[:1], strict=True):
        assert (a == b) is (ra == rb)
        assert (a != b) is (ra != rb)
        assert (a == ra) is False  # another class, as between two dataclasses
    field = dataclasses.fields(cls)[-1]
    ours, theirs = made[0]
    changed = value_for(field, rng)
    assert repr(dataclasses.replace(ours, **{field.name: changed})) == repr(
        dataclasses.replace(theirs, **{field.name: changed})
    )


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_fields_cannot_be_changed_or_deleted(cls):
    first = dataclasses.fields(cls)[0]
    values = {f.name: value_for(f, random.Random(1)) for f in dataclasses.fields(cls)}
    made = cls(**values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, first.name, values[first.name])
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(made, first.name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.anything_else = 1  # as a frozen dataclass refuses a new attribute
    assert getattr(made, first.name) == values[first.name]
