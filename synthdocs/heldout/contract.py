"""存量房买卖合同, several A4 pages, as agencies and the 网签 system print it.

Layouts (the parties block differs; the body and signature pages follow):

- ``table``: a cover page, then the parties in a bordered table (one row per person: 姓名 / 证件类型
  / 证件号码 / 联系电话), the property and price in numbered clauses;
- ``inline``: no cover; each party on one line
  ``出卖人（甲方）：张三  证件类型：居民身份证  证件号码：…``, the values typed over underlines in
  another face;
- ``stacked``: the label on a line of its own (``出卖人（甲方）：``), each person below it with
  ``姓名：`` / ``身份证号码：`` lines; the date handwritten into a printed ``年 月 日``.

Amounts are printed in words and in digits (``人民币（大写）… （小写：¥2,350,000.00元）``);
the signature page has 出卖人（签章）/ 买受人（签章） with handwritten names and red fingerprints.
"""

from __future__ import annotations

import random
from datetime import date

from .. import data as d
from .. import golden
from ..canvas import Sample
from . import art
from .pager import Pager
from .sheet import Sheet, finish

LAYOUTS = ("table", "inline", "stacked")

_SELLER_LABELS = ("出卖人（甲方）", "卖方（甲方）", "甲方（出卖人）", "出卖人")
_BUYER_LABELS = ("买受人（乙方）", "买方（乙方）", "乙方（买受人）", "买受人")
_ID_LABELS = ("证件号码", "身份证号码", "公民身份号码", "证件号")
_VALUE_INK = ((20, 20, 26), (18, 30, 70), (40, 40, 40))
_PEN = ((30, 40, 110), (20, 20, 30), (50, 40, 120))

_CLAUSES = (
    (
        "第三条  付款方式",
        "乙方应于本合同签订之日向甲方支付定金人民币{deposit}元整。余款按下列方式支付：乙方申请"
        "商业贷款或公积金贷款的，首付款于办理转移登记前支付至资金监管账户，贷款部分由贷款银行"
        "直接划入甲方指定账户。资金监管按照本市存量房交易资金监管的有关规定执行。",
    ),
    (
        "第四条  房屋交付",
        "甲方应于{handover}前将该房屋交付乙方，并结清交付前发生的水、电、燃气、有线电视、通讯、"
        "物业管理等费用。交付时双方共同签署房屋交接书，房屋钥匙移交乙方之时视为房屋交付。",
    ),
    (
        "第五条  税费承担",
        "本合同履行过程中发生的税费，由甲、乙双方按照国家及本市有关规定各自承担。双方另有约定"
        "的，从其约定。",
    ),
    (
        "第六条  权属转移登记",
        "甲、乙双方应于乙方付清首付款之日起三十日内，共同向不动产登记机构申请办理该房屋转移"
        "登记。因甲方原因未能如期办理的，甲方应按日向乙方支付已付房款万分之五的违约金。",
    ),
    (
        "第七条  甲方承诺",
        "甲方保证该房屋权属清楚，不存在查封、抵押（已告知乙方并约定由甲方解除的除外）等权利"
        "限制情形，该房屋共有人均已同意出售。因甲方原因导致该房屋不能办理转移登记的，甲方应"
        "退还乙方已付全部款项，并按已付款项的百分之二十向乙方支付违约金。",
    ),
    (
        "第八条  户口迁移",
        "甲方应于该房屋转移登记完成之日起六十日内将落户于该房屋的户口迁出。逾期未迁出的，"
        "甲方应按日向乙方支付人民币壹佰元的违约金。",
    ),
    (
        "第九条  违约责任",
        "乙方逾期付款的，每逾期一日，按逾期应付款的万分之五向甲方支付违约金；逾期超过三十日"
        "的，甲方有权解除合同，乙方已付定金不予退还。",
    ),
    (
        "第十条  争议解决",
        "本合同履行中发生争议的，双方协商解决；协商不成的，依法向该房屋所在地人民法院起诉。",
    ),
    (
        "第十一条  其他",
        "本合同自双方签字（盖章）之日起生效。本合同一式肆份，甲、乙双方各执壹份，不动产登记"
        "机构、资金监管机构各执壹份，具有同等法律效力。",
    ),
)


