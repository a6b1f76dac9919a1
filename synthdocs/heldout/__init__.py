"""The held-out family of synthetic documents: drawn independently of the training family, to
measure the document AI on documents it was never tuned on. NOTHING is tuned on it.

Its own faces (WenQuanYi Zen Hei, LXGW WenKai, AR PL SungtiL GB / KaitiM GB, Droid Sans
Fallback; see :mod:`.fonts`), layouts (each type at least two, see :data:`LAYOUTS`), label
wordings, fact pools (:mod:`.facts`) and capture conditions (:mod:`.capture`); the same
:class:`~synthdocs.canvas.Sample` and :class:`~synthdocs.applications.Application` shapes and the
same golden field shapes as the training family, so benchmarks run both side by side::

    from synthdocs import heldout
    heldout.name                                   # "heldout"
    heldout.generate(doc_type, *, seed, layout=None) -> Sample   # DOC_TYPES + "unknown"
    heldout.capture(sample, condition, *, seed) -> Sample        # condition in conditions
    heldout.conditions                             # ("clean", "scan", "photo", "photocopy",
                                                   #  "fax_like", "low_res")
    heldout.build_application(*, seed, seller_married=False, via_agent=False,
                              first_home_tax_relief=False, sellers=1, buyers=1, defect=None,
                              style="scan" | "photo") -> Application
    heldout.application_set(*, seed=0, style="scan") -> list[Application]   # 8 clean + 14

Golden boxes: pixels of the delivered page, tight around each value's ink; a value printed on
several lines (an address wrapped in its table cell or across a line of prose) is a
:class:`PartedFieldBox` whose ``box`` is the union and ``parts`` one box per line
(:func:`field_parts` gives the parts of any box). Boxes follow every capture's geometry.

``.venv/bin/python -m synthdocs.heldout OUTDIR`` writes a gallery (every type × layout, a few
conditions) with the golden boxes drawn.
"""

from __future__ import annotations

from ..applications import STYLES
from .applications import application_set, build_application
from .capture import CONDITIONS, blurred, capture, thumbnail
from .documents import DOC_TYPES, LAYOUTS, generate, random_facts, render
from .fonts import FACES, FONT_FILES, fonts_missing
from .sheet import PartedFieldBox, field_parts

name = "heldout"
conditions: tuple[str, ...] = tuple(CONDITIONS)

__all__ = [
    "CONDITIONS",
    "DOC_TYPES",
    "FACES",
    "FONT_FILES",
    "LAYOUTS",
    "STYLES",
    "PartedFieldBox",
    "application_set",
    "blurred",
    "build_application",
    "capture",
    "conditions",
    "field_parts",
    "fonts_missing",
    "generate",
    "name",
    "random_facts",
    "render",
    "thumbnail",
]
