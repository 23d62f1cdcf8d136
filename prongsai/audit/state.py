"""Which records the log vouches for, and what "their state" is.

Each app registers the models whose rows the log must account for (``track``): how to read a row's
state as JSON-safe data, and how to list every current row of one organisation. Actions put the state
after their change into the log entry (``change``/``removal``); ``verify`` replays an organisation's log
and compares the result with the tables, so a budget edited by SQL, a deleted or an injected row, or a
published PDF whose bytes changed is named.

States hold only JSON values: text, integers, booleans, null, lists, objects. Money is text with two
decimals, times are ISO 8601 text.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from prongsai.organizations.models import Organization


class Change(TypedDict):
    type: str
    id: str
    state: dict[str, Any] | None  # None: the row was removed


@dataclass(frozen=True)
class Tracked:
    type: str
    model: builtins.type[models.Model]
    state: Callable[[Any], dict[str, Any]]
    rows: Callable[[Organization], Iterable[Any]]
    label: Callable[[Any], str]
    # Fields a later version added to the state, with the value the migration that added them gave every
    # existing row: an entry written before has no such field and is read as holding that value. A row
    # whose value differs from it was changed, and is named, like any other change outside the system.
    added: dict[str, Any] = field(default_factory=dict)
    # A field whose meaning a migration changed (free text that became a reference): how the migration
    # turned an old state into the new shape, applied to states written before it.
    upgrade: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def as_recorded(self, recorded: dict[str, Any]) -> dict[str, Any]:
        """A state read from the log, with the fields added since it was written at their first value."""
        if self.upgrade is not None:
            recorded = self.upgrade(recorded)
        return {**self.added, **recorded}


_BY_TYPE: dict[str, Tracked] = {}
_BY_MODEL: dict[type[models.Model], Tracked] = {}


def track(
    type_name: str,
    model: type[models.Model],
    *,
    state: Callable[[Any], dict[str, Any]],
    rows: Callable[[Organization], Iterable[Any]],
    label: Callable[[Any], str] = str,
    added: dict[str, Any] | None = None,
    upgrade: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """Register ``model``: its rows are accounted for by the log under ``type_name``; ``added`` names the
    state's fields added after the first entries were written (see ``Tracked.added``)."""
    tracked = Tracked(
        type=type_name,
        model=model,
        state=state,
        rows=rows,
        label=label,
        added=dict(added or {}),
        upgrade=upgrade,
    )
    _BY_TYPE[type_name] = tracked
    _BY_MODEL[model] = tracked


def registry() -> list[Tracked]:
    return list(_BY_TYPE.values())


# Data kept beside the records and derived from them (running sums): each check recomputes it and returns
# (organisation slug, message) for every difference; ``verify`` reports them with that organisation's log.
DerivedCheck = Callable[[str | None], list[tuple[str, str]]]
_DERIVED: dict[str, DerivedCheck] = {}


def check_derived(name: str, check: DerivedCheck) -> None:
    """Register ``check(org_slug or None for all)`` to run in ``prongsai audit verify``."""
    _DERIVED[name] = check


def derived_checks() -> list[DerivedCheck]:
    return list(_DERIVED.values())


def tracked_type(type_name: str) -> Tracked | None:
    return _BY_TYPE.get(type_name)


def _for(obj: models.Model) -> Tracked:
    try:
        return _BY_MODEL[type(obj)]
    except KeyError:
        raise LookupError(f"{type(obj).__name__} is not tracked by the audit log") from None


def json_state(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` as JSON gives it back, so that a state read now equals one read from the log."""
    result: dict[str, Any] = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return result


def state_of(obj: models.Model) -> dict[str, Any]:
    return json_state(_for(obj).state(obj))


def change(obj: models.Model) -> Change:
    """The row's state now, for the entry of the operation that made it so."""
    return Change(type=_for(obj).type, id=str(obj.pk), state=state_of(obj))


def changes(objs: Iterable[models.Model]) -> list[Change]:
    return [change(obj) for obj in objs]


def removal(obj: models.Model) -> Change:
    """The row is gone (take it before ``delete()``, while it still has its primary key)."""
    return Change(type=_for(obj).type, id=str(obj.pk), state=None)


def amount(value: Any) -> str | None:
    """Money as the log keeps it: text with two decimals."""
    return None if value is None else f"{value:.2f}"


def when(value: Any) -> str | None:
    return None if value is None else value.isoformat()
