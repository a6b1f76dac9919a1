"""营业执照 (the 2019+ form) and the "unknown" documents.

Licence layouts: ``original`` (正本, landscape: emblem and 营业执照 at the top, the credit code
top-left, a QR code top-right, two columns of fields, 经营范围 wrapping over many lines, the
登记机关's red seal over the date) and ``duplicate`` (副本, portrait, one column). Labels follow
the holder's form: 法定代表人 / 经营者 / 负责人, 住所 / 经营场所 / 营业场所, 成立日期 / 注册日期;
labels are justified to one width with spaces (名　　称) as the real form prints them.

Unknown layouts: ``bank_statement`` (个人账户交易明细), ``receipt`` (收据 with a seal),
``notice`` (a residential-estate notice).
"""

from __future__ import annotations

import random
from datetime import timedelta

from .. import data as d
from .. import golden
from ..canvas import Sample
from . import art
from .facts import Business
from .sheet import RGB, Sheet, finish

LICENSE_LAYOUTS = ("original", "duplicate")
UNKNOWN_LAYOUTS = ("bank_statement", "receipt", "notice")


def _labels(form: str) -> dict[str, str]:
    if form == "individual":
        return {"rep": "经营者", "addr": "经营场所", "date": "注册日期"}
    if form == "branch":
        return {"rep": "负责人", "addr": "营业场所", "date": "成立日期"}
    return {"rep": "法定代表人", "addr": "住所", "date": "成立日期"}


def _justified(
    sh: Sheet, x: float, y: float, text: str, *, width: float, face: str, size: int, fill: RGB
) -> None:
    """A label spread to ``width`` (名　　称 / 法定代表人 end on the same column)."""
    n = len(text)
    natural = sh.measure(text, face=face, size=size)
    tracking = 0.0 if n < 2 else max(0.0, (width - natural) / (size * (n - 1)))
    sh.text(x, y, text, face=face, size=size, fill=fill, tracking=tracking)


