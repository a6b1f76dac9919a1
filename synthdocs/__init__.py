"""Synthetic Chinese government documents with golden fields and boxes, for tests and benchmarks.

Everything is deterministic for a seed (bytes included, across processes) and needs only Debian
fonts (fonts-noto-cjk, fonts-noto-cjk-extra, fonts-wqy-microhei, fonts-arphic-uming,
fonts-arphic-ukai; fonts-dejavu-core for the ID number) plus Pillow, NumPy, OpenCV and
reportlab. ``.venv/bin/python -m synthdocs [OUTDIR] [--family training]`` writes sample PNGs
with the golden boxes drawn and prints render/degrade/encode timings.

Families (``synthdocs.families``): one interface over the two families of documents, so that
benchmarks run them side by side::

    fam = families.get("training" | "heldout")     # heldout: synthdocs/heldout/, imported lazily
    fam.name; fam.conditions                       # "clean", "scan", "photo", "photocopy", ...
    fam.generate(doc_type, *, seed) -> Sample      # the 8 types + "unknown"
    fam.capture(sample, condition, *, seed) -> Sample
    fam.build_application(*, seed, ..., defect=None, style="scan" | "photo") -> Application
    fam.application_set(*, seed=0, style="scan") -> list[Application]

The ``training`` family (extraction is tuned on it) widens these renderers: every layout of
``synthdocs.layouts.LAYOUTS`` (bordered tables whose long values wrap inside their cells,
label-above boxes, forms filled in by hand, other column widths and spacing), values and labels
in different training faces (``synthdocs.style``), issuers' label wordings (坐落 / 房屋坐落 /
房地坐落, 权利人 / 所有权人, 公民身份号码 / 身份证号码 / 证件号码, 成交价 / 转让价款 / 房屋总价款,
建筑面积 / 面积), seals, fingerprints and copy stamps over text, names of 2-4 characters and long
addresses (``varied=True`` in ``synthdocs.data``), and photocopies among the captures.
``TrainingFamily.generate(doc_type, seed=, layout=, font=)`` and ``.pick(doc_type, seed=)``
name or report the layout and value face. The held-out family is never tuned on.

Documents (``synthdocs``)::

    DOC_TYPES                                    # the 8 CONTRACT §3 types
    generate(doc_type, *, seed) -> Sample        # random facts + render; also "unknown"
                                                 # (an office notice with no fields)
    Every renderer also takes ``layout="classic"`` (the default: the documents as they always
    were) or another of ``layouts_of(doc_type)``, and ``font=`` (the face of the values).
    render_id_card_front(person, *, seed=0, dpi=300, printed_id=None) -> Sample  # 1011×638
    render_id_card_back(person, *, seed=0, dpi=300) -> Sample
    render_property_certificate(prop, *, seed=0, dpi=150) -> Sample             # A4
    render_sale_contract(contract, *, seed=0, dpi=150) -> Sample                # A4, 2 pages
    render_marriage_certificate(marriage, *, seed=0, dpi=150) -> Sample         # open booklet
    render_power_of_attorney(poa, *, seed=0, dpi=150) -> Sample                 # A4
    render_household_register(household, *, seed=0, dpi=200) -> Sample  # 户主页 + 1 card/member
    render_business_license(company, *, seed=0, dpi=150) -> Sample              # A4 landscape

    Sample (frozen): doc_type; fields (exact CONTRACT §3 shape: ISO dates, area "89.56",
      price "2350000", certificate numbers with ASCII parentheses, unit number without spaces,
      valid_until ISO or "长期"); pages (tuple of BGR uint8 arrays); image (= pages[0]);
      size (w, h); dpi; seed; boxes {path: FieldBox(page, box, quad, parts)}; field_box(path);
      degradations (names applied); expected_issues (quality codes they should trigger);
      facts (the data objects it was drawn from); layout (the layout it was drawn in).
    Box paths: "name", "owners[1]", "sellers[0].id_number", "agent.name", "spouses[1].name",
      "members[2].relation"; field_box("sellers") is the union of the parts on their first page.
      box = (x0, y0, x1, y1) in pixels of that page, origin top-left, x1/y1 exclusive, tight
      around the value's printed characters only (no label, no unit: "89.56" not "89.56㎡");
      quad = the 4 corners (tl, tr, br, bl) after any warp; parts = the tight box of each
      printed line of the value (several for a value wrapped in a cell), box their union.

Facts (``synthdocs.data``): ``REFERENCE_DATE`` (the generator's "today"; every ID card
is valid on it unless made expired), ``random_person(rng, *, sex=None, name=None, min_age=20,
max_age=75, area_code=None, expired=False, as_of=REFERENCE_DATE) -> Person``,
``random_property(rng, *, owners) -> Property``, ``random_contract(rng, *, sellers, buyers,
prop) -> Contract``, ``random_company``, ``random_marriage``, ``random_power_of_attorney``,
``random_household``, ``random_credit_code``, ``forge_check_char(id_number)``; each takes
``varied=True`` for the training family's wider pools.
Golden fields (``synthdocs.golden``): the CONTRACT §3 shape of each type from its facts, one
function per type, used by every renderer of both families.
Validators (``synthdocs.validators``): ``id_check_char``, ``is_valid_id_number``,
``credit_code_check_char``, ``is_valid_credit_code``, ``is_valid_unit_number``,
``is_valid_certificate_number``.

Degradations (each ``f(sample, *, seed=0, ...) -> Sample``, boxes mapped through the same
geometry, pages re-used in order)::

    scan           flatbed scan: skew ≤ 1.5°, white margin, mild blur/grain, JPEG 88-95
    photo          perspective onto a desk, rotation ±5°, uneven light, blur, noise, JPEG 70-85
    photocopy      grey toner, pushed contrast, specks, drum streaks, a dark edge, JPEG 80-92
    rotate90 / rotate180 / rotate270     exact quarter turns (90 = clockwise)
    blur(strong=True) → "blurry"; tiny(width=None) → "too_small"; dark → "too_dark";
    glare(over=None) → "glare"; cropped(cut=0.25) → "cropped" (part of the page off-frame;
    boxes clipped, wholly invisible ones dropped)
    DEGRADATIONS = {name: function}

Encoders (``bytes``)::

    to_png / to_jpeg(quality=90, exif_orientation=None) / to_webp / to_bmp (sample, *, page=0)
    to_tiff(sample, *, page=0, all_pages=False)
    to_pdf(sample, *, text_layer=False)   # text_layer=True: real text (WQY Micro Hei subset)
    samples_to_pdf(samples, *, text_layer=False)            # e.g. ID front + back in one PDF
    text_layer_boxes(sample) -> {path: FieldBox}  # golden boxes of the text-layer PDF
    encode(sample, fmt); ENCODERS; EXTENSIONS  # fmt: png jpeg webp bmp tiff pdf pdf_text
    A PDF page is width_px/dpi inches wide: rendered at sample.dpi it matches sample.boxes.

Hostile files (``synthdocs.hostile``): ``hostile_files(sample, *, seed=0) ->
list[HostileFile(name, filename, data, expected_errors, note)]`` and one builder per file
(``decompression_bomb_png``, ``truncated_jpeg``, ``encrypted_pdf``, ``many_pages_pdf``, ...),
plus ``exif_rotated_jpeg(sample, *, orientation=6)`` (legitimate; golden = ``sample.boxes``).

Applications (``synthdocs.applications``)::

    build_application(*, seed, seller_married=False, via_agent=False,
                      first_home_tax_relief=False, sellers=1, buyers=1, defect=None,
                      style="scan" | "photo") -> Application
    Application: matter, answers, files (UploadedFile(slot, filename, data, doc_types,
      samples)), uploads [(slot, filename, bytes)], as_of, defect, expected_verdict
      ("ready" | "needs_fix"), expected_findings (ExpectedFinding(code, slot, field)),
      cli_args(paths)
    DEFECTS {name: DefectSpec(name, code, slot, field, description)}
    answer_combinations(); application_set(*, seed=0, style="scan") -> 22 applications
    build_with(kit, ...) / application_set_with(kit, ...): the same over documents made by a
      Kit (facts pool, renderers, captures), as the training family does
    Order.of(**options) (the checked request), draw_parties(order, rng, pool),
      id_card_uploads(order, parties), assemble(order, rng, ...): what every family's builder
      shares (the held-out builder included); application_orders(): the benchmark set

The held-out family (``synthdocs.heldout``, same interface, never tuned on) is documented there.
"""

from .canvas import (
    FONT_FILES,
    FONTS,
    Box,
    FieldBox,
    Quad,
    Sample,
    TextItem,
    fonts_available,
    to_bgr,
    to_pil,
)
from .data import REFERENCE_DATE
from .degrade import (
    DEGRADATIONS,
    blur,
    cropped,
    dark,
    glare,
    photo,
    photocopy,
    rotate90,
    rotate180,
    rotate270,
    scan,
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
    layouts_of,
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
    "FONTS",
    "FONT_FILES",
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
    "layouts_of",
    "photo",
    "photocopy",
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
    "scan",
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
