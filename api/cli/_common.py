"""Helpers shared by the CLI verbs."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3


def usage_error(message: str) -> NoReturn:
    """One line on stderr and exit status 2."""
    typer.echo(f"paoyici: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def not_available(verb: str) -> NoReturn:
    usage_error(f"'{verb}' 暂不可用（not available yet in this version）")


def print_json(doc: Any) -> None:
    """Exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