def render_license(biz: Business, *, seed: int = 0, layout: str | None = None) -> Sample:
    rng = random.Random(f"heldout-license:{seed}")
    layout = layout or rng.choice(LICENSE_LAYOUTS)
    c = biz.company
    dpi = rng.choice((150, 200))
    mm = dpi / 25.4
    if layout == "original":
        W, H = round(297 * mm), round(210 * mm)
    else:
        W, H = round(210 * mm), round(297 * mm)
    base = rng.choice(((250, 246, 236), (246, 244, 234), (252, 250, 244)))
    sh = Sheet(
        W,
        H,
        paper=art.guilloche(
            W, H, rng=rng, base=base, ink=(226, 210, 180), strength=0.12, density=0.6
        ),
    )
    frame: RGB = rng.choice(((176, 140, 70), (160, 120, 60), (190, 150, 90)))
    sh.rect((7 * mm, 7 * mm, W - 7 * mm, H - 7 * mm), outline=frame, width=round(2.2 * mm))
    sh.rect(
        (11 * mm, 11 * mm, W - 11 * mm, H - 11 * mm), outline=frame, width=max(1, round(0.4 * mm))
    )
    em_size = round(24 * mm)
    em = art.emblem(em_size, rng=rng)
    sh.paste(em, (round(W / 2 - em_size / 2), round(16 * mm)), em)
    title_y = 16 * mm + em_size + 16 * mm
    sh.text(
        W / 2,
        title_y,
        "营业执照",
        face=rng.choice(("zenhei", "sung")),
        size=round(14 * mm),
        align="center",
        tracking=0.5,
        bold=True,
        fill=(30, 26, 24),
    )
    if layout == "duplicate":
        sh.text(
            W / 2, title_y + 10 * mm, "（副　本）", face="sung", size=round(5 * mm), align="center"
        )
    lface = rng.choice(("zenhei", "sung"))
    vface = rng.choice(("sung", "kai", "wenkai", "droid"))
    code_face = rng.choice(("zenhei_mono", "wenkai_mono", "zenhei"))
    size = round(rng.uniform(4.0, 4.6) * mm)
    labfill: RGB = (40, 36, 32)
    # credit code top-left, QR top-right
    cx0 = 22 * mm
    sh.text(cx0, 30 * mm, "统一社会信用代码", face=lface, size=round(size * 0.95), fill=labfill)
    sh.text(
        cx0,
        30 * mm + size * 1.8,
        c.credit_code,
        face=code_face,
        size=round(size * 1.15),
        key="credit_code",
        tracking=0.05,
    )
    qr = art.qr_like(round(26 * mm), rng=rng)
    sh.paste(qr, (round(W - 22 * mm - qr.width), round(20 * mm)))
    sh.text(
        W - 22 * mm - qr.width / 2,
        20 * mm + qr.height + 5 * mm,
        "扫描二维码登录",
        face=lface,
        size=round(2.8 * mm),
        align="center",
    )
    labels = _labels(biz.form)
    rows: list[tuple[str, str, str | None]] = [
        ("名称", c.name, "name"),
        ("类型", c.kind, None),
        (labels["rep"], c.legal_representative, "legal_representative"),
    ]
    if biz.form == "individual":
        rows.append(("组成形式", "个人经营", None))
    right: list[tuple[str, str, str | None]] = []
    if c.capital:
        right.append(("注册资本", c.capital, None))
    est = c.established
    date_text = (
        f"{est.year}年{est.month:02d}月{est.day:02d}日"
        if rng.random() < 0.7
        else f"{est.year}年{est.month}月{est.day}日"
    )
    right.append((labels["date"], date_text, "established_date"))
    if biz.form != "individual":
        right.append(("营业期限", biz.term, None))
    right.append((labels["addr"], c.address, "address"))
    lab_w = sh.measure("法定代表人", face=lface, size=size)
    top = title_y + (22 if layout == "duplicate" else 16) * mm
    lead = size * 1.5

    def block(items: list[tuple[str, str, str | None]], x: float, x1: float, y: float) -> float:
        for lab, val, key in items:
            _justified(sh, x, y, lab, width=lab_w, face=lface, size=size, fill=labfill)
            vx = x + lab_w + 6 * mm
            lines = sh.flow([(val, key)], width=x1 - vx, face=vface, size=size)
            for i, ln in enumerate(lines):
                sh.draw_line(ln, x=vx, baseline=y + i * lead, size=size)
            y += max(1, len(lines)) * lead + size * 1.3
        return y

    if layout == "original":
        mid = W * 0.53
        yl = block(rows, 30 * mm, mid - 8 * mm, top)
        block(right, mid + 4 * mm, W - 24 * mm, top)
        scope_x, scope_x1, scope_y = 30 * mm, mid - 8 * mm, yl
    else:
        yl = block(rows + right, 26 * mm, W - 26 * mm, top)
        scope_x, scope_x1, scope_y = 26 * mm, W - 26 * mm, yl
    _justified(sh, scope_x, scope_y, "经营范围", width=lab_w, face=lface, size=size, fill=labfill)
    vx = scope_x + lab_w + 6 * mm
    for i, ln in enumerate(
        sh.flow([(c.scope, None)], width=scope_x1 - vx, face=vface, size=round(size * 0.9))
    ):
        sh.draw_line(ln, x=vx, baseline=scope_y + i * size * 1.35, size=round(size * 0.9))
    # registry, date, seal
    reg_x = W - 30 * mm
    reg_y = H - 36 * mm
    sh.text(reg_x - 60 * mm, reg_y, "登记机关", face=lface, size=size, fill=labfill)
    issued = est + timedelta(days=rng.randint(0, 900))
    sh.text(
        reg_x,
        reg_y + 12 * mm,
        f"{issued.year}年{issued.month:02d}月{issued.day:02d}日",
        face=vface,
        size=size,
        align="right",
    )
    dia = round(rng.uniform(40, 46) * mm)
    seal = art.round_seal(c.registry, diameter=dia, rng=rng, face=rng.choice(("zenhei", "sung")))
    sh.stamp(seal, (round(reg_x - dia * rng.uniform(0.75, 1.0)), round(reg_y - dia * 0.55)))
    foot = round(2.9 * mm)
    sh.text(
        W / 2,
        H - 16 * mm,
        "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn",
        face=lface,
        size=foot,
        align="center",
    )
    sh.text(
        W / 2,
        H - 16 * mm + foot * 1.6,
        "市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告",
        face=lface,
        size=foot,
        align="center",
    )
    fields = golden.business_license(c)
    return finish(
        doc_type="business_license", fields=fields, pages=[sh], dpi=dpi, seed=seed, facts=biz
    )


