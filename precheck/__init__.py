"""precheck: turn the documents of an application into a verdict a citizen can act on.

- ``load_catalogue`` / ``Matter``: the matters as sourced data (``precheck/matters/*.yaml``).
- ``build_checklist``: 一次性告知 from the answers, with reasons; ``render_checklist_html`` and
  ``render_checklist_pdf`` for the page and the printable sheet.
- ``run``: the rule engine → ``Report`` (verdict, findings with evidence, checklist status).
- ``read_uploads`` with a ``DocumentCache``: read files once per content (SHA-256).

Verdicts: ``needs_fix`` when any finding is an ``error`` (a defect concluded from trusted
values), ``needs_review`` when any is a ``warning`` (a needed value untrusted or unread, an
unknown document, a material only a person can judge, a photo with glare, 容缺受理 pending),
otherwise ``ready``. A value is trusted when read at ``min_field_confidence`` or above, or when
the same normalised value was read from another upload (``precheck.rules.base``). Names and
numbers are compared exactly after ``precheck.normalize``; nothing is fuzzy-matched.
"""

from precheck.catalogue import Catalogue, Matter, ProvidedBy, Role, Slot, load_catalogue
from precheck.checklist import (
    Checklist,
    ChecklistItem,
    build_checklist,
    render_checklist_html,
    render_checklist_pdf,
)
from precheck.engine import VERDICTS, Report, SlotStatus, Verdict, run, verdict_of
from precheck.errors import (
    CatalogueError,
    InvalidAnswersError,
    PrecheckError,
    UnknownMatterError,
    UnknownSlotError,
)
from precheck.findings import (
    CODES,
    SEVERITIES,
    Evidence,
    FileProblem,
    Finding,
    FindingCode,
    Severity,
    Upload,
)
from precheck.intake import (
    DiskDocumentCache,
    DocumentCache,
    MemoryDocumentCache,
    Reader,
    SlotFile,
    read_uploads,
    slot_files,
)
from precheck.rules import DEFAULT_RULES, GENERIC_RULES, FactKind, Person, Rule, rules_for
from precheck.settings import PrecheckSettings

__all__ = [
    "CODES",
    "DEFAULT_RULES",
    "GENERIC_RULES",
    "SEVERITIES",
    "VERDICTS",
    "Catalogue",
    "CatalogueError",
    "Checklist",
    "ChecklistItem",
    "DiskDocumentCache",
    "DocumentCache",
    "Evidence",
    "FactKind",
    "FileProblem",
    "Finding",
    "FindingCode",
    "InvalidAnswersError",
    "Matter",
    "MemoryDocumentCache",
    "Person",
    "PrecheckError",
    "PrecheckSettings",
    "ProvidedBy",
    "Reader",
    "Report",
    "Role",
    "Rule",
    "Severity",
    "Slot",
    "SlotFile",
    "SlotStatus",
    "UnknownMatterError",
    "UnknownSlotError",
    "Upload",
    "Verdict",
    "build_checklist",
    "load_catalogue",
    "read_uploads",
    "render_checklist_html",
    "render_checklist_pdf",
    "rules_for",
    "run",
    "slot_files",
    "verdict_of",
]