def _price_digits(price: int, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.4:
        return f"{price:,}.00"
    if style < 0.7:
        return f"{price:,}"
    if style < 0.85:
        return f"{price}.00"
    return str(price)


def _paren(s: str) -> str:
    return s.replace("(", "（").replace(")", "）")


def _cn_date(x: date) -> str:
    return f"{x.year}年{x.month}月{x.day}日"


def _parties_table(pg: Pager, c: d.Contract, rng: random.Random, vface: str, id_label: str) -> None:
    sh, mm = pg.sheet, pg.mm
    size = round(pg.size * 0.95)
    x0, x1 = pg.x0, pg.x1
    cols = [("", 0.19), ("姓名", 0.15), ("证件类型", 0.17), (id_label, 0.32), ("联系电话", 0.17)]
    xs = [x0]
    for _h, wgt in cols:
        xs.append(xs[-1] + (x1 - x0) * wgt)
    row_h = size * 2.4
    rows = [("出卖人", p, f"sellers[{i}]") for i, p in enumerate(c.sellers)] + [
        ("买受人", p, f"buyers[{i}]") for i, p in enumerate(c.buyers)
    ]
    pg.need(len(rows) + 3)
    y = pg.y - size
    for (head, _), a, b in zip(cols, xs[:-1], xs[1:], strict=True):
        sh.cell((a, y, b, y + row_h), head, face=pg.face, size=size, align="center")
    sh.line((x0, y, x1, y), width=2)
    y += row_h
    sh.line((x0, y, x1, y))
    for role, p, key in rows:
        phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}"
        cells = [
            (role, None, pg.face),
            (p.name, f"{key}.name", vface),
            ("居民身份证", None, vface),
            (c.printed_id(p), f"{key}.id_number", vface),
            (phone, None, vface),
        ]
        for (text, k, f), a, b in zip(cells, xs[:-1], xs[1:], strict=True):
            sh.cell((a, y, b, y + row_h), text, face=f, size=size, key=k, align="center")
        y += row_h
        sh.line((x0, y, x1, y))
    sh.line((x0, y, x1, y), width=2)
    top = pg.y - size
    for i, x in enumerate(xs):
        sh.line((x, top, x, y), width=2 if i in (0, len(xs) - 1) else 1)
    pg.y = y + pg.size * 2
    del mm


def _party_inline(
    pg: Pager,
    label: str,
    p: d.Person,
    key: str,
    printed_id: str,
    vface: str,
    id_label: str,
    ink: tuple[int, int, int],
) -> None:
    sh = pg.sheet
    pg.need(2)
    y = pg.y
    b = sh.text(pg.x0, y, f"{label}：", face=pg.face, size=pg.size)
    x = b[2] + pg.mm
    nb = sh.text(x + 2 * pg.mm, y, p.name, face=vface, size=pg.size, key=f"{key}.name", fill=ink)
    sh.line((x, y + 1.2 * pg.mm, max(nb[2], x + 24 * pg.mm) + 2 * pg.mm, y + 1.2 * pg.mm))
    x = max(nb[2], x + 24 * pg.mm) + 5 * pg.mm
    b = sh.text(x, y, "证件类型：", face=pg.face, size=pg.size)
    tb = sh.text(b[2] + 2 * pg.mm, y, "居民身份证", face=vface, size=pg.size, fill=ink)
    line_x1 = tb[2] + 2 * pg.mm
    sh.line((b[2] + pg.mm, y + 1.2 * pg.mm, line_x1, y + 1.2 * pg.mm))
    # the number goes on the same line when it fits, else on the next
    lab_w = sh.measure(f"{id_label}：", face=pg.face, size=pg.size)
    num_w = sh.measure(printed_id, face=vface, size=pg.size)
    x = line_x1 + 5 * pg.mm
    if x + lab_w + num_w + 4 * pg.mm > pg.x1:
        pg.y += pg.size * pg.leading
        y, x = pg.y, pg.x0 + sh.measure(f"{label}：", face=pg.face, size=pg.size) + pg.mm
    b = sh.text(x, y, f"{id_label}：", face=pg.face, size=pg.size)
    nb = sh.text(
        b[2] + 2 * pg.mm, y, printed_id, face=vface, size=pg.size, key=f"{key}.id_number", fill=ink
    )
    sh.line((b[2] + pg.mm, y + 1.2 * pg.mm, nb[2] + 2 * pg.mm, y + 1.2 * pg.mm))
    pg.y += pg.size * pg.leading
    addr_lab = pg.rng.choice(("住址", "通讯地址", "户籍地址"))
    pg.para([(f"{addr_lab}：", None), (p.address, None, vface)], indent=0)
    pg.gap(0.2)


