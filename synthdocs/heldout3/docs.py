"""The renderers of the third held-out family, two layouts per type (:data:`LAYOUTS`)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

import cv2
import numpy as np
from PIL import Image

from .. import data as d
from .. import golden
from ..canvas import Sample
from . import fonts
from .common import Style, capital_amount, dot_date, flow, rng_for, table, zh_date
from .draw import A4, A4_LANDSCAPE, INK, Sheet, finish
from .facts import registry_org
from .marks import seal_place, sign_place, signature

# ---------------------------------------------------------------------------------------------
# ID cards: 856 × 540 px (the card at 254 dpi), a wave guilloche and a drawn portrait
# ---------------------------------------------------------------------------------------------

CARD = (1012, 638)
CARD_LABEL = (46, 92, 150)


def _guilloche(
    sh: Sheet, rng: random.Random, box: Sequence[float], tint: tuple[int, int, int]
) -> None:
    """Fine interfering sine bands and a faint rosette: the card's security print (the
    pattern is computed at half scale)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    w, h = x1 - x0, y1 - y0
    hs, ws = h // 2 + 1, w // 2 + 1
    yy, xx = np.mgrid[0:hs, 0:ws].astype(np.float32) * 2
    f1, f2 = rng.uniform(0.015, 0.03), rng.uniform(0.05, 0.09)
    bands = np.sin(yy * f2 + 6 * np.sin(xx * f1 + rng.uniform(0, 6))) > 0.93
    cx, cy = w * rng.uniform(0.35, 0.6), h * rng.uniform(0.4, 0.6)
    r = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    th = np.arctan2(yy - cy, xx - cx)
    rosette = (np.abs(np.sin(r * 0.09 + 4 * np.sin(th * 9))) < 0.05) & (r < h * 0.45)
    a_small = (bands * 0.35 + rosette * 0.3).astype(np.float32)
    a = cv2.resize(a_small, (w, h), interpolation=cv2.INTER_LINEAR)[:, :, None]
    base = np.asarray(sh.img.crop((x0, y0, x1, y1)), dtype=np.float32)
    tint_a = np.array(tint, np.float32)[None, None, :]
    grad = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    paper = base * (1 - 0.06 * grad) + np.array((250, 238, 230), np.float32) * 0.06 * grad
    out = paper * (1 - a) + tint_a * a
    sh.img.paste(Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), (x0, y0))
    sh.refresh()


