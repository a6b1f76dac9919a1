"""The document-type modules: one per type, registered once, labels in their real wordings."""

from __future__ import annotations

from ocr.doctypes import BY_TYPE, REGISTRY, classify, extract
from ocr.doctypes.base import label_rx
from ocr.document import DocType
from ocr.layout import PageText, Segment
from ocr.plausibility import IMPLAUSIBLE_CAP, UNSURE_CAP

CONTRACT_FIELDS = {
    "id_card_front": {"name", "sex", "ethnicity", "birth_date", "address", "id_number"},
    "id_card_back": {"issuing_authority", "valid_from", "valid_until"},
    "property_certificate": {
        "certificate_number", "owners", "co_ownership", "location", "unit_number", "area",
    },
    "sale_contract": {
        "sellers", "buyers", "location", "certificate_number", "price", "signed_date",
    },
    "marriage_certificate": {"holder", "registration_date", "certificate_number", "spouses"},
    "power_of_attorney": {"principal", "agent", "signed_date"},
}  # fmt: skip


def _page(rows: list[list[tuple[str, float]]], *, h: float = 40.0) -> PageText:
    segs = []
    for r, row in enumerate(rows):
        y = 50 + r * 60
        for text, x in row:
            segs.append(Segment(text=text, score=0.99, box=(x, y, x + 40 * len(text), y + h)))
    return PageText(segs)


def test_every_known_type_has_one_module_in_the_registry() -> None:
    assert [t.doc_type for t in REGISTRY] == [t for t in DocType if t != DocType.UNKNOWN]
    for name, fields in CONTRACT_FIELDS.items():
        assert set(BY_TYPE[DocType(name)].fields) == fields
    assert extract(DocType.UNKNOWN, _page([[("随便", 0)]])) == {}


def _certificate(owner_label: str, location_label: str) -> PageText:
    return _page(
        [
            [("浙(2023)杭州市不动产权第0123456号", 60)],
            [(owner_label, 60), ("王小明", 400)],
            [("共有情况", 60), ("单独所有", 400)],
            [(location_label, 60), ("杭州市西湖区文三路1号2幢301室", 400)],
            [("权利类型", 60), ("国有建设用地使用权/房屋所有权", 400)],
            [("权利性质", 60), ("出让/商品房", 400)],
        ]
    )


def test_label_variants_of_owner_and_location_are_read() -> None:
    variants = (("权利人", "坐落"), ("所有权人", "房屋坐落"), ("房屋所有权人", "房地坐落"))
    for owner, where in variants:
        pt = _certificate(owner, where)
        assert classify(pt.text)[0] == DocType.PROPERTY_CERTIFICATE
        f = extract(DocType.PROPERTY_CERTIFICATE, pt)
        assert f["owners"].value == ["王小明"], owner
        assert f["location"].value == "杭州市西湖区文三路1号2幢301室", where


def test_label_tolerates_confusable_characters() -> None:
    import re

    assert re.fullmatch(label_rx("公民身份号码"), "公民身份號碼")
    assert re.fullmatch(label_rx("坐落"), "座落")
    assert not re.fullmatch(label_rx("坐落"), "坐标")
    pt = _page(
        [
            [("姓名", 60), ("张三", 200)],
            [("性别", 60), ("男", 200), ("民族", 360), ("汉", 460)],
            [("出生", 60), ("1985年3月12日", 200)],
            [("住址", 60), ("浙江省杭州市西湖区文三路1号", 200)],
            [("身份证号码", 60), ("33010619850312001X", 330)],
        ]
    )
    assert extract(DocType.ID_CARD_FRONT, pt)["id_number"].value == "33010619850312001X"


BUYERS = "熊新,身份证号码:330502199905285977;雷涵飞,身份证号码:330421199903168578"


def test_contract_parties_in_a_table_and_listed_after_one_role() -> None:
    pt = _page(
        [
            [("存量房买卖合同", 60)],
            [("甲方(出卖人)", 60), ("马怡", 400), ("居民身份证", 560), ("330602197602105947", 800)],
            [("乙方(买受人)", 60), (BUYERS, 400)],
            [("坐落", 60), ("嘉兴市嘉善县新嘉街道星洲花园23幢3单元102室", 400)],
            [("不动产权证书号", 60), ("浙(2023)嘉善县不动产权第0118273号", 400)],
        ]
    )  # fmt: skip
    f = extract(DocType.SALE_CONTRACT, pt)
    assert f["sellers"].value == [{"name": "马怡", "id_number": "330602197602105947"}]
    assert f["buyers"].value == [
        {"name": "熊新", "id_number": "330502199905285977"},
        {"name": "雷涵飞", "id_number": "330421199903168578"},
    ]
    assert f["location"].value == "嘉兴市嘉善县新嘉街道星洲花园23幢3单元102室"