def _party_stacked(
    pg: Pager,
    label: str,
    people: tuple[d.Person, ...],
    prefix: str,
    c: d.Contract,
    vface: str,
    id_label: str,
    ink: tuple[int, int, int],
) -> None:
    sh = pg.sheet
    pg.need(1 + 2 * len(people))
    sh.text(pg.x0, pg.y, f"{label}：", face="zenhei", size=pg.size, bold=True)
    pg.y += pg.size * pg.leading
    for i, p in enumerate(people):
        sh = pg.sheet
        pg.need(3)
        x = pg.x0 + 4 * pg.mm
        b = sh.text(x, pg.y, "姓名：", face=pg.face, size=pg.size)
        sh.text(
            b[2] + 1.5 * pg.mm,
            pg.y,
            p.name,
            face=vface,
            size=pg.size,
            key=f"{prefix}[{i}].name",
            fill=ink,
        )
        sex_x = x + 50 * pg.mm
        b = sh.text(sex_x, pg.y, "性别：", face=pg.face, size=pg.size)
        sh.text(b[2] + 1.5 * pg.mm, pg.y, p.sex, face=vface, size=pg.size, fill=ink)
        b = sh.text(sex_x + 28 * pg.mm, pg.y, "出生日期：", face=pg.face, size=pg.size)
        sh.text(
            b[2] + 1.5 * pg.mm, pg.y, f"{p.birth_date:%Y-%m-%d}", face=vface, size=pg.size, fill=ink
        )
        pg.y += pg.size * pg.leading
        b = sh.text(x, pg.y, f"{id_label}：", face=pg.face, size=pg.size)
        sh.text(
            b[2] + 1.5 * pg.mm,
            pg.y,
            c.printed_id(p),
            face=vface,
            size=pg.size,
            key=f"{prefix}[{i}].id_number",
            fill=ink,
        )
        pg.y += pg.size * pg.leading
        pg.para([("联系地址：", None), (p.address, None, vface)], indent=0)
        pg.gap(0.3)


def _cover(pg: Pager, c: d.Contract, rng: random.Random, vface: str) -> None:
    sh, mm = pg.sheet, pg.mm
    sh.text(
        pg.W / 2,
        60 * mm,
        "存量房买卖合同",
        face=rng.choice(("zenhei", "sung")),
        size=round(11 * mm),
        align="center",
        bold=True,
        tracking=0.15,
    )
    sh.text(pg.W / 2, 76 * mm, "（示范文本）", face=pg.face, size=round(5 * mm), align="center")
    y = 130 * mm
    for lab, val in (
        ("合同编号", c.number),
        ("出 卖 人", "、".join(p.name for p in c.sellers)),
        ("买 受 人", "、".join(p.name for p in c.buyers)),
    ):
        b = sh.text(50 * mm, y, f"{lab}：", face=pg.face, size=round(5 * mm))
        sh.text(b[2] + 3 * mm, y, val, face=vface, size=round(5 * mm))
        sh.line((b[2] + 1 * mm, y + 2 * mm, 165 * mm, y + 2 * mm))
        y += 16 * mm
    issuer = rng.choice(
        (
            "浙江省住房和城乡建设厅  浙江省市场监督管理局",
            "杭州市住房保障和房产管理局  杭州市市场监督管理局",
        )
    )
    sh.text(pg.W / 2, 235 * mm, issuer, face=pg.face, size=round(4.2 * mm), align="center")
    sh.text(pg.W / 2, 245 * mm, "制定", face=pg.face, size=round(4.2 * mm), align="center")
    sh.text(
        pg.W / 2,
        262 * mm,
        rng.choice(("二〇二〇年版", "二〇二二年版", "二〇一九年版")),
        face=pg.face,
        size=round(4.2 * mm),
        align="center",
    )
    pg.new_page()


