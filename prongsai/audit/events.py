"""What each event type means, in words: entries store the type and its parameters, never a sentence.

Each app registers its event types with a translatable description whose placeholders name the
entry's parameters; a description is translated only when it is shown, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django_stubs_ext import StrOrPromise

_DESCRIPTIONS: dict[str, StrOrPromise] = {}
_PRESENTERS: dict[str, Callable[[Any], Any]] = {}


def describe_events(
    descriptions: Mapping[str, StrOrPromise], presenters: Mapping[str, Callable[[Any], Any]] | None = None
) -> None:
    """Register event types; ``presenters`` turn a stored parameter (a key) into words when shown."""
    _DESCRIPTIONS.update(descriptions)
    _PRESENTERS.update(presenters or {})


def _present(name: str, value: Any) -> Any:
    presenter = _PRESENTERS.get(name)
    if presenter is None:
        return value
    try:
        return presenter(value)
    except (LookupError, TypeError, ValueError):
        return value


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "…"


def describe(event: str, params: Mapping[str, Any] | None) -> str:
    """The entry in the active language; an unknown type shows as itself."""
    template = _DESCRIPTIONS.get(event)
    if template is None:
        return event
    return str(template) % _Params({name: _present(name, value) for name, value in (params or {}).items()})


def known_events() -> set[str]:
    return set(_DESCRIPTIONS)
