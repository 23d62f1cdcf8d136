"""The ``prongsai`` command. Each domain app adds its own sub-commands through a ``register`` function."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

Handler = Callable[[argparse.Namespace], int]

# Apps whose ``cli`` module adds sub-commands: register(subparsers) -> None.
COMMAND_MODULES = (
    "prongsai.demo",
    "prongsai.audit.cli",
    "prongsai.plans.cli",
    "prongsai.documents.cli",
    "prongsai.ita.cli",
    "prongsai.api.cli",
    "prongsai.reports.cli",
    "prongsai.risks.cli",
    "prongsai.complaints.cli",
    "prongsai.lib.worker",
)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    import django
    from django.utils import translation

    django.setup()
    translation.activate(os.environ.get("PRONGSAI_LANGUAGE", "th"))


def _manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["prongsai manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prongsai", description="Prongsai (โปร่งใส): anti-corruption action plans"
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    manage = subparsers.add_parser(
        "manage", help="run a Django management command (migrate, createsuperuser, …)"
    )
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=_manage)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:  # an app that has no commands yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["demo"]:
        # The demo serves plain HTTP on the loopback address, where secure-only cookies would never be sent.
        os.environ.setdefault("SECURE_COOKIES", "0")
    setup_django()
    parser = build_parser()
    args = parser.parse_args(arguments)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