def test_spouses_printed_side_by_side_are_read_by_column() -> None:
    pt = _page(
        [
            [("结婚证", 60)],
            [("持证人", 60), ("郝轩", 300)],
            [("结婚登记日期", 60), ("2023年2月16日", 300)],
            [("证件编号", 60), ("J330302-2023-009247", 300)],
            [("姓名", 60), ("郝轩", 300), ("林诗", 700)],
            [("出生日期", 60), ("1997年02月27日", 300), ("1998年05月28日", 700)],
            [("身份证号", 60), ("330302199702277351", 300), ("331002199805288664", 700)],
        ]
    )
    f = extract(DocType.MARRIAGE_CERTIFICATE, pt)
    assert f["spouses"].value == [
        {"name": "郝轩", "id_number": "330302199702277351"},
        {"name": "林诗", "id_number": "331002199805288664"},
    ]
    assert f["registration_date"].value == "2023-02-16"
    assert f["certificate_number"].value == "J330302-2023-009247"
    assert f["holder"].confidence > 0.8


# ---------------------------------------------------------------- lists, aliases, prices, blocks


def _read_page(rows: list[list[tuple[str, float]]], *, h: float = 40.0) -> PageText:
    """Like :func:`_page`, the texts as the recogniser returns them (spaces and all)."""
    from ocr.layout import make_segment

    segs = []
    for r, row in enumerate(rows):
        y = 50 + r * 60
        for text, x in row:
            seg = make_segment(text, 0.99, (x, y, x + 40 * len(text), y + h), 0)
            assert seg is not None
            segs.append(seg)
    return PageText(segs)


def _owners_certificate(owners: str, co: str) -> PageText:
    return _read_page(
        [
            [("浙(2023)杭州市不动产权第0123456号", 60)],
            [("权利人", 60), (owners, 400)],
            [("共有情况", 60), (co, 400)],
            [("坐落", 60), ("杭州市西湖区文三路1号2幢301室", 400)],
            [("权利类型", 60), ("国有建设用地使用权/房屋所有权", 400)],
        ]
    )


def test_owners_printed_apart_are_split_into_their_members() -> None:
    for owners in ("楼妍  方国平", "楼妍、方国平", "楼妍，方国平", "楼妍(50%)、方国平(50%)"):
        f = extract(DocType.PROPERTY_CERTIFICATE, _owners_certificate(owners, "共同共有"))
        assert f["owners"].value == ["楼妍", "方国平"], owners
        assert f["owners"].confidence == 0.99, owners


def test_owners_glued_are_split_by_surname_only_when_shared_and_unambiguous() -> None:
    f = extract(DocType.PROPERTY_CERTIFICATE, _owners_certificate("楼妍方国平", "共同共有"))
    assert f["owners"].value == ["楼妍", "方国平"]
    # a guess: a doubtful name (not trusted alone, trusted when a sure reading agrees), never
    # certain, and above a value that does not look like its field
    assert f["owners"].confidence == UNSURE_CAP
    # a single owner of four characters is one name
    f = extract(DocType.PROPERTY_CERTIFICATE, _owners_certificate("欧阳娜娜", "单独所有"))
    assert f["owners"].value == ["欧阳娜娜"]
    # shared, one name read, two ways to split it: kept as read, not trusted
    f = extract(DocType.PROPERTY_CERTIFICATE, _owners_certificate("王小明李芳", "共同共有"))
    assert f["owners"].confidence <= IMPLAUSIBLE_CAP < UNSURE_CAP


def test_names_split_keeps_a_wide_spaced_name_whole() -> None:
    from ocr.doctypes.base import split_names
    from ocr.doctypes.names import split_glued

    assert split_names("王 小 明") == ["王小明"]
    assert split_names("张三,李 四") == ["张三", "李四"]
    assert split_glued("王芳李娜", 2) == ["王芳", "李娜"]
    assert split_glued("王小明李芳", 2) is None