def _portrait(sh: Sheet, box: Sequence[float], rng: random.Random, sex: str) -> None:
    """A photo area: pale background, a head and shoulders drawn in soft grey shapes."""
    x0, y0, x1, y1 = (int(v) for v in box)
    w, h = x1 - x0, y1 - y0
    img = np.full(
        (h, w, 3), rng.choice(((236, 240, 245), (242, 242, 240), (230, 236, 246))), np.uint8
    )
    skin = rng.choice(((196, 170, 150), (186, 160, 140), (205, 182, 165)))
    cloth = rng.choice(((40, 40, 52), (70, 80, 100), (30, 30, 30), (120, 120, 130)))
    hair = (28, 26, 26)
    cx = w // 2 + rng.randint(-6, 6)
    cv2.ellipse(
        img, (cx, int(h * 1.02)), (int(w * 0.48), int(h * 0.3)), 0, 180, 360, cloth, -1, cv2.LINE_AA
    )
    cv2.rectangle(
        img, (cx - int(w * 0.09), int(h * 0.55)), (cx + int(w * 0.09), int(h * 0.75)), skin, -1
    )
    hr = (int(w * 0.24), int(h * 0.22))
    head_c = (cx, int(h * 0.42))
    if sex == "女":
        cv2.ellipse(
            img,
            (cx, int(h * 0.5)),
            (int(w * 0.3), int(h * 0.33)),
            0,
            180,
            360,
            hair,
            -1,
            cv2.LINE_AA,
        )
        cv2.rectangle(
            img, (cx - int(w * 0.3), int(h * 0.5)), (cx + int(w * 0.3), int(h * 0.72)), hair, -1
        )
    cv2.ellipse(img, head_c, hr, 0, 0, 360, skin, -1, cv2.LINE_AA)
    cv2.ellipse(
        img, (cx, int(h * 0.33)), (int(w * 0.25), int(h * 0.16)), 0, 180, 360, hair, -1, cv2.LINE_AA
    )
    for ex in (-1, 1):
        cv2.circle(
            img,
            (cx + ex * int(w * 0.09), int(h * 0.42)),
            max(2, w // 60),
            (50, 40, 40),
            -1,
            cv2.LINE_AA,
        )
    img = cv2.GaussianBlur(img, (0, 0), 1.2)
    sh.img.paste(Image.fromarray(img), (x0, y0))
    sh.refresh()


def _card_base(sh: Sheet, rng: random.Random, ox: int, oy: int, k: float, back: bool) -> None:
    w, h = int(CARD[0] * k), int(CARD[1] * k)
    r = int(34 * k)
    mask = Image.new("L", (w, h), 0)
    from PIL import ImageDraw

    ImageDraw.Draw(mask).rounded_rectangle([0, 0, w - 1, h - 1], r, fill=255)
    tint = (180, 200, 228) if not back else (214, 196, 170)
    face = Image.new("RGB", (w, h), (246, 246, 242))
    sh.img.paste(face, (ox, oy), mask)
    sh.refresh()
    _guilloche(sh, rng, (ox + 8, oy + 8, ox + w - 8, oy + h - 8), tint)
    # the rounded corners stay the page's colour
    page = Image.new("RGB", (w, h), sh.paper)
    inv = mask.point(lambda v: 255 - v)
    sh.img.paste(page, (ox, oy), inv)
    sh.draw.rounded_rectangle([ox, oy, ox + w - 1, oy + h - 1], r, outline=(190, 190, 196), width=2)


def _card_front(sh: Sheet, p: d.Person, rng: random.Random, ox: int, oy: int, k: float) -> None:
    _card_base(sh, rng, ox, oy, k, back=False)
    lab = dict(size=int(25 * k), faces=fonts.HEI, fill=CARD_LABEL)
    vs = int(29 * k)
    vfaces = rng.choice((fonts.SONG, ("bizmincho", "twsung"), fonts.HEI))
    X = lambda v: ox + v * k  # noqa: E731
    Y = lambda v: oy + v * k  # noqa: E731
    sh.text(X(64), Y(70), "姓  名", **lab)  # type: ignore[arg-type]
    sh.text(X(186), Y(66), p.name, size=int(34 * k), faces=vfaces, key="name")
    sh.text(X(64), Y(148), "性  别", **lab)  # type: ignore[arg-type]
    sh.text(X(186), Y(146), p.sex, size=vs, faces=vfaces, key="sex")
    sh.text(X(306), Y(148), "民  族", **lab)  # type: ignore[arg-type]
    sh.text(X(424), Y(146), p.ethnicity, size=vs, faces=vfaces, key="ethnicity")
    sh.text(X(64), Y(222), "出  生", **lab)  # type: ignore[arg-type]
    b = p.birth_date
    x = X(186)
    for part, unit in ((str(b.year), "年"), (str(b.month), "月"), (str(b.day), "日")):
        bb = sh.text(x, Y(220), part, size=vs, faces=fonts.DIGITS, key="birth_date")
        ub = sh.text(bb[2] + 8 * k, Y(222), unit, **lab)  # type: ignore[arg-type]
        x = ub[2] + 12 * k
    sh.text(X(64), Y(296), "住  址", **lab)  # type: ignore[arg-type]
    y = Y(294)
    for line in sh.wrap(p.address, 400 * k, vs, vfaces):
        sh.text(X(186), y, line, size=vs, faces=vfaces, key="address")
        y += vs * 1.42
    sh.text(X(64), Y(520), "公民身份号码", **lab)  # type: ignore[arg-type]
    sh.text(
        X(330),
        Y(514),
        p.id_number,
        size=int(36 * k),
        faces=("bizgothic_bold", "mplus"),
        key="id_number",
        spacing=0.1,
    )
    _portrait(sh, (X(660), Y(90), X(940), Y(440)), rng, p.sex)


def _emblem(sh: Sheet, cx: float, cy: float, r: float) -> None:
    """A simplified national emblem: a red disc, a gold rim, five stars."""
    sh.draw.ellipse(
        [cx - r, cy - r, cx + r, cy + r],
        fill=(200, 40, 36),
        outline=(222, 180, 60),
        width=max(2, int(r * 0.12)),
    )
    for i, (dx, dy, s) in enumerate(
        (
            (0, -0.25, 0.32),
            (-0.4, -0.5, 0.12),
            (-0.2, -0.62, 0.12),
            (0.2, -0.62, 0.12),
            (0.4, -0.5, 0.12),
        )
    ):
        rr = r * s
        pts = []
        for k in range(10):
            rad = rr if k % 2 == 0 else rr * 0.4
            a = -math.pi / 2 + k * math.pi / 5 + i * 0.2 * (i > 0)
            pts.append((cx + dx * r + rad * math.cos(a), cy + dy * r + r * 0.3 + rad * math.sin(a)))
        sh.draw.polygon(pts, fill=(240, 200, 70))
    sh.draw.rectangle(
        [cx - r * 0.45, cy + r * 0.35, cx + r * 0.45, cy + r * 0.5], fill=(240, 200, 70)
    )


def _card_back(sh: Sheet, p: d.Person, rng: random.Random, ox: int, oy: int, k: float) -> None:
    _card_base(sh, rng, ox, oy, k, back=True)
    X = lambda v: ox + v * k  # noqa: E731
    Y = lambda v: oy + v * k  # noqa: E731
    _emblem(sh, X(150), Y(150), 88 * k)
    sh.text(X(320), Y(90), "中华人民共和国", size=int(44 * k), faces=fonts.HEI, spacing=0.25)
    sh.text(X(320), Y(180), "居民身份证", size=int(62 * k), faces=fonts.HEI, spacing=0.32)
    lab = dict(size=int(26 * k), faces=fonts.HEI, fill=(40, 40, 40))
    vs = int(29 * k)
    vfaces = rng.choice((fonts.SONG, ("bizmincho", "twsung")))
    sh.text(X(190), Y(430), "签发机关", **lab)  # type: ignore[arg-type]
    sh.text(X(340), Y(428), p.issuing_authority, size=vs, faces=vfaces, key="issuing_authority")
    sh.text(X(190), Y(510), "有效期限", **lab)  # type: ignore[arg-type]
    b = sh.text(
        X(340), Y(508), dot_date(p.valid_from), size=vs, faces=fonts.DIGITS, key="valid_from"
    )
    b = sh.text(b[2] + 6 * k, Y(508), "-", size=vs, faces=fonts.DIGITS)
    until = "长期" if p.valid_until is None else dot_date(p.valid_until)
    sh.text(
        b[2] + 6 * k,
        Y(508),
        until,
        size=vs,
        faces=fonts.DIGITS if p.valid_until else vfaces,
        key="valid_until",
    )


def id_card_front(p: d.Person, *, seed: int, layout: str) -> Sample:
    rng = rng_for("idf", seed)
    if layout == "card":
        sh = Sheet(CARD[0] + 40, CARD[1] + 40, paper=(232, 232, 230))
        _card_front(sh, p, rng, 20, 20, 1.0)
    else:  # an A4 photocopy sheet with the card and a handwritten "for this use only"
        sh = Sheet(*A4)
        sh.paper_tone(rng)
        k = rng.uniform(0.78, 0.9)
        _card_front(sh, p, rng, int(A4[0] / 2 - CARD[0] * k / 2), 160, k)
        note_y = 160 + CARD[1] * k + 90
        sh.text(
            200,
            note_y,
            "此复印件仅供办理不动产转移登记使用",
            size=34,
            faces=fonts.KAI,
            fill=(30, 30, 110),
        )
        sh.text(200, note_y + 60, "再复印无效", size=34, faces=fonts.KAI, fill=(30, 30, 110))
        signature(sh, (760, note_y + 150, 1080, note_y + 250), rng, chars=len(p.name))
    return finish("id_card_front", golden.id_card_front(p), [sh], seed=seed, layout=layout, facts=p)


def id_card_back(p: d.Person, *, seed: int, layout: str) -> Sample:
    rng = rng_for("idb", seed)
    if layout == "card":
        sh = Sheet(CARD[0] + 40, CARD[1] + 40, paper=(232, 232, 230))
        _card_back(sh, p, rng, 20, 20, 1.0)
    else:
        sh = Sheet(*A4)
        sh.paper_tone(rng)
        k = rng.uniform(0.78, 0.9)
        _card_back(sh, p, rng, int(A4[0] / 2 - CARD[0] * k / 2), 1000, k)
        sh.text(200, 840, "身份证复印件（反面）", size=30, faces=fonts.FANG)
    return finish("id_card_back", golden.id_card_back(p), [sh], seed=seed, layout=layout, facts=p)


# ---------------------------------------------------------------------------------------------
# property certificate: the 不动产权证书 inner page (narrow label column, wrapped values,
# 附记), or the open booklet spread photographed flat
# ---------------------------------------------------------------------------------------------


def _owner_spans(prop: d.Property) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for i, o in enumerate(prop.owners):
        if i:
            out.append(("、", None))
        out.append((o.name, f"owners[{i}]"))
    return out


def property_certificate(
    prop: d.Property, *, seed: int, layout: str, seal_org: str | None = None
) -> Sample:
    rng = rng_for("prop", seed)
    st = Style(rng)
    org = registry_org(prop.registry)
    cert = prop.certificate_number
    shown = cert.replace("(", "（").replace(")", "）") if rng.random() < 0.6 else cert
    area_l = st.pick("面积", "面　积")
    rows = [
        [("权利人", None), (_owner_spans(prop), None)],
        [("共有情况", None), (prop.co_ownership, "co_ownership")],
        [("坐落", None), (prop.location, "location")],
        [("不动产单元号", None), (prop.unit_number, "unit_number")],
        [("权利类型", None), (prop.right_type, "")],
        [("权利性质", None), (prop.right_nature, "")],
        [("用途", None), (prop.use, "")],
    ]
    note = f"宗地面积{prop.land_area}平方米／房屋建筑面积"
    if layout == "register":
        sh = Sheet(*A4)
        sh.paper_tone(rng)
        # a faint green frame of the printed blank
        sh.rect((70, 70, A4[0] - 70, A4[1] - 70), width=3, fill=(120, 160, 130))
        tx, lw, vw = 250, 150, 660
        sh.text(
            A4[0] / 2, 120, "不动产权证书", size=52, faces=st.title, align="center", spacing=0.3
        )
        b = sh.text(
            tx,
            230,
            shown,
            size=30,
            faces=st.digits if st.printer else st.value,
            key="certificate_number",
            jitter=st.jitter,
            shift=st.shift,
            fill=st.value_fill,
        )
        del b
        size = 30
        y = table(sh, tx, 300, [lw, vw], rows, st=st, size=size, min_h=84)
        # the area row: the value inside a sentence in the cell
        h = 130
        sh.vline(tx, y, y + h)
        sh.vline(tx + lw, y, y + h)
        sh.vline(tx + lw + vw, y, y + h)
        sh.cell(
            (tx, y, tx + lw, y + h),
            area_l,
            size=size,
            faces=st.label,
            align="center",
            fill=st.label_fill,
        )
        yy = y + 20
        fx = flow(
            sh,
            [(note, None)],
            x0=tx + lw + 14,
            x1=tx + lw + vw - 14,
            y=yy,
            size=size - 2,
            st=st,
            leading=1.5,
            indent=0,
        )
        bb = sh.text(
            tx + lw + 14,
            fx,
            prop.area,
            size=size,
            faces=st.digits,
            key="area",
            jitter=st.jitter,
            shift=st.shift,
            fill=st.value_fill,
        )
        sh.text(bb[2] + 8, fx, "平方米", size=size - 2, faces=st.label, fill=st.label_fill)
        y += h
        sh.hline(tx, tx + lw + vw, y)
        y = table(
            sh,
            tx,
            y,
            [lw, vw],
            [[("使用期限", None), (prop.term, "")], [("权利其他状况", None), ("无", "")]],
            st=st,
            size=size,
            min_h=84,
        )
        sh.text(150, y + 40, "附  记", size=30, faces=st.label, fill=st.label_fill)
        fy = y + 100
        for para in (
            f"登记时间：{zh_date(prop.registered_on)}",
            "本证书记载的内容与不动产登记簿不一致的，以不动产登记簿为准。",
            f"编号：{prop.print_serial}",
        ):
            fy = (
                flow(
                    sh, [(para, None)], x0=150, x1=1170, y=fy, size=24, st=st, leading=1.6, indent=0
                )
                + 6
            )
        seal_place(
            sh,
            "registry",
            940,
            A4[1] - 250,
            rng,
            org=seal_org or org,
            expected_org=org,
            diameter=250,
            legend="不动产登记专用章",
        )
        sh.text(760, A4[1] - 190, "登记机构（章）", size=26, faces=st.label, fill=st.label_fill)
        pages = [sh]
    elif layout == "spread":  # the booklet spread: left page with the seal, right page the table
        sh = Sheet(*A4_LANDSCAPE, paper=(248, 244, 234))
        sh.paper_tone(rng, 2.5)
        W, H = A4_LANDSCAPE
        sh.vline(W / 2, 40, H - 40, width=3, fill=(200, 190, 170))
        left = (80, W / 2 - 60)
        fy = 180.0
        for para in (
            "根据《中华人民共和国民法典》等法律法规，为保护不动产权利人合法权益，对不动产权利人申请登记的本证所列不动产权利，经审查核实，准予登记，颁发此证。",
        ):
            fy = flow(
                sh,
                [(para, None)],
                x0=left[0] + 40,
                x1=left[1] - 40,
                y=fy,
                size=26,
                st=st,
                leading=1.75,
            )
        sh.text(
            W / 4,
            fy + 120,
            "登记机构（章）",
            size=28,
            faces=st.label,
            align="center",
            fill=st.label_fill,
        )
        seal_place(
            sh,
            "registry",
            W / 4,
            fy + 140,
            rng,
            org=seal_org or org,
            expected_org=org,
            diameter=260,
            legend="不动产登记专用章",
        )
        sh.text(
            W / 4, fy + 300, zh_date(prop.registered_on), size=28, faces=st.label, align="center"
        )
        sh.text(
            W / 4,
            H - 150,
            f"NO {prop.print_serial}",
            size=24,
            faces=fonts.DIGITS,
            align="center",
            fill=(170, 40, 40),
        )
        x0 = W / 2 + 60
        sh.text(
            x0,
            110,
            shown,
            size=28,
            faces=st.digits if st.printer else st.value,
            key="certificate_number",
            jitter=st.jitter,
            shift=st.shift,
            fill=st.value_fill,
        )
        rows2 = [
            *rows,
            [("面积", None), ([(prop.area, "area"), ("平方米", None)], None)],
            [("使用期限", None), (prop.term, "")],
        ]
        table(sh, x0, 170, [150, W - 90 - x0 - 150], rows2, st=st, size=23, min_h=70)
        pages = [sh]
    else:  # the electronic licence (电子证照) as the 浙里办 app renders it, printed or saved
        pages = [_property_ecert(prop, rng, st, org=org, seal_org=seal_org or org, shown=shown)]
    return finish(
        "property_certificate",
        golden.property_certificate(prop),
        pages,
        seed=seed,
        layout=layout,
        facts=prop,
    )


def _property_ecert(
    prop: d.Property, rng: random.Random, st: Style, *, org: str, seal_org: str, shown: str
) -> Sheet:
    """不动产权证书（电子证照）: a blue band, label: value rows on hairlines, a QR code, a
    diagonal watermark and the electronic seal of the registry."""
    W, H = A4
    sh = Sheet(W, H, paper=(255, 255, 255))
    band = (28, 92, 170) if rng.random() < 0.6 else (22, 120, 110)
    sh.draw.rectangle([0, 0, W, 170], fill=band)
    sh.text(80, 56, "不动产权证书", size=50, faces=fonts.HEI, fill=(255, 255, 255), spacing=0.1)
    sh.text(W - 80, 74, "电子证照", size=32, faces=fonts.HEI, fill=(230, 240, 255), align="right")
    # the watermark under everything else
    wm = Image.new("L", (W, H), 0)
    from PIL import ImageDraw

    dr = ImageDraw.Draw(wm)
    f = fonts.font("twsung", 34)
    for yy in range(260, H, 260):
        for xx in range(-200, W, 520):
            dr.text((xx, yy), "仅供不动产登记业务使用", font=f, fill=255)
    wm = wm.rotate(28, resample=Image.Resampling.BILINEAR)
    arr = np.asarray(sh.img, dtype=np.float32)
    a = (np.asarray(wm, dtype=np.float32) / 255 * 0.1)[:, :, None]
    arr = arr * (1 - a) + np.array((150, 160, 190), np.float32) * a
    sh.img = Image.fromarray(arr.astype(np.uint8))
    sh.refresh()
    size = 27
    lx, vx, right = 90, 330, W - 90
    y = 240.0
    sh.text(lx, y, "证书号", size=size, faces=fonts.SONG, fill=(110, 110, 110))
    sh.text(vx, y, shown, size=size, faces=fonts.SONG, key="certificate_number")
    y += 80
    items: list[tuple[str, list[tuple[str, str | None]]]] = [
        ("权利人", _owner_spans(prop)),
        ("共有情况", [(prop.co_ownership, "co_ownership")]),
        ("坐落", [(prop.location, "location")]),
        ("不动产单元号", [(prop.unit_number, "unit_number")]),
        ("权利类型", [(prop.right_type, None)]),
        ("权利性质", [(prop.right_nature, None)]),
        ("用途", [(prop.use, None)]),
        ("面积", [("房屋建筑面积", None), (prop.area, "area"), ("㎡", None)]),
        ("使用期限", [(prop.term, None)]),
        ("登记时间", [(zh_date(prop.registered_on), None)]),
    ]
    for label, spans in items:
        sh.hline(lx, right, y - 22, width=1, fill=(215, 220, 228))
        sh.text(lx, y, label, size=size, faces=fonts.SONG, fill=(110, 110, 110))
        if len(spans) == 1 and spans[0][1] in ("location",):
            yy = y
            for line in sh.wrap(spans[0][0], right - 300 - vx, size, fonts.SONG):
                sh.text(vx, yy, line, size=size, faces=fonts.SONG, key="location")
                yy += size * 1.45
            y = yy + 40
            continue
        x = float(vx)
        for text, key in spans:
            face = fonts.DIGITS if (key and text.isascii()) else fonts.SONG
            b = sh.text(x, y, text, size=size, faces=face, key=key)
            x = b[2] + size * 0.25
        y += 84
    sh.hline(lx, right, y - 22, width=1, fill=(215, 220, 228))
    qx, qy = W - 330, 330
    sh.rect((qx - 10, qy - 10, qx + 213, qy + 213), width=1, fill=(200, 200, 200))
    _qr(sh, qx, qy, 203, rng)
    sh.text(qx + 101, qy + 232, "扫码核验", size=20, faces=fonts.SONG, align="center")
    sh.text(lx, H - 200, f"登记机构：{org}", size=26, faces=fonts.SONG)
    sh.text(
        lx,
        H - 140,
        f"证照标识：{prop.print_serial}{rng.randint(100000, 999999)}",
        size=20,
        faces=fonts.DIGITS,
        fill=(120, 120, 120),
    )
    seal_place(
        sh,
        "registry",
        W - 300,
        H - 220,
        rng,
        org=seal_org,
        expected_org=org,
        diameter=250,
        legend="电子印章",
    )
    return sh


# ---------------------------------------------------------------------------------------------
# sale contract
# ---------------------------------------------------------------------------------------------


def _sign_block(
    sh: Sheet,
    c: d.Contract,
    y: float,
    rng: random.Random,
    st: Style,
    *,
    signed: list[bool],
    agent: d.Person | None,
    finger: bool,
) -> float:
    size = 26
    n_s = len(c.sellers)
    people = [("出卖人", "seller", i, p) for i, p in enumerate(c.sellers)]
    people += [("买受人", "buyer", i, p) for i, p in enumerate(c.buyers)]
    col = [(110, y), (700, y)]
    rows = [0, 0]
    for j, (label, who, i, p) in enumerate(people):
        side = 0 if who == "seller" else 1
        x, yy = col[side][0], col[side][1] + rows[side] * 130
        lb = sh.text(x, yy, f"{label}（签章）：", size=size, faces=st.label, fill=st.label_fill)
        sh.hline(lb[2] + 6, lb[2] + 300, yy + 54, width=1, fill=(90, 90, 90))
        sign_place(
            sh,
            f"{who}[{i}]",
            (lb[2] + 12, yy - 46, lb[2] + 300, yy + 40),
            rng,
            present=signed[j],
            finger=finger,
            name_len=len(p.name),
        )
        rows[side] += 1
    del n_s
    y = y + max(rows) * 130 + 10
    if agent is not None:
        lb = sh.text(110, y, "委托代理人（签章）：", size=size, faces=st.label, fill=st.label_fill)
        sign_place(
            sh,
            "agent",
            (lb[2] + 12, y - 46, lb[2] + 300, y + 40),
            rng,
            present=True,
            finger=False,
            name_len=len(agent.name),
        )
        y += 130
    return y


def _barcode(sh: Sheet, x: float, y: float, w: float, h: float, rng: random.Random) -> None:
    cx = x
    while cx < x + w:
        bw = rng.choice((2, 2, 3, 4, 6))
        if rng.random() < 0.55:
            sh.draw.rectangle([cx, y, cx + bw - 1, y + h], fill=INK)
        cx += bw


def _netsign(
    c: d.Contract,
    pages: list[Sheet],
    st: Style,
    rng: random.Random,
    *,
    signed: list[bool],
    agent: d.Person | None,
) -> None:
    """The contract signed on the city's online signing system (网签): a filing number and a
    bar code, the parties and the house in ruled tables, the clauses, and a signing table."""
    p0, last = pages[0], pages[-1]
    W = A4[0]
    p0.text(W / 2, 120, "存量房买卖合同", size=44, faces=fonts.HEI, align="center", spacing=0.1)
    p0.text(W / 2, 185, "（网签版）", size=24, faces=fonts.SONG, align="center")
    p0.text(
        110,
        250,
        f"合同备案号：WQ{c.number.replace('-', '')}{rng.randint(10, 99)}",
        size=21,
        faces=fonts.DIGITS,
    )
    _barcode(p0, W - 420, 236, 310, 44, rng)
    size = 22
    rows: list[list[tuple[Any, str | None]]] = [
        [("当事人", None), ("姓名", None), ("证件类型", None), ("证件号码", None)],
    ]
    for i, s in enumerate(c.sellers):
        rows.append(
            [
                ("出卖人", None),
                (s.name, f"sellers[{i}].name"),
                ("居民身份证", ""),
                (c.printed_id(s), f"sellers[{i}].id_number"),
            ]
        )
    for i, b in enumerate(c.buyers):
        rows.append(
            [
                ("买受人", None),
                (b.name, f"buyers[{i}].name"),
                ("居民身份证", ""),
                (c.printed_id(b), f"buyers[{i}].id_number"),
            ]
        )
    y = table(p0, 110, 310, [150, 220, 200, 533], rows, st=st, size=size, min_h=64, rule=1)
    p0.text(110, y + 40, "房屋基本情况", size=26, faces=fonts.HEI)
    house = [
        [("房屋坐落", None), (c.printed_location, "location")],
        [("不动产权证书号", None), (c.printed_certificate_number, "certificate_number")],
        [("建筑面积（㎡）", None), (c.prop.area, "")],
        [("规划用途", None), ("住宅", "")],
        [("成交总价（元）", None), (str(c.price), "price")],
        [("价款大写", None), (capital_amount(c.price), "")],
        [("资金监管", None), ("是（存量房交易资金监管账户）", "")],
    ]
    y = table(p0, 110, y + 100, [230, 873], house, st=st, size=size, min_h=64, rule=1)
    y = flow(
        p0,
        [("说明：本合同经买卖双方在网上签约系统确认后打印，各页内容与系统备案信息一致。", None)],
        x0=110,
        x1=W - 110,
        y=y + 40,
        size=20,
        st=st,
        indent=0,
    )
    y = 140.0
    for body in (
        "第一条　出卖人保证该房屋没有产权纠纷，未设定抵押，未被查封；"
        "因出卖人原因造成不能办理转移登记的，由出卖人承担责任。",
        f"第二条　出卖人应于{zh_date(c.handover_date)}前将房屋交付买受人。",
        "第三条　买卖双方应于本合同网签备案之日起三十日内，共同向不动产登记机构申请转移登记。",
        "第四条　本合同经双方签字（盖章）后生效，"
        "网签备案信息与纸质合同不一致的，以网签备案信息为准。",
    ):
        y = flow(last, [(body, None)], x0=110, x1=W - 110, y=y, size=24, st=st) + 12
    y += 40
    sign_rows = len(c.sellers) + len(c.buyers) + (1 if agent is not None else 0)
    row_h = 120
    x_a, x_b, x_c = 110, 330, W - 110
    last.hline(x_a, x_c, y, width=1)
    people = [("出卖人（签章）", f"seller[{i}]", p) for i, p in enumerate(c.sellers)]
    people += [("买受人（签章）", f"buyer[{i}]", p) for i, p in enumerate(c.buyers)]
    for j, (label, place, p) in enumerate(people):
        yy = y + j * row_h
        last.text(x_a + 12, yy + row_h / 2 - 13, label, size=24, faces=st.label, fill=st.label_fill)
        sign_place(
            last,
            place,
            (x_b + 20, yy + 14, x_b + 340, yy + row_h - 14),
            rng,
            present=signed[j],
            finger=False,
            name_len=len(p.name),
        )
        last.hline(x_a, x_c, yy + row_h, width=1)
    if agent is not None:
        yy = y + len(people) * row_h
        last.text(x_a + 12, yy + row_h / 2 - 13, "委托代理人", size=24, faces=st.label)
        sign_place(
            last,
            "agent",
            (x_b + 20, yy + 14, x_b + 340, yy + row_h - 14),
            rng,
            present=True,
            finger=False,
            name_len=len(agent.name),
        )
        last.hline(x_a, x_c, yy + row_h, width=1)
    bottom = y + sign_rows * row_h
    for x in (x_a, x_b, x_c):
        last.vline(x, y, bottom, width=1)
    lb = last.text(x_a, bottom + 50, "网签日期：", size=24, faces=st.label)
    last.text(
        lb[2] + 8,
        bottom + 50,
        zh_date(c.signed_date, pad=True),
        size=24,
        faces=fonts.DIGITS,
        key="signed_date",
    )
    for i, p in enumerate(pages):
        p.text(
            W - 110,
            A4[1] - 90,
            f"第{i + 1}页／共{len(pages)}页",
            size=18,
            faces=fonts.SONG,
            align="right",
        )


def sale_contract(
    c: d.Contract,
    *,
    seed: int,
    layout: str,
    signed: Sequence[bool] | None = None,
    agent: d.Person | None = None,
) -> Sample:
    """``signed``: for each seller then buyer, whether they signed (default all)."""
    rng = rng_for("contract", seed)
    st = Style(rng)
    n = len(c.sellers) + len(c.buyers)
    sig = list(signed) if signed is not None else [True] * n
    prop = c.prop
    id_l = st.pick("身份证号码", "公民身份号码", "证件号码")
    size = 25
    x0, x1 = 110, A4[0] - 110
    title = st.pick("存量房买卖合同", "浙江省存量房买卖合同", "二手房买卖合同")
    n_pages = 3 if layout == "clauses" else 2
    pages = [Sheet(*A4, index=i) for i in range(n_pages)]
    for p in pages:
        p.paper_tone(rng, 2)
    if layout == "netsign":
        _netsign(c, pages, st, rng, signed=sig, agent=agent)
        return finish(
            "sale_contract", golden.sale_contract(c), pages, seed=seed, layout=layout, facts=c
        )
    p0 = pages[0]
    p0.text(A4[0] / 2, 120, title, size=46, faces=st.title, align="center", spacing=0.15)
    p0.text(x1, 200, f"合同编号：{c.number}", size=20, faces=fonts.DIGITS, align="right")
    y = 270.0
    if layout == "clauses":
        for i, s in enumerate(c.sellers):
            y = flow(
                p0,
                [
                    ("出卖人（甲方）：", None),
                    (s.name, f"sellers[{i}].name"),
                    (f"，{id_l}：", None),
                    (c.printed_id(s), f"sellers[{i}].id_number"),
                    ("；", None),
                ],
                x0=x0,
                x1=x1,
                y=y,
                size=size,
                st=st,
                indent=0,
            )
        for i, b in enumerate(c.buyers):
            y = flow(
                p0,
                [
                    ("买受人（乙方）：", None),
                    (b.name, f"buyers[{i}].name"),
                    (f"，{id_l}：", None),
                    (c.printed_id(b), f"buyers[{i}].id_number"),
                    ("；", None),
                ],
                x0=x0,
                x1=x1,
                y=y,
                size=size,
                st=st,
                indent=0,
            )
        y += 20
        y = flow(
            p0,
            [
                (
                    "根据《中华人民共和国民法典》《中华人民共和国城市房地产管理法》及其他有关法律、法规之规定，"
                    "甲、乙双方在平等、自愿、协商一致的基础上，就乙方购买甲方存量房屋事宜，订立本合同。",
                    None,
                )
            ],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
        )
        y += 14
        p0.text(x0, y, "第一条　房屋基本情况", size=size + 1, faces=fonts.HEI)
        y += 56
        y = flow(
            p0,
            [
                ("乙方自愿购买甲方坐落于", None),
                (c.printed_location, "location"),
                ("的房屋，该房屋不动产权证书号为", None),
                (c.printed_certificate_number, "certificate_number"),
                ("，建筑面积", None),
                (prop.area, None),
                ("平方米，用途为住宅。", None),
            ],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
        )
        y += 14
        p0.text(x0, y, "第二条　成交价格与付款方式", size=size + 1, faces=fonts.HEI)
        y += 56
        y = flow(
            p0,
            [
                ("经甲、乙双方协商一致，该房屋成交价格为人民币", None),
                (str(c.price), "price"),
                (
                    f"元（大写：{capital_amount(c.price)}）。乙方于本合同签订之日向甲方支付定金人民币{c.deposit}元，"
                    "余款通过资金监管账户支付。",
                    None,
                ),
            ],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
        )
        p1 = pages[1]
        y = 140.0
        for head, body in (
            (
                "第三条　房屋交付",
                f"甲方应于{zh_date(c.handover_date)}前将该房屋交付乙方，并结清交付前的水、电、燃气、物业等费用。",
            ),
            (
                "第四条　税费承担",
                "本合同履行过程中发生的税费，由甲、乙双方按照国家及本市有关规定各自承担。",
            ),
            (
                "第五条　转移登记",
                "甲、乙双方应在本合同签订之日起三十日内，共同向不动产登记机构申请办理转移登记。",
            ),
            (
                "第六条　违约责任",
                "任何一方逾期履行本合同义务的，每逾期一日，按已付款的万分之五向守约方支付违约金。",
            ),
            (
                "第七条　争议解决",
                "本合同履行中发生争议的，由双方协商解决；协商不成的，依法向房屋所在地人民法院起诉。",
            ),
            (
                "第八条　其他",
                "本合同自双方签字（盖章）之日起生效。本合同一式叁份，甲、乙双方各执壹份，登记机构存档壹份。",
            ),
        ):
            p1.text(x0, y, head, size=size + 1, faces=fonts.HEI)
            y = flow(p1, [(body, None)], x0=x0, x1=x1, y=y + 56, size=size, st=st) + 24
        last = pages[2]
        y = 160.0
        last.text(x0, y, "（以下无正文，为签字页）", size=size, faces=st.label)
        y += 140
    else:  # a filled-in template: values typed over underlined blanks
        for i, s in enumerate(c.sellers):
            y = flow(
                p0,
                [
                    ("出卖人：", None),
                    (s.name, f"sellers[{i}].name"),
                    ("　　" + id_l + "：", None),
                    (c.printed_id(s), f"sellers[{i}].id_number"),
                ],
                x0=x0,
                x1=x1,
                y=y,
                size=size,
                st=st,
                indent=0,
                underline_values=True,
            )
        for i, b in enumerate(c.buyers):
            y = flow(
                p0,
                [
                    ("买受人：", None),
                    (b.name, f"buyers[{i}].name"),
                    ("　　" + id_l + "：", None),
                    (c.printed_id(b), f"buyers[{i}].id_number"),
                ],
                x0=x0,
                x1=x1,
                y=y,
                size=size,
                st=st,
                indent=0,
                underline_values=True,
            )
        y += 30
        y = flow(
            p0,
            [("一、房屋坐落：", None), (c.printed_location, "location")],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
            indent=0,
            underline_values=True,
            leading=1.9,
        )
        y = flow(
            p0,
            [("二、不动产权证书号：", None), (c.printed_certificate_number, "certificate_number")],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
            indent=0,
            underline_values=True,
            leading=1.9,
        )
        y = flow(
            p0,
            [(f"三、建筑面积：{prop.area}平方米；规划用途：住宅。", None)],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
            indent=0,
            leading=1.9,
        )
        y = flow(
            p0,
            [("四、成交总价（人民币）：", None), (str(c.price), "price"), ("元", None)],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
            indent=0,
            underline_values=True,
            leading=1.9,
        )
        y = flow(
            p0,
            [(f"　　大写：{capital_amount(c.price)}", None)],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
            indent=0,
            leading=1.9,
        )
        y = flow(
            p0,
            [(f"五、交付日期：{zh_date(c.handover_date)}前。", None)],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
            indent=0,
            leading=1.9,
        )
        y += 20
        for body in (
            "六、甲方保证该房屋权属清楚，不存在查封、抵押等权利限制；如有纠纷，由甲方负责处理。",
            "七、双方应在本合同签订后三十日内共同申请转移登记，税费按规定各自承担。",
            f"八、付款方式：乙方于本合同签订之日支付定金人民币{c.deposit}元，"
            "其余房款通过存量房交易资金监管账户划转，于转移登记完成后支付给甲方。",
            "九、甲方应在房屋交付前将户籍迁出该房屋，并结清水、电、燃气、有线电视、物业管理等费用。",
            "十、违约责任：甲方逾期交付房屋或乙方逾期付款的，每逾期一日，"
            "由违约方按房屋总价款的万分之三向守约方支付违约金；逾期超过三十日的，守约方有权解除合同。",
            "十一、本合同在履行中发生争议，由双方协商解决；协商不成的，可向房屋所在地人民法院起诉。",
        ):
            y = flow(p0, [(body, None)], x0=x0, x1=x1, y=y, size=size, st=st) + 10
        last = pages[1]
        y = 150.0
        y = (
            flow(
                last,
                [
                    (
                        "八、本合同未尽事宜，双方可另行签订补充协议，补充协议与本合同具有同等法律效力。",
                        None,
                    )
                ],
                x0=x0,
                x1=x1,
                y=y,
                size=size,
                st=st,
            )
            + 120
        )
    y = _sign_block(last, c, y + 40, rng, st, signed=sig, agent=agent, finger=rng.random() < 0.6)
    lb = last.text(
        x0,
        y + 40,
        st.pick("签订日期：", "签约日期：", "合同签订日期："),
        size=size,
        faces=st.label,
        fill=st.label_fill,
    )
    last.text(
        lb[2] + 10,
        y + 40,
        zh_date(c.signed_date, pad=rng.random() < 0.4),
        size=size,
        faces=st.value,
        key="signed_date",
        fill=st.value_fill,
        jitter=st.jitter,
        shift=st.shift,
    )
    for i, p in enumerate(pages):
        p.text(A4[0] / 2, A4[1] - 90, f"— {i + 1} —", size=20, faces=fonts.DIGITS, align="center")
    return finish(
        "sale_contract", golden.sale_contract(c), pages, seed=seed, layout=layout, facts=c
    )


# ---------------------------------------------------------------------------------------------
# marriage certificate
# ---------------------------------------------------------------------------------------------

BOOK = (1100, 1500)


def _couple_photo(
    sh: Sheet, box: Sequence[float], rng: random.Random, sexes: Sequence[str]
) -> None:
    x0, y0, x1, y1 = (int(v) for v in box)
    w, h = x1 - x0, y1 - y0
    sh.img.paste(Image.new("RGB", (w, h), (196, 36, 40)), (x0, y0))
    sh.refresh()
    for i, sex in enumerate(sexes):
        _portrait(sh, (x0 + i * w // 2 + 6, y0 + 6, x0 + (i + 1) * w // 2 - 6, y1 - 6), rng, sex)
    # the photo's red background shows between the cut-outs
    sh.rect((x0, y0, x1, y1), width=3, fill=(150, 30, 30))


def marriage_certificate(m: d.Marriage, *, seed: int, layout: str) -> Sample:
    rng = rng_for("marriage", seed)
    st = Style(rng)
    holder, spouse = m.holder, m.spouse
    order = (holder, spouse) if rng.random() < 0.5 else (spouse, holder)
    if holder.sex == "男" and rng.random() < 0.5:
        order = (holder, spouse)
    size = 26
    if layout == "spread":  # the booklet photographed open: a left and a right page
        W, H = BOOK[0] * 2, BOOK[1]
        sh = Sheet(W, H, paper=(250, 238, 232))
        sh.paper_tone(rng, 2.5)
        # pink guilloche of the certificate paper
        _guilloche(sh, rng, (40, 40, W - 40, H - 40), (236, 190, 190))
        sh.vline(W / 2, 20, H - 20, width=4, fill=(200, 160, 150))
        xl = 120
        lab: dict[str, Any] = dict(size=size, faces=st.label, fill=(120, 40, 40))
        y = 200.0
        for label, value, key in (
            ("持证人", holder.name, "holder"),
            ("登记日期", zh_date(m.registration_date, pad=True), "registration_date"),
            ("结婚证字号", m.certificate_number, "certificate_number"),
        ):
            lb = sh.text(xl, y, label, **lab)
            faces = st.digits if value.isascii() else st.value
            sh.text(
                max(lb[2] + 30, 330),
                y,
                value,
                size=size,
                faces=faces,
                key=key,
                fill=st.value_fill,
                jitter=st.jitter,
                shift=st.shift,
            )
            y += 90
        sh.text(xl, y, "备注", **lab)
        _couple_photo(sh, (300, 620, 800, 960), rng, [p.sex for p in order])
        sh.text(BOOK[0] / 2, 1180, "登记机关", **{**lab, "size": 24})
        seal_place(
            sh,
            "registry",
            660,
            1100,
            rng,
            org=m.authority,
            expected_org=m.authority,
            diameter=240,
            legend="婚姻登记专用章",
        )
        xr = BOOK[0] + 120
        y = 220.0
        for i, p in enumerate(order):
            for label, value, key in (
                ("姓名", p.name, f"spouses[{i}].name"),
                ("性别", p.sex, None),
                ("国籍", "中国", None),
                ("出生日期", zh_date(p.birth_date, pad=True), None),
                ("身份证件号", p.id_number, f"spouses[{i}].id_number"),
            ):
                lb = sh.text(xr, y, label, **lab)
                faces = st.digits if value.isascii() else st.value
                sh.text(
                    max(lb[2] + 30, xr + 190),
                    y,
                    value,
                    size=size,
                    faces=faces,
                    key=key,
                    fill=st.value_fill,
                    jitter=st.jitter,
                    shift=st.shift,
                )
                y += 78
            y += 100
        pages = [sh]
    else:  # one inner page, ruled lines under each value
        sh = Sheet(*BOOK, paper=(252, 242, 238))
        sh.paper_tone(rng)
        sh.text(
            BOOK[0] / 2,
            110,
            "结 婚 证",
            size=54,
            faces=st.title,
            align="center",
            fill=(170, 30, 30),
        )
        y = 240.0
        lab = dict(size=size, faces=st.label, fill=(110, 50, 50))
        for label, value, key in (
            ("持证人", holder.name, "holder"),
            ("登记日期", zh_date(m.registration_date), "registration_date"),
            ("结婚证字号", m.certificate_number, "certificate_number"),
        ):
            sh.text(100, y, label, **lab)  # type: ignore[arg-type]
            faces = st.digits if value.isascii() else st.value
            sh.text(
                300,
                y - 3,
                value,
                size=size,
                faces=faces,
                key=key,
                fill=st.value_fill,
                jitter=st.jitter,
                shift=st.shift,
            )
            sh.hline(290, 1000, y + size * 1.35, width=1, fill=(180, 120, 120))
            y += 84
        y += 30
        for i, p in enumerate(order):
            sh.text(100, y, "姓名", **lab)  # type: ignore[arg-type]
            sh.text(
                230,
                y,
                p.name,
                size=size,
                faces=st.value,
                key=f"spouses[{i}].name",
                fill=st.value_fill,
            )
            sh.text(560, y, "性别", **lab)  # type: ignore[arg-type]
            sh.text(660, y, p.sex, size=size, faces=st.value, fill=st.value_fill)
            sh.text(100, y + 70, "国籍", **lab)  # type: ignore[arg-type]
            sh.text(230, y + 70, "中国", size=size, faces=st.value)
            sh.text(560, y + 70, "出生日期", **lab)  # type: ignore[arg-type]
            sh.text(720, y + 70, dot_date(p.birth_date), size=size, faces=st.digits)
            sh.text(100, y + 140, "身份证件号", **lab)  # type: ignore[arg-type]
            sh.text(
                300,
                y + 140,
                p.id_number,
                size=size,
                faces=st.digits,
                key=f"spouses[{i}].id_number",
                fill=st.value_fill,
                jitter=st.jitter,
                shift=st.shift,
            )
            y += 250
        _couple_photo(sh, (300, y, 800, y + 320), rng, [p.sex for p in order])
        sh.text(700, BOOK[1] - 130, "登记机关", size=24, faces=st.label)
        seal_place(
            sh,
            "registry",
            820,
            BOOK[1] - 170,
            rng,
            org=m.authority,
            expected_org=m.authority,
            diameter=220,
            legend="婚姻登记专用章",
        )
        pages = [sh]
    return finish(
        "marriage_certificate",
        golden.marriage_certificate(m, spouses=order),
        pages,
        seed=seed,
        layout=layout,
        facts=m,
    )


# ---------------------------------------------------------------------------------------------
# power of attorney
# ---------------------------------------------------------------------------------------------


def power_of_attorney(
    poa: d.PowerOfAttorney, *, seed: int, layout: str, signed: bool = True
) -> Sample:
    rng = rng_for("poa", seed)
    st = Style(rng)
    pr, ag = poa.principal, poa.agent
    sh = Sheet(*A4)
    sh.paper_tone(rng)
    size = rng.choice((25, 27, 29))
    x0, x1 = 130, A4[0] - 130
    id_l = st.pick("身份证号码", "公民身份号码")
    sh.text(
        A4[0] / 2,
        150,
        st.pick("委托书", "授权委托书"),
        size=50,
        faces=st.title,
        align="center",
        spacing=0.5,
    )
    if layout == "letter":
        y = flow(
            sh,
            [
                ("委托人：", None),
                (pr.name, "principal.name"),
                (f"，{id_l}：", None),
                (pr.id_number, "principal.id_number"),
                ("。", None),
            ],
            x0=x0,
            x1=x1,
            y=280,
            size=size,
            st=st,
            indent=0,
            leading=1.9,
        )
        y = flow(
            sh,
            [
                ("受托人：", None),
                (ag.name, "agent.name"),
                (f"，{id_l}：", None),
                (ag.id_number, "agent.id_number"),
                ("。", None),
            ],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
            indent=0,
            leading=1.9,
        )
        y += 30
        y = flow(
            sh,
            [
                (
                    f"本人因工作原因不能亲自办理位于{poa.location}房屋的{poa.matter}事宜，现委托受托人作为我的合法代理人，"
                    "代为签署相关文件、提交申请材料、领取不动产权证书。受托人在办理上述事项过程中所签署的有关文件，我均予以承认，"
                    "并承担相应的法律责任。",
                    None,
                )
            ],
            x0=x0,
            x1=x1,
            y=y,
            size=size,
            st=st,
            leading=1.9,
        )
        y = flow(
            sh,
            [("委托期限：自签字之日起至上述事项办结之日止。受托人无转委托权。", None)],
            x0=x0,
            x1=x1,
            y=y + 10,
            size=size,
            st=st,
            leading=1.9,
        )
        y += 160
        lb = sh.text(640, y, "委托人（签名）：", size=size, faces=st.label, fill=st.label_fill)
        sign_place(
            sh,
            "principal",
            (lb[2] + 10, y - 50, lb[2] + 280, y + 40),
            rng,
            present=signed,
            finger=rng.random() < 0.5,
            name_len=len(pr.name),
        )
        y += 120
        sh.text(640, y, "日期：", size=size, faces=st.label, fill=st.label_fill)
        sh.text(
            640 + size * 3.2,
            y,
            zh_date(poa.signed_date),
            size=size,
            faces=st.value,
            key="signed_date",
            fill=st.value_fill,
            jitter=st.jitter,
            shift=st.shift,
        )
    else:  # a ruled form
        rows = [
            [
                ("委托人", None),
                (pr.name, "principal.name"),
                ("身份证件号码", None),
                (pr.id_number, "principal.id_number"),
            ],
            [
                ("受托人", None),
                (ag.name, "agent.name"),
                ("身份证件号码", None),
                (ag.id_number, "agent.id_number"),
            ],
            [
                ("委托事项", None),
                (f"代为办理坐落于{poa.location}房屋的{poa.matter}及相关手续", ""),
            ],
            [("委托权限", None), ("代为申请、签署登记申请书、领取证书", "")],
        ]
        y = table(sh, 110, 280, [170, 250, 200, 483], rows, st=st, size=size - 3, min_h=92)
        y += 80
        y = flow(
            sh,
            [("委托人承诺：以上内容真实有效，因委托产生的一切法律后果由委托人承担。", None)],
            x0=x0,
            x1=x1,
            y=y,
            size=size - 2,
            st=st,
        )
        y += 120
        lb = sh.text(130, y, "委托人签名（捺印）：", size=size, faces=st.label, fill=st.label_fill)
        sign_place(
            sh,
            "principal",
            (lb[2] + 10, y - 50, lb[2] + 300, y + 40),
            rng,
            present=signed,
            finger=True,
            name_len=len(pr.name),
        )
        y += 130
        lb = sh.text(130, y, "签署日期：", size=size, faces=st.label, fill=st.label_fill)
        sh.text(
            lb[2] + 10,
            y,
            zh_date(poa.signed_date, pad=True),
            size=size,
            faces=st.value,
            key="signed_date",
            fill=st.value_fill,
            jitter=st.jitter,
            shift=st.shift,
        )
    return finish(
        "power_of_attorney",
        golden.power_of_attorney(poa),
        [sh],
        seed=seed,
        layout=layout,
        facts=poa,
    )


# ---------------------------------------------------------------------------------------------
# household register: the 户口簿 首页 + 常住人口登记卡 pages, or the cards alone
# ---------------------------------------------------------------------------------------------

HUKOU = (960, 1340)


def _hukou_card(
    sh: Sheet,
    hh: d.Household,
    i: int,
    p: d.Person,
    rel: str,
    st: Style,
    rng: random.Random,
    *,
    keyed_address: bool,
) -> None:
    size = 23
    sh.text(
        HUKOU[0] / 2, 70, "常住人口登记卡", size=40, faces=st.title, align="center", spacing=0.2
    )
    rows = [
        [
            ("姓名", None),
            (p.name, f"members[{i}].name"),
            ("户主或与户主关系", None),
            (rel, f"members[{i}].relation"),
        ],
        [("性别", None), (p.sex, ""), ("民族", None), (p.ethnicity, "")],
        [("出生日期", None), (zh_date(p.birth_date), ""), ("出生地", None), ("浙江省", "")],
        [("公民身份证件编号", None), (p.id_number, f"members[{i}].id_number")],
        [
            ("住址", None),
            (hh.address, "address" if keyed_address else ""),
        ],
        [
            ("文化程度", None),
            (rng.choice(("大学本科", "高中", "硕士研究生", "大学专科")), ""),
            ("婚姻状况", None),
            (rng.choice(("已婚", "未婚")), ""),
        ],
        [("何时由何地迁来本址", None), ("", None)],
    ]
    table(sh, 60, 150, [190, 250, 200, 200], rows, st=st, size=size, min_h=78, rule=1)
    sh.text(100, HUKOU[1] - 170, "承办人签章：", size=22, faces=st.label)
    sh.text(100, HUKOU[1] - 110, f"登记日期：{zh_date(p.valid_from)}", size=22, faces=st.label)


def household_register(hh: d.Household, *, seed: int, layout: str) -> Sample:
    rng = rng_for("hukou", seed)
    st = Style(rng)
    pages: list[Sheet] = []
    org = hh.authority
    if layout == "booklet":
        sh = Sheet(*HUKOU, paper=(246, 246, 238))
        sh.paper_tone(rng)
        sh.text(HUKOU[0] / 2, 80, "户口簿", size=46, faces=st.title, align="center", spacing=0.4)
        head = hh.members[0][0]
        rows = [
            [("户别", None), (hh.kind, ""), ("户主姓名", None), (head.name, "")],
            [("户号", None), (hh.household_number, "")],
            [("住址", None), (hh.address, "address")],
            [("户口登记机关", None), (org, "")],
        ]
        y = table(sh, 60, 190, [150, 280, 150, 260], rows, st=st, size=24, min_h=90)
        sh.text(500, y + 120, "户口登记机关盖章", size=22, faces=st.label)
        seal_place(
            sh,
            "registry",
            700,
            y + 140,
            rng,
            org=org,
            expected_org=org,
            diameter=210,
            legend="户口专用章",
        )
        sh.text(100, y + 320, f"签发日期：{zh_date(head.valid_from)}", size=22, faces=st.label)
        pages.append(sh)
        for i, (p, rel) in enumerate(hh.members):
            card = Sheet(*HUKOU, index=len(pages), paper=(246, 246, 238))
            card.paper_tone(rng)
            # the address is the cover's (golden there); each card repeats it
            _hukou_card(card, hh, i, p, rel if i else "户主", st, rng, keyed_address=False)
            pages.append(card)
    else:  # the member cards only, each stamped
        for i, (p, rel) in enumerate(hh.members):
            card = Sheet(*HUKOU, index=i, paper=(244, 247, 240))
            card.paper_tone(rng)
            _hukou_card(card, hh, i, p, rel, st, rng, keyed_address=i == 0)
            seal_place(
                card,
                "registry",
                700,
                HUKOU[1] - 170,
                rng,
                org=org,
                expected_org=org,
                diameter=200,
                legend="户口专用章",
            )
            pages.append(card)
    return finish(
        "household_register",
        golden.household_register(hh),
        pages,
        seed=seed,
        layout=layout,
        facts=hh,
    )


# ---------------------------------------------------------------------------------------------
# business licence
# ---------------------------------------------------------------------------------------------


def _qr(sh: Sheet, x: int, y: int, size: int, rng: random.Random) -> None:
    n = 29
    cell = size // n
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    grid = nrng.uniform(0, 1, (n, n)) > 0.5
    for cx, cy in ((0, 0), (n - 7, 0), (0, n - 7)):
        grid[cy : cy + 7, cx : cx + 7] = False
        grid[cy : cy + 7, cx] = grid[cy : cy + 7, cx + 6] = True
        grid[cy, cx : cx + 7] = grid[cy + 6, cx : cx + 7] = True
        grid[cy + 2 : cy + 5, cx + 2 : cx + 5] = True
    for r in range(n):
        for c in range(n):
            if grid[r, c]:
                sh.draw.rectangle(
                    [x + c * cell, y + r * cell, x + (c + 1) * cell - 1, y + (r + 1) * cell - 1],
                    fill=INK,
                )


def business_license(c: d.Company, *, seed: int, layout: str) -> Sample:
    rng = rng_for("licence", seed)
    st = Style(rng, printer=False)
    if layout == "landscape":
        W, H = A4_LANDSCAPE
        sh = Sheet(W, H, paper=(253, 250, 244))
        sh.paper_tone(rng)
        for k, col in ((30, (196, 150, 80)), (44, (214, 180, 120))):
            sh.rect((k, k, W - k, H - k), width=6 if k == 30 else 2, fill=col)
        _emblem(sh, W / 2, 150, 70)
        sh.text(
            W / 2, 250, "营 业 执 照", size=74, faces=fonts.HEI, align="center", fill=(20, 20, 20)
        )
        sh.text(
            W / 2,
            350,
            "（副　本）" if rng.random() < 0.5 else "",
            size=30,
            faces=fonts.SONG,
            align="center",
        )
        sh.text(120, 290, "统一社会信用代码", size=26, faces=st.label)
        sh.text(120, 330, c.credit_code, size=30, faces=fonts.DIGITS, key="credit_code")
        _qr(sh, W - 330, 170, 203, rng)
        sh.text(W - 360, 390, "扫描二维码登录“国家企业信用信息公示系统”", size=15, faces=fonts.SONG)
        size = 27
        lx, vx = 150, 340
        y = 480.0
        for label, value, key in (
            ("名　　称", c.name, "name"),
            ("类　　型", c.kind, None),
            ("法定代表人", c.legal_representative, "legal_representative"),
        ):
            sh.text(lx, y, label, size=size, faces=st.label)
            sh.cell(
                (vx - 10, y - 10, 900, y + size + 10),
                value,
                size=size,
                faces=st.value,
                key=key,
                pad=10,
            )
            y += 80
        sh.text(lx, y, "经营范围", size=size, faces=st.label)
        flow(sh, [(c.scope, None)], x0=vx, x1=880, y=y, size=22, st=st, indent=0, leading=1.55)
        rx, rvx = 990, 1180
        y = 480.0
        for label, value, key in (
            ("注册资本", c.capital, None),
            ("成立日期", zh_date(c.established), "established_date"),
            ("营业期限", f"{zh_date(c.established)}至长期", None),
        ):
            sh.text(rx, y, label, size=size, faces=st.label)
            sh.text(rvx, y, value, size=size, faces=st.value, key=key)
            y += 80
        sh.text(rx, y, "住　　所", size=size, faces=st.label)
        yy = y
        for line in sh.wrap(c.address, W - 140 - rvx, size, st.value):
            sh.text(rvx, yy, line, size=size, faces=st.value, key="address")
            yy += size * 1.45
        sh.text(1320, H - 230, "登记机关", size=28, faces=st.label)
        seal_place(
            sh, "issuer", 1480, H - 250, rng, org=c.registry, expected_org=c.registry, diameter=250
        )
        sh.text(1380, H - 140, zh_date(c.established), size=26, faces=st.value)
        pages = [sh]
    else:  # portrait 副本, label column stacked, values dot-matrix printed
        sh = Sheet(*A4, paper=(252, 251, 246))
        sh.paper_tone(rng)
        st = Style(rng, printer=True)
        sh.rect((50, 50, A4[0] - 50, A4[1] - 50), width=8, fill=(180, 140, 70))
        _emblem(sh, A4[0] / 2, 190, 66)
        sh.text(A4[0] / 2, 290, "营业执照", size=70, faces=fonts.HEI, align="center", spacing=0.3)
        sh.text(A4[0] / 2, 390, "（副本）", size=30, faces=fonts.SONG, align="center")
        _qr(sh, A4[0] - 300, 420, 174, rng)
        sh.text(130, 430, "统一社会信用代码", size=24, faces=fonts.SONG)
        sh.text(130, 470, c.credit_code, size=30, faces=fonts.DOT, key="credit_code", jitter=rng)
        y = 650.0
        for label, value, key in (
            ("名称", c.name, "name"),
            ("类型", c.kind, None),
            ("住所", c.address, "address"),
            ("法定代表人", c.legal_representative, "legal_representative"),
            ("注册资本", c.capital, None),
            ("成立日期", zh_date(c.established), "established_date"),
        ):
            sh.text(140, y, label, size=26, faces=fonts.SONG)
            h = sh.cell(
                (360, y - 12, A4[0] - 140, y + 48),
                value,
                size=26,
                faces=fonts.DOT,
                key=key,
                jitter=rng,
                valign="top",
                pad=12,
            )
            y += max(80, h + 40)
        sh.text(140, y, "经营范围", size=26, faces=fonts.SONG)
        flow(
            sh,
            [(c.scope, None)],
            x0=372,
            x1=A4[0] - 140,
            y=y,
            size=22,
            st=Style(rng, printer=False),
            indent=0,
        )
        sh.text(780, A4[1] - 260, "登记机关", size=28, faces=fonts.SONG)
        seal_place(
            sh,
            "issuer",
            930,
            A4[1] - 270,
            rng,
            org=c.registry,
            expected_org=c.registry,
            diameter=250,
        )
        sh.text(820, A4[1] - 160, zh_date(c.established), size=26, faces=fonts.SONG)
        pages = [sh]
    return finish(
        "business_license", golden.business_license(c), pages, seed=seed, layout=layout, facts=c
    )


# ---------------------------------------------------------------------------------------------
# unknown: a dot-matrix utility bill, a queue ticket from the service hall
# ---------------------------------------------------------------------------------------------


def unknown(_facts: Any, *, seed: int, layout: str) -> Sample:
    rng = rng_for("unknown", seed)
    if layout == "bill":
        sh = Sheet(*A4)
        sh.paper_tone(rng)
        st = Style(rng, printer=True)
        sh.text(
            A4[0] / 2, 140, "浙江省电力公司电费通知单", size=42, faces=fonts.HEI, align="center"
        )
        rows = [
            [("户号", None), (f"{rng.randint(3300000000, 3399999999)}", "")],
            [("计费周期", None), ("上月抄表日至本月抄表日", "")],
            [("本期电量", None), (f"{rng.randint(120, 900)}千瓦时", "")],
            [("应缴电费", None), (f"{rng.randint(60, 600)}.{rng.randint(0, 99):02d}元", "")],
            [("缴费方式", None), ("银行代扣，请保证账户余额充足", "")],
        ]
        table(sh, 150, 260, [260, 760], rows, st=st, size=27, min_h=90)
        sh.text(
            150, 900, "温馨提示：请关注“网上国网”，随时查询用电信息。", size=24, faces=fonts.DOT
        )
    else:
        sh = Sheet(620, 1100, paper=(250, 250, 250))
        sh.paper_tone(rng, 2)
        sh.text(310, 80, "政务服务中心", size=40, faces=fonts.HEI, align="center")
        sh.text(310, 150, "排 队 号", size=36, faces=fonts.HEI, align="center")
        sh.text(
            310,
            260,
            f"B{rng.randint(1, 399):03d}",
            size=120,
            faces=("bizgothic_bold",),
            align="center",
        )
        for i, line in enumerate(
            (
                "业务类型：不动产登记（综合）",
                f"您前面还有 {rng.randint(0, 40)} 人等候",
                "请留意叫号屏幕及语音提示",
                "过号请重新取号",
                "本票当日有效",
            )
        ):
            sh.text(60, 480 + i * 60, line, size=26, faces=fonts.SONG)
        _qr(sh, 210, 820, 203, rng)
    return finish("unknown", {}, [sh], seed=seed, layout=layout)


RENDERERS: dict[str, Callable[..., Sample]] = {
    "id_card_front": id_card_front,
    "id_card_back": id_card_back,
    "property_certificate": property_certificate,
    "sale_contract": sale_contract,
    "marriage_certificate": marriage_certificate,
    "power_of_attorney": power_of_attorney,
    "household_register": household_register,
    "business_license": business_license,
    "unknown": unknown,
}
LAYOUTS: dict[str, tuple[str, ...]] = {
    "id_card_front": ("card", "copysheet"),
    "id_card_back": ("card", "copysheet"),
    "property_certificate": ("register", "spread", "ecert"),
    "sale_contract": ("clauses", "blanks", "netsign"),
    "marriage_certificate": ("spread", "page"),
    "power_of_attorney": ("letter", "form"),
    "household_register": ("booklet", "cards"),
    "business_license": ("landscape", "portrait"),
    "unknown": ("bill", "ticket"),
}
