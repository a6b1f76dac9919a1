"""The second held-out family of synthetic documents (issues 10 and 17): drawn independently of
every other family, to measure the document AI on documents nobody tuned on. NOTHING is tuned
on it, and it is never read by OCR here: the integrator measures it once.

Its own faces (BabelStone Han, HanaMin A, IPAmj Mincho, IPAex Mincho/Gothic, Noto Sans CJK
Thin, Noto Serif CJK ExtraLight; a run is drawn only in a face that covers it, see
:mod:`.fonts`), layouts (:data:`LAYOUTS`, two per type), fact pools (:mod:`.facts`), marks
(pen-stroke signatures, red ridged fingerprints, red seals with rim text: :mod:`.marks`) and
captures (:mod:`.capture`). The same Sample / Application shapes as the other families::

    from synthdocs import heldout2
    heldout2.name                                        # "heldout2"
    heldout2.conditions                                  # clean scan photo wechat photocopy
                                                         # folded low_light
    heldout2.generate(doc_type, *, seed, layout=None) -> Sample   # DOC_TYPES + "unknown"
    heldout2.capture(sample, condition, *, seed) -> Sample
    heldout2.build_application(*, seed, ..., defect=None, style="scan" | "photo")
    heldout2.application_set(*, seed=0, style="scan")    # 8 clean + 14 + 3 mark defects
    heldout2.fonts_missing()

Marks: ``Sample.marks`` holds every place that must carry a mark: the sale contract's
``seller[i]``/``buyer[i]`` signatures (and fingerprints where the layout has them) and
``agent`` when an agent signs, the power of attorney's ``principal``, and the ``registry`` /
``issuer`` seal of the property certificate, marriage certificate, household register and
business licence (with ``org`` and ``expected_org``). Photocopies turn seals grey
(``Mark.copy``). Mark defects: ``unsigned``, ``one_party_unsigned`` (missing_signature,
sale_contract), ``foreign_seal`` (seal_mismatch, property_certificate).

``.venv/bin/python -m synthdocs.heldout2 OUTDIR`` writes a gallery with golden boxes and marks
drawn.
"""

from __future__ import annotations

from .applications import ALL_DEFECTS, MARK_DEFECTS, application_set, build_application
from .capture import CONDITIONS, capture
from .docs import LAYOUTS
from .documents import DOC_TYPES, generate, render
from .fonts import FACES, FONT_FILES, fonts_missing

name = "heldout2"
conditions: tuple[str, ...] = CONDITIONS

__all__ = [
    "ALL_DEFECTS",
    "CONDITIONS",
    "DOC_TYPES",
    "FACES",
    "FONT_FILES",
    "LAYOUTS",
    "MARK_DEFECTS",
    "application_set",
    "build_application",
    "capture",
    "conditions",
    "fonts_missing",
    "generate",
    "name",
    "render",
]
