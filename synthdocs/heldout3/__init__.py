"""The third held-out family of synthetic documents: drawn independently of every other family
(its author never saw the reader), to measure whether the document AI generalises. NOTHING is
tuned on it, and it is never read by OCR here.

Its own faces (TW-Sung, TW-Kai, cwTeX 仿宋 and 粗黑, 得意黑, GNU Unifont as a dot-matrix
print, BIZ UD Gothic/Mincho and M+ 2 for digits; a run is drawn only in a face that covers it,
see :mod:`.fonts`), layouts (:data:`LAYOUTS`, two or three per type: the 不动产权证书 inner
page with a narrow label column and 附记, the open booklet spread, the 电子证照; 存量房买卖合同
clauses with the facts inside sentences, a filled-in template typed over underlines, the 网签
contract; a booklet spread and a page of the marriage certificate; a 户口簿 首页 with
常住人口登记卡 pages, or the cards alone; a landscape licence with a QR block and a portrait
副本...), fact pools (:mod:`.facts`), marks (pen-trace signatures in regular script or cursive,
loop/whorl fingerprints, double-rimmed red seals with rim text: :mod:`.marks`) and captures
(:mod:`.capture`: scans at the page's and at 150 dpi, phone photos, a desk photo with clutter,
a glare spot, a fax, a PDF-viewer screenshot, a photocopy, warm indoor light). The same
Sample / Application shapes as the other families::

    from synthdocs import heldout3
    heldout3.name                                        # "heldout3"
    heldout3.conditions                                  # clean scan photo scan150 desk_photo
                                                         # glare fax viewer photocopy warm_light
    heldout3.generate(doc_type, *, seed, layout=None) -> Sample   # DOC_TYPES + "unknown"
    heldout3.capture(sample, condition, *, seed) -> Sample
    heldout3.build_application(*, seed, ..., defect=None, style="scan" | "photo")
    heldout3.application_set(*, seed=0, style="scan")    # 8 clean + 14 + 3 mark defects
    heldout3.fonts_missing()

Marks (``Sample.marks``), as the other held-out families fill them: the sale contract's
``seller[i]``/``buyer[i]`` signatures (and fingerprints where the layout has them) and
``agent`` when an agent signs, the power of attorney's ``principal``, and the ``registry``
seal of the property certificate, marriage certificate and household register, the ``issuer``
seal of the business licence (with ``org`` and ``expected_org``). Photocopies and faxes turn
seals grey or black (``Mark.copy``). Mark defects: ``unsigned``, ``one_party_unsigned``
(missing_signature, sale_contract), ``foreign_seal`` (seal_mismatch, property_certificate).

``.venv/bin/python -m synthdocs.heldout3 OUTDIR`` writes a gallery with golden boxes and marks
drawn.
"""

from __future__ import annotations

from .applications import ALL_DEFECTS, MARK_DEFECTS, application_set, build_application
from .capture import CONDITIONS, capture
from .docs import LAYOUTS
from .documents import DOC_TYPES, generate, render
from .fonts import FACES, FONT_FILES, fonts_missing

name = "heldout3"
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