def _signatures(pg: Pager, c: d.Contract, rng: random.Random, vface: str, layout: str) -> None:
    """The signature block: both parties side by side, handwritten names, fingerprints, date."""
    pg.need(14)
    sh, mm = pg.sheet, pg.mm
    pg.gap(1.0)
    y = pg.y
    cols = (
        (pg.x0, "出卖人（签章）：", c.sellers),
        ((pg.x0 + pg.x1) / 2 + 2 * mm, "买受人（签章）：", c.buyers),
    )
    pen = rng.choice(_PEN)
    low = y
    for x, lab, people in cols:
        b = sh.text(x, y, lab, face=pg.face, size=pg.size)
        yy = y
        for p in people:
            sig = art.signature(p.name, size=round(pg.size * 1.5), rng=rng, colour=pen)
            sx, sy = b[2] + 2 * mm, round(yy - sig.height * 0.7)
            sh.stamp(sig, (round(sx), sy))
            fp = art.fingerprint(round(11 * mm), round(14 * mm), rng=rng)
            sh.stamp(fp, (round(sx + sig.width * rng.uniform(0.5, 0.9)), round(yy - 10 * mm)))
            yy += 16 * mm
        sh.text(x, yy + 2 * mm, "委托代理人（签章）：", face=pg.face, size=pg.size)
        low = max(low, yy + 2 * mm)
    y = low + 16 * mm
    date_lab = rng.choice(("签订日期", "签订时间", "签约日期", "日期"))
    s = c.signed_date
    if layout == "stacked":
        # printed 年 月 日 with the numbers written in by hand
        b = sh.text(pg.x0, y, f"{date_lab}：", face=pg.face, size=pg.size)
        x = b[2] + 4 * mm
        hand = round(pg.size * 1.15)
        for num, unit in ((str(s.year), "年"), (str(s.month), "月"), (str(s.day), "日")):
            nb = sh.text(
                x,
                y + rng.uniform(-0.8, 0.4) * mm,
                num,
                face="kai",
                size=hand,
                fill=pen,
                key="signed_date",
            )
            ub = sh.text(
                max(nb[2], x + 9 * mm) + 1.5 * mm,
                y,
                unit,
                face=pg.face,
                size=pg.size,
                key="signed_date",
            )
            x = ub[2] + 5 * mm
    else:
        b = sh.text(pg.x0, y, f"{date_lab}：", face=pg.face, size=pg.size)
        text = _cn_date(s) if rng.random() < 0.7 else f"{s.year}年{s.month:02d}月{s.day:02d}日"
        sh.text(b[2] + 2 * mm, y, text, face=vface, size=pg.size, key="signed_date")
    sh.text(pg.x0 + 95 * mm, y, "签订地点：" + c.prop.registry, face=pg.face, size=pg.size)
    pg.y = y + pg.size * pg.leading


