"""The ``paoyici`` console command (docs/contract.md §1).

Each group of verbs lives in its own module; this one only assembles them. Exit codes: 0 done,
1 a verification that failed, 2 usage errors, 3 an unreadable input file.
"""

from __future__ import annotations

import typer

from api.cli import audit, certs, documents, precheck, service, users
from api.cli import fsck as fsck_cli

app = typer.Typer(
    name="paoyici",
    help="跑一次：办事材料预审、电子证照签发与核验。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
service.register(app)
documents.register(app)
precheck.register(app)
certs.register(app)
users.register(app)
audit.register(app)
fsck_cli.register(app)


def main() -> None:
    app()