def _party_row(role: str, name: str, number: str, phone: str) -> list[tuple[str, float]]:
    return [(role, 60), (name, 200), ("居民身份证", 330), (number, 560), (phone, 1300)]


CONTRACT_TABLE = [
    [("存量房买卖合同", 60)],
    [("姓名", 60), ("证件类型", 300), ("证件号", 560), ("联系电话", 900)],
    _party_row("出卖人", "孔晟", "330281196207239231", "13828952030"),
    _party_row("出卖人", "彭若曦", "330683200107020826", "15429003568"),
    _party_row("买受人", "常明哲", "330109199705222931", "18511457776"),
    [("根据《中华人民共和国民法典》,甲、乙双方达成如下协议:", 60)],
    [("第一条甲方所有的房屋坐落:淳安县威坪镇百丈路1228号西溪诚园8幢2单元701室(以下简称该房", 60)],
    [("屋),不动产权证书号为浙(2019)淳安县不动产权第0667897号,房屋建筑面积47.54平方米。", 60)],
    [("第二条该房屋成交价格为人民币(大写)叁佰壹拾万元整(小写:¥", 60)],
    [("3100000元)。", 60)],
]  # fmt: skip


def test_contract_parties_in_table_rows_with_a_phone_beside_the_number() -> None:
    f = extract(DocType.SALE_CONTRACT, _page(CONTRACT_TABLE))
    assert f["sellers"].value == [
        {"name": "孔晟", "id_number": "330281196207239231"},
        {"name": "彭若曦", "id_number": "330683200107020826"},
    ]
    assert f["buyers"].value == [{"name": "常明哲", "id_number": "330109199705222931"}]


def test_location_without_the_name_the_contract_gives_it() -> None:
    f = extract(DocType.SALE_CONTRACT, _page(CONTRACT_TABLE))
    assert f["location"].value == "淳安县威坪镇百丈路1228号西溪诚园8幢2单元701室"
    pt = _page([[("坐落", 60), ("杭州市西湖区文三路1号2幢301室(下称“房屋”)", 400)]])
    assert extract(DocType.PROPERTY_CERTIFICATE, pt)["location"].value == (
        "杭州市西湖区文三路1号2幢301室"
    )


def test_price_in_figures_beside_words_and_checked_against_them() -> None:
    f = extract(DocType.SALE_CONTRACT, _page(CONTRACT_TABLE))
    assert f["price"].value == "3100000"
    assert f["price"].confidence == 0.99
    rows = [
        *CONTRACT_TABLE[:-2],
        [("第二条成交价格为人民币(大写)叁佰万元整(小写:¥3100000元)。", 60)],
    ]
    f = extract(DocType.SALE_CONTRACT, _page(rows))
    assert f["price"].value == "3100000"
    assert f["price"].confidence < 0.8  # the words say 3 000 000: one of them is misread


def test_amount_in_words() -> None:
    from ocr.validators import amount_in_words

    assert amount_in_words("叁佰壹拾万元整") == 3_100_000
    assert amount_in_words("贰佰捌拾伍万陆仟元整") == 2_856_000
    assert amount_in_words("壹亿零伍拾万元") == 100_500_000
    assert amount_in_words("壹万贰仟元伍角") == 12_000.5
    assert amount_in_words("人民币") is None


def test_power_of_attorney_people_in_rows_beside_their_role() -> None:
    rows = [
        [("授权委托书", 300)],
        [("姓名", 200), ("史语嫣", 400), ("性别", 600), ("女", 800)],
        [("身份证号码", 200), ("411522197112283661", 400)],
        [("姓名", 200), ("梁荣华", 400), ("性别", 600), ("男", 800)],
        [("身份证号码", 200), ("320583199908091998", 400)],
        [("委托事项", 60), ("代为办理存量房买卖转移登记", 400)],
    ]
    pt = _page(rows)
    # the role word sits left of its two rows, centred on them (a cell spanning both)
    role = [
        Segment(text="委托人", score=0.99, box=(60, 150, 180, 190), cell=(50, 100, 190, 220)),
        Segment(text="受托人", score=0.99, box=(60, 270, 180, 310), cell=(50, 220, 190, 340)),
    ]
    pt = PageText([*pt.segments, *role])
    f = extract(DocType.POWER_OF_ATTORNEY, pt)
    assert f["principal"].value == {"name": "史语嫣", "id_number": "411522197112283661"}
    assert f["agent"].value == {"name": "梁荣华", "id_number": "320583199908091998"}