# ---------------------------------------------------------------------------------------------
# unknown documents
# ---------------------------------------------------------------------------------------------


def render_unknown(*, seed: int = 0, layout: str | None = None) -> Sample:
    """A document of none of the CONTRACT types (no fields)."""
    rng = random.Random(f"heldout-unknown:{seed}")
    layout = layout or rng.choice(UNKNOWN_LAYOUTS)
    dpi = 150
    mm = dpi / 25.4
    W, H = round(210 * mm), round(297 * mm)
    face = rng.choice(("sung", "zenhei", "droid", "kai"))
    sh = Sheet(W, H, paper=art.paper(W, H, tone=(252, 252, 250), rng=rng, fibre=1.0))
    size = round(3.6 * mm)
    if layout == "bank_statement":
        bank = rng.choice(
            ("中国工商银行", "中国建设银行", "中国农业银行", "浙江农商银行", "交通银行")
        )
        sh.text(
            W / 2,
            24 * mm,
            f"{bank}个人账户交易明细",
            face="zenhei",
            size=round(6 * mm),
            align="center",
            bold=True,
        )
        holder = rng.choice("王陈张李周吴徐沈") + rng.choice(("晓明", "丽娟", "建国", "雅婷"))
        sh.text(
            20 * mm,
            38 * mm,
            f"户名：{holder}    账号：6222 **** **** {rng.randint(1000, 9999)}",
            face=face,
            size=size,
        )
        start = d.REFERENCE_DATE - timedelta(days=rng.randint(30, 120))
        sh.text(
            20 * mm,
            46 * mm,
            f"查询期间：{start:%Y-%m-%d} 至 {start + timedelta(days=90):%Y-%m-%d}",
            face=face,
            size=size,
        )
        cols = ["交易日期", "摘要", "交易金额", "账户余额", "对方户名"]
        xs = [20 * mm, 48 * mm, 78 * mm, 112 * mm, 146 * mm, W - 20 * mm]
        y = 56 * mm
        rh = 8 * mm
        for k, col in enumerate(cols):
            sh.cell((xs[k], y, xs[k + 1], y + rh), col, face="zenhei", size=size, align="center")
        sh.line((xs[0], y, xs[-1], y), width=2)
        balance = rng.randint(5000, 300000)
        y += rh
        sh.line((xs[0], y, xs[-1], y))
        day = start
        for _ in range(rng.randint(14, 24)):
            day += timedelta(days=rng.randint(1, 5))
            amount = rng.choice((-1, 1)) * rng.randint(20, 9000)
            balance += amount
            what = rng.choice(
                ("消费", "转账", "工资", "代发", "还款", "利息", "网银转账", "快捷支付")
            )
            other = rng.choice(("财付通", "支付宝", "杭州某某有限公司", "国网浙江电力", "-"))
            cells = [f"{day:%Y-%m-%d}", what, f"{amount:+,.2f}", f"{balance:,.2f}", other]
            for k, val in enumerate(cells):
                sh.cell(
                    (xs[k], y, xs[k + 1], y + rh),
                    val,
                    face=face,
                    size=round(size * 0.92),
                    align="center",
                )
            y += rh
            sh.line((xs[0], y, xs[-1], y), fill=(160, 160, 160))
        for x in xs:
            sh.line((x, 56 * mm, x, y))
        seal = art.round_seal(
            f"{bank}股份有限公司杭州分行",
            diameter=round(36 * mm),
            rng=rng,
            bottom_text="业务专用章",
        )
        sh.stamp(seal, (round(W - 70 * mm), round(y + 4 * mm)))
    elif layout == "receipt":
        top = 30 * mm
        sh.rect((16 * mm, top, W - 16 * mm, top + 95 * mm), width=2)
        sh.text(W / 2, top + 14 * mm, "收    据", face="sung", size=round(8 * mm), align="center")
        no = rng.randint(10**6, 10**7 - 1)
        sh.text(
            W - 22 * mm,
            top + 14 * mm,
            f"No.{no}",
            face="zenhei_mono",
            size=size,
            align="right",
            fill=(190, 40, 40),
        )
        when = d.REFERENCE_DATE - timedelta(days=rng.randint(1, 200))
        sh.text(
            W - 22 * mm,
            top + 24 * mm,
            f"{when.year}年{when.month}月{when.day}日",
            face=face,
            size=size,
            align="right",
        )
        payer = rng.choice("王陈张李周吴徐沈") + rng.choice(("志远", "秀英", "海峰", "梦瑶"))
        amount = rng.randint(200, 50000)
        lines = [
            f"今收到  {payer}",
            f"交来  {rng.choice(('物业管理费', '停车费', '装修押金', '房屋租金', '车位管理费'))}",
            f"人民币（大写）{d.chinese_amount(amount)}    ¥{amount:,.2f}",
        ]
        for i, t in enumerate(lines):
            sh.text(24 * mm, top + 40 * mm + i * 14 * mm, t, face=face, size=round(4.2 * mm))
            sh.line(
                (48 * mm, top + 42 * mm + i * 14 * mm, W - 24 * mm, top + 42 * mm + i * 14 * mm),
                fill=(120, 120, 120),
            )
        sh.text(24 * mm, top + 88 * mm, "收款单位（盖章）：", face=face, size=size)
        sh.text(W / 2 + 20 * mm, top + 88 * mm, "经手人：", face=face, size=size)
        seal = art.round_seal(
            rng.choice(("杭州绿城物业服务集团有限公司", "宁波市鄞州区某某物业管理有限公司")),
            diameter=round(38 * mm),
            rng=rng,
            bottom_text="财务专用章",
        )
        sh.stamp(seal, (round(50 * mm), round(top + 60 * mm)))
    else:
        estate = rng.choice(("翠苑四区", "嘉悦府", "梧桐公寓", "和美家园"))
        sh.text(
            W / 2, 34 * mm, "通    知", face="zenhei", size=round(8 * mm), align="center", bold=True
        )
        y = 52 * mm
        sh.text(24 * mm, y, f"{estate}各位业主、住户：", face=face, size=round(4.2 * mm))
        y += 12 * mm
        paras = [
            "为进一步做好小区消防安全工作，物业服务中心定于"
            f"{rng.randint(6, 9)}月{rng.randint(1, 28)}日至下月底开展消防设施专项检查，"
            "届时工作人员将逐户检查烟感报警器及室内消防设施，请各位业主予以配合。",
            "检查期间如家中无人，请提前与物业服务中心联系预约上门时间。电动自行车严禁在楼道、"
            "架空层停放和充电，请统一在指定充电区域充电。",
            "感谢您的理解与支持！",
        ]
        for t in paras:
            y = sh.prose(
                [(t, None)],
                x0=24 * mm,
                x1=W - 24 * mm,
                baseline=y,
                face=face,
                size=round(4.2 * mm),
                leading=1.9,
            )
            y += 4 * mm
        when = d.REFERENCE_DATE - timedelta(days=rng.randint(1, 100))
        for below_mm, text in (
            (20, f"{estate}物业服务中心"),
            (32, f"{when.year}年{when.month}月{when.day}日"),
        ):
            sh.text(
                W - 28 * mm, y + below_mm * mm, text, face=face, size=round(4.2 * mm), align="right"
            )
        seal = art.round_seal(f"杭州{estate}物业服务有限公司", diameter=round(38 * mm), rng=rng)
        sh.stamp(seal, (round(W - 80 * mm), round(y + 6 * mm)))
    return finish(doc_type="unknown", fields={}, pages=[sh], dpi=dpi, seed=seed, facts=None)