def render(c: d.Contract, *, seed: int = 0, layout: str | None = None) -> Sample:
    rng = random.Random(f"heldout-contract:{seed}")
    layout = layout or rng.choice(LAYOUTS)
    dpi = rng.choice((150, 200))
    face = rng.choice(("sung", "sung", "kai", "wenkai_light"))
    vface = rng.choice([f for f in ("zenhei", "droid", "wenkai", "wenkai_mono") if f != face])
    ink = rng.choice(_VALUE_INK)
    pg = Pager(
        dpi=dpi,
        rng=rng,
        face=face,
        size_mm=rng.uniform(3.7, 4.3),
        margins_mm=(rng.uniform(20, 28), rng.uniform(18, 24), 24, rng.uniform(22, 28)),
    )
    s_lab, b_lab = rng.choice(_SELLER_LABELS), rng.choice(_BUYER_LABELS)
    id_label = rng.choice(_ID_LABELS)
    if layout == "table":
        _cover(pg, c, rng, vface)
    sh: Sheet = pg.sheet
    sh.text(
        pg.W / 2,
        pg.y + pg.size,
        "存量房买卖合同",
        face="zenhei",
        size=round(pg.size * 1.7),
        align="center",
        bold=True,
        tracking=0.1,
    )
    pg.y += pg.size * 3.2
    sh.text(
        pg.x1, pg.y, f"合同编号：{c.number}", face=pg.face, size=round(pg.size * 0.9), align="right"
    )
    pg.y += pg.size * pg.leading * 1.2
    if layout == "table":
        pg.para("出卖人（以下简称甲方）与买受人（以下简称乙方）信息如下：", indent=0)
        _parties_table(pg, c, rng, vface, id_label)
    elif layout == "inline":
        for i, p in enumerate(c.sellers):
            _party_inline(pg, s_lab, p, f"sellers[{i}]", c.printed_id(p), vface, id_label, ink)
        pg.gap(0.3)
        for i, p in enumerate(c.buyers):
            _party_inline(pg, b_lab, p, f"buyers[{i}]", c.printed_id(p), vface, id_label, ink)
    else:
        _party_stacked(pg, s_lab, c.sellers, "sellers", c, vface, id_label, ink)
        _party_stacked(pg, b_lab, c.buyers, "buyers", c, vface, id_label, ink)
    pg.gap(0.5)
    pg.para(
        "根据《中华人民共和国民法典》《中华人民共和国城市房地产管理法》及其他有关法律、法规之"
        "规定，甲、乙双方在平等、自愿、协商一致的基础上，就乙方购买甲方存量房屋事宜达成如下"
        "协议："
    )
    pg.heading("第一条  房屋基本情况")
    number = c.printed_certificate_number
    printed_number = _paren(number) if rng.random() < 0.6 else number
    loc_word = rng.choice(("坐落于", "位于", "坐落："))
    cert_word = rng.choice(("不动产权证书号为", "不动产权证号：", "权属证书编号为"))
    pg.para(
        [
            (f"甲方所有的房屋{loc_word}", None),
            (c.printed_location, "location", vface),
            ("（以下简称该房屋），", None),
            (cert_word, None),
            (printed_number, "certificate_number", vface),
            ("，房屋建筑面积", None),
            (c.prop.area, None, vface),
            (f"平方米，规划用途为{c.prop.use.split('/')[-1]}。", None),
        ]
    )
    pg.para(
        "甲方已将该房屋的权属状况、抵押及租赁情况如实告知乙方，乙方已实地查看该房屋，对"
        "该房屋的现状予以认可。"
    )
    pg.heading("第二条  成交价格")
    words = d.chinese_amount(c.price)
    money = _price_digits(c.price, rng)
    pg.para(
        [
            ("经甲、乙双方协商一致，该房屋成交价格为人民币（大写）", None),
            (words, None, vface),
            ("（小写：¥", None),
            (money, "price", vface),
            ("元）。该价格包含房屋及其附属设施、装修等全部价款。", None),
        ]
    )
    for title, text in _CLAUSES[: rng.randint(5, len(_CLAUSES))]:
        pg.heading(title)
        pg.para(
            text.format(
                deposit=d.chinese_amount(c.deposit).removesuffix("元整"),
                handover=_cn_date(c.handover_date),
            )
        )
    pg.para("（以下无正文）", indent=0)
    _signatures(pg, c, rng, vface, layout)
    pg.footers(rng.choice(("第 {n} 页 共 {total} 页", "- {n} -", "{n}/{total}")))
    fields = golden.sale_contract(c)
    return finish(
        doc_type="sale_contract", fields=fields, pages=pg.sheets, dpi=dpi, seed=seed, facts=c
    )
