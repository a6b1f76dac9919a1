"""How one widened (training-family) document is typeset: its faces, sizes, inks and the label
wordings its issuer uses. One :class:`Style` is drawn per document from a seeded RNG.

Faces are names of :data:`synthdocs.canvas.FONTS` (all training fonts). Labels and values are
always drawn in different font files, as forms filled by a printer or a hand are.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from .canvas import BOLD, FONTS, RGB

# Faces a printed label may take, faces a filled-in value may take, titles, numbers.
LABEL_FACES = (
    "sans",
    "sans_medium",
    "sans_bold",
    "sans_light",
    "serif",
    "serif_medium",
    "serif_semibold",
    "serif_bold",
    "hei",
    "uming",
)
VALUE_FACES = (
    "serif",
    "serif_light",
    "serif_medium",
    "sans",
    "sans_light",
    "sans_demilight",
    "sans_medium",
    "hei",
    "uming",
    "ukai",
)
TITLE_FACES = ("sans_bold", "sans_black", "serif_bold", "serif_black", "serif_semibold", "hei")
# ``None``: numbers in the value face (CJK fonts carry their own digits)
NUMBER_FACES: tuple[str | None, ...] = (None, None, "noto_mono", "dejavu_mono", "mono")
HAND_FACES = ("ukai",)  # the one brush (hand-looking) face among the training fonts
# The ID card is printed by one machine: few faces, always sans-like labels.
CARD_LABEL_FACES = ("sans", "sans_medium", "hei", "sans_demilight")
CARD_VALUE_FACES = ("sans", "hei", "serif", "sans_medium", "sans_demilight", "serif_medium")
CARD_NUMBER_FACES = ("mono", "dejavu_mono", "noto_mono", "noto_mono_bold")

STYLE_FACES: frozenset[str] = frozenset(
    (
        *LABEL_FACES,
        *VALUE_FACES,
        *TITLE_FACES,
        *(f for f in NUMBER_FACES if f),
        *HAND_FACES,
        *CARD_LABEL_FACES,
        *CARD_VALUE_FACES,
        *CARD_NUMBER_FACES,
    )
)

# How issuers word the same label (canonical key → printed variants).
WORDINGS: Mapping[str, tuple[str, ...]] = {
    "location": ("坐落", "房屋坐落", "房地坐落"),
    "owners": ("权利人", "所有权人", "房屋所有权人"),
    "id_number": ("公民身份号码", "身份证号码", "证件号码", "身份证件号码"),
    "price": ("成交价", "转让价款", "房屋总价款", "成交价格"),
    "area": ("建筑面积", "面积"),
    "certificate_number": ("不动产权证书号", "不动产权证号", "产权证号", "权证编号"),
    "unit_number": ("不动产单元号", "单元号"),
    "co_ownership": ("共有情况", "共有方式"),
    "signed_date": ("签订日期", "签约日期", "签订时间"),
    "seller": ("出卖人（甲方）", "甲方（出卖人）", "卖方", "转让方（甲方）"),
    "buyer": ("买受人（乙方）", "乙方（买受人）", "买方", "受让方（乙方）"),
    "name": ("姓名", "姓名/名称"),
    "address": ("住址", "地址", "通讯地址"),
    "principal": ("委托人", "委托人（授权人）"),
    "agent": ("受托人", "代理人", "受委托人"),
    "poa_date": ("委托日期", "签署日期", "日期"),
    "relation": ("户主或与户主关系", "与户主关系"),
    "hh_id_number": ("公民身份号码", "公民身份证件编号", "身份证号码"),
    "hh_address": ("住址", "户籍地址"),
    "spouse_id": ("身份证件号", "身份证号", "公民身份号码"),
    "marriage_number": ("结婚证字号", "证件编号", "结婚证号"),
    "registration_date": ("登记日期", "结婚登记日期"),
    "holder": ("持证人",),
    "company": ("名称", "企业名称"),
    "legal_representative": ("法定代表人", "法定代表人（负责人）"),
    "company_address": ("住所", "住所（经营场所）"),
    "established": ("成立日期", "注册日期"),
}

INKS: tuple[RGB, ...] = ((20, 20, 20), (35, 35, 38), (10, 10, 30), (48, 44, 40))
PEN_INKS: tuple[RGB, ...] = ((25, 35, 110), (20, 20, 60), (30, 30, 30), (40, 50, 140))


@dataclass(frozen=True)
class Style:
    """Typesetting choices of one document.

    ``label``/``value``/``number``/``title``/``hand`` are face names; ``scale`` multiplies
    the layout's nominal text size; ``leading`` is the line pitch of wrapped cell text in em;
    ``pad`` the cell padding in mm; ``words`` the label wording per canonical key."""

    label: str
    value: str
    number: str
    title: str
    hand: str
    scale: float
    leading: float
    pad: float
    ink: RGB
    label_ink: RGB
    pen: RGB
    words: Mapping[str, str] = field(default_factory=dict)

    def word(self, key: str) -> str:
        return self.words.get(key, WORDINGS[key][0])

    def bold(self, face: str) -> str:
        return BOLD.get(face, face)


def _file(face: str) -> str:
    return FONTS[face][0]


def pick_style(
    rng: random.Random, *, card: bool = False, font: str | None = None, label_ink: RGB | None = None
) -> Style:
    """A style drawn from ``rng``. ``card``: the restricted faces of a resident ID card.
    ``font`` forces the value face (any :data:`FONTS` name); the label face is then drawn
    among the other files."""
    if font is not None and font not in FONTS:
        raise ValueError(f"unknown font {font!r}; known: {sorted(FONTS)}")
    value = font or rng.choice(CARD_VALUE_FACES if card else VALUE_FACES)
    labels = [f for f in (CARD_LABEL_FACES if card else LABEL_FACES) if _file(f) != _file(value)]
    label = rng.choice(labels)
    number = rng.choice(CARD_NUMBER_FACES) if card else (rng.choice(NUMBER_FACES) or value)
    words = {key: rng.choice(options) for key, options in WORDINGS.items()}
    # the two sides of a contract are named as a pair (出卖人/买受人, 卖方/买方, ...)
    words["buyer"] = WORDINGS["buyer"][WORDINGS["seller"].index(words["seller"])]
    return Style(
        label=label,
        value=value,
        number=number,
        title=rng.choice(TITLE_FACES),
        hand=rng.choice(HAND_FACES),
        scale=rng.uniform(0.9, 1.1),
        leading=rng.uniform(1.2, 1.5),
        pad=rng.uniform(1.2, 3.0),
        ink=rng.choice(INKS),
        label_ink=label_ink or rng.choice(INKS),
        pen=rng.choice(PEN_INKS),
        words=words,
    )