def test_labels_read_as_owners_are_not_trusted() -> None:
    """Labels read into the owner list (共有情况, 房屋坐落: four Han characters each, as seen at
    0.9993 on a dev photo once names printed apart are split) are no names."""
    from ocr.document import Field
    from ocr.plausibility import apply

    fields = {
        "owners": Field(["共有情况", "房屋坐落"], 0.9993, 0, (1, 1, 9, 9)),
        "co_ownership": Field("单独所有", 0.99, 0, (1, 1, 9, 9)),
    }
    out = apply(DocType.PROPERTY_CERTIFICATE, fields)
    assert out["owners"].confidence < 0.8
    assert out["co_ownership"].confidence == 0.99
    ok = apply(DocType.PROPERTY_CERTIFICATE, {"owners": Field(["楼妍", "方国平"], 0.99, 0, None)})
    assert ok["owners"].confidence == 0.99


def test_the_area_is_read_under_its_column_header_in_a_house_status_table() -> None:
    from ocr.document import LOW_CONFIDENCE

    base = [
        [("浙(2025)东阳市不动产权第0396858号", 60)],
        [("房屋所有权人", 60), ("裘坤", 400)],
        [("房屋坐落", 60), ("东阳市梧桐公寓36号楼4单元3204室", 400)],
        [("房屋状况", 60)],
    ]
    table = [
        [("幢号", 60), ("房号", 200), ("结构", 340), ("建筑面积(㎡)", 480),
         ("套内建筑面积(㎡)", 900)],
        [("5", 60), ("1708", 200), ("混合", 340), ("247.84", 520), ("210.81", 960)],
    ]  # fmt: skip
    f = extract(DocType.PROPERTY_CERTIFICATE, _page(base + table))
    assert f["area"].value == "247.84" and f["area"].confidence > LOW_CONFIDENCE
    # no header row: a number somewhere after 面积 that the wording does not name is a guess
    loose = [[("面积", 60), ("约", 400)], [("210.81平方米", 400)]]
    f = extract(DocType.PROPERTY_CERTIFICATE, _page(base + loose))
    assert f["area"].value == "210.81" and f["area"].confidence < LOW_CONFIDENCE


def test_a_speck_in_the_birth_date_is_dropped_only_when_the_card_number_carries_the_date() -> None:
    def card(born: str, number: str) -> PageText:
        return _page(
            [
                [("姓名", 60), ("岑海燕", 200)],
                [("性别", 60), ("女", 200), ("民族", 360), ("汉", 460)],
                [("出生", 60), (born, 200)],
                [("住址", 60), ("浙江省杭州市西湖区文三路1号2幢301室", 200)],
                [("公民身份号码", 60), (number, 330)],
            ]
        )

    f = extract(DocType.ID_CARD_FRONT, card("1956年7月.6日", "33011219560706102X"))
    assert f["birth_date"].value == "1956-07-06" and f["birth_date"].valid is True
    # the number says another day: the speck may hide a figure, the date stays unread
    f = extract(DocType.ID_CARD_FRONT, card("1956年7月.6日", "330112195607161020"))
    assert f["birth_date"].valid is False and f["birth_date"].confidence < 0.8


def test_a_house_transfer_contract_between_jia_and_yi_is_a_sale_contract() -> None:
    """房屋转让合同 with 甲方（卖方）/ 乙方（买方） and 成交总价 is a sale contract (the weighted
    keywords take synonyms); an equity transfer between 转让方 and 受让方 is not."""
    house = (
        "房屋转让合同 甲方(卖方):吕丹 乙方(买方):卢宇刚 第一条房屋基本情况 "
        "第二条成交价格。该房屋成交总价为人民币5794000元"
    )
    assert classify(house)[0] == DocType.SALE_CONTRACT
    equity = "股权转让协议 转让方:某某投资有限公司 受让方:某某控股有限公司 股权转让价款"
    assert classify(equity)[0] != DocType.SALE_CONTRACT
