"""Synthetic Chinese government documents with golden fields and boxes, for tests and benchmarks.

Public API (import from ``tests.synthdocs``)::

    generate(doc_type: str, *, seed: int) -> Sample          # random facts + render
    render_id_card_front(person, *, seed=0, dpi=300, printed_id=None) -> Sample
    render_id_card_back(person, *, seed=0, dpi=300) -> Sample
    render_property_certificate(prop, *, seed=0, dpi=150) -> Sample
    render_sale_contract(contract, *, seed=0, dpi=150) -> Sample   # 2 pages

    Sample: frozen; .doc_type, .fields (CONTRACT §3 shape), .pages (tuple of BGR uint8 arrays),
            .image (= pages[0]), .boxes {field path: FieldBox(page, box, quad)}, .dpi, .seed,
            .field_box(path) -> FieldBox | None  (union of "sellers[0].name", ... for "sellers")

Field paths in ``boxes``: ``"name"``, ``"owners[1]"``, ``"sellers[0].id_number"``, ...
Boxes are ``(x0, y0, x1, y1)`` pixels of the page image, origin top-left, x1/y1 exclusive.
Fonts: Debian fonts-noto-cjk and fonts-wqy-microhei (``fonts_available()`` lists missing ones).
"""

from .canvas import Box, FieldBox, Quad, Sample, TextItem, fonts_available, to_bgr, to_pil
from .data import REFERENCE_DATE
from .degrade import (
    DEGRADATIONS,
    blur,
    cropped,
    dark,
    glare,
    photo,
    rotate90,
    rotate180,
    rotate270,
    tiny,
)
from .encode import (
    ENCODERS,
    EXTENSIONS,
    encode,
    samples_to_pdf,
    text_layer_boxes,
    to_bmp,
    to_jpeg,
    to_pdf,
    to_png,
    to_tiff,
    to_webp,
)
from .render import (
    DOC_TYPES,
    RENDERERS,
    generate,
    render_business_license,
    render_household_register,
    render_id_card_back,
    render_id_card_front,
    render_marriage_certificate,
    render_power_of_attorney,
    render_property_certificate,
    render_sale_contract,
)

__all__ = [
    "DEGRADATIONS",
    "DOC_TYPES",
    "ENCODERS",
    "EXTENSIONS",
    "REFERENCE_DATE",
    "RENDERERS",
    "Box",
    "FieldBox",
    "Quad",
    "Sample",
    "TextItem",
    "blur",
    "cropped",
    "dark",
    "encode",
    "fonts_available",
    "generate",
    "glare",
    "photo",
    "render_business_license",
    "render_household_register",
    "render_id_card_back",
    "render_id_card_front",
    "render_marriage_certificate",
    "render_power_of_attorney",
    "render_property_certificate",
    "render_sale_contract",
    "rotate90",
    "rotate180",
    "rotate270",
    "samples_to_pdf",
    "text_layer_boxes",
    "tiny",
    "to_bgr",
    "to_bmp",
    "to_jpeg",
    "to_pdf",
    "to_pil",
    "to_png",
    "to_tiff",
    "to_webp",
]
