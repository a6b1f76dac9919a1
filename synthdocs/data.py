"""Seeded random facts for synthetic documents: people, properties, companies, contracts, ...

Everything takes a ``random.Random`` so one seed reproduces one application. Numbers are valid by
construction (GB 11643 ID numbers, GB 32100 credit codes, GB/T 37346 unit numbers) unless a caller
asks for a defect explicitly (see :func:`forge_check_char`).

``varied=True`` (the training family) draws from wider pools, as real residents vary: names of
2-4 characters (compound surnames, She, Tibetan and Mongolian names with their ethnicity), long
addresses (街道 and 小区, 弄, building/unit/room, and for people village/group addresses), 长子 /
次女 relations. Without it every draw is exactly what it always was (the classic documents).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .validators import (
    ID_CHECK_CHARS,
    USCC_CHARS,
    credit_code_check_char,
    id_check_char,
    org_code_check_char,
)

# "Today" of the generator. Generated ID cards are valid on this date (and for at least a year
# after it) unless expiry is asked for; pre-check tests pass it as ``as_of``.
REFERENCE_DATE = date(2026, 6, 1)

# (GB/T 2260 code, city, district, streets). 330103 下城区 and 330104 江干区 were abolished in 2021;
# people registered before keep those codes in their ID numbers, so they stay in the pool.
_AREAS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("330102", "杭州市", "上城区", ("解放路", "清泰街", "望江路", "秋涛路")),
    ("330103", "杭州市", "下城区", ("延安路", "体育场路", "朝晖路")),
    ("330104", "杭州市", "江干区", ("凯旋路", "景芳路", "采荷路")),
    ("330105", "杭州市", "拱墅区", ("莫干山路", "湖墅南路", "大关路", "丽水路")),
    ("330106", "杭州市", "西湖区", ("文三路", "天目山路", "文一西路", "古墩路", "学院路")),
    ("330108", "杭州市", "滨江区", ("江南大道", "滨盛路", "长河路", "江陵路")),
    ("330109", "杭州市", "萧山区", ("市心中路", "金城路", "人民路")),
    ("330110", "杭州市", "余杭区", ("五常大道", "文一西路", "良睦路")),
    ("330111", "杭州市", "富阳区", ("富春街道桂花路", "江滨西大道")),
    ("330203", "宁波市", "海曙区", ("中山西路", "解放南路", "柳汀街")),
    ("330212", "宁波市", "鄞州区", ("天童南路", "四明中路", "日丽中路")),
    ("330302", "温州市", "鹿城区", ("人民路", "车站大道", "府前街")),
    ("330402", "嘉兴市", "南湖区", ("中山东路", "南湖路", "纺工路")),
    ("330421", "嘉兴市", "嘉善县", ("施家南路", "中山路")),
    ("330502", "湖州市", "吴兴区", ("红旗路", "人民路", "劳动路")),
    ("330602", "绍兴市", "越城区", ("解放北路", "胜利东路", "中兴路")),
    ("330702", "金华市", "婺城区", ("八一北街", "人民西路")),
    ("330782", "义乌市", "义乌市", ("稠州北路", "宾王路", "工人路")),
    ("331002", "台州市", "椒江区", ("市府大道", "中山西路")),
)

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
_GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文博"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧莉琳颖倩洁琴云莹晶欣怡佳悦梦菲蕾薇璐瑶"
_GIVEN_ANY = "嘉子晨思雨涵轩一梓诗可心晓海春秋家德荣永红建新丹彤"
_ETHNICITIES = ("汉",) * 92 + ("畲", "回", "满", "土家", "苗", "壮", "蒙古", "布依")
_ISSUE_SUFFIX = "公安局"

# 浙 certificates: registration body by city; county-level cities/counties register themselves.
_REGISTRY_BY_AREA = {"330421": "嘉善县", "330782": "义乌市"}

_ORDINALS = "零壹贰叁肆伍陆柒捌玖"

# Wider pools of the training family (``varied=True``) ------------------------------------------
_COMPOUND_SURNAMES_WIDE = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "慕容",
    "夏侯",
    "司徒",
    "公孙",
    "令狐",
    "尉迟",
    "端木",
    "南宫",
)
_SHE_SURNAMES = "蓝雷钟"  # the She (畲族), Zhejiang's largest minority, mostly bear these
# Tibetan and Mongolian names are printed whole, without a surname (2-4 characters).
_MINORITY_NAMES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "藏": (
        ("扎西", "扎西顿珠", "次仁", "尼玛次仁", "丹增", "格桑", "多吉", "平措"),
        ("卓玛", "格桑卓玛", "次仁旺姆", "央金", "拉姆", "德吉", "白玛"),
    ),
    "蒙古": (
        ("巴特尔", "那仁", "额尔敦", "苏和", "宝音", "朝鲁门"),
        ("其木格", "乌兰图雅", "苏日娜", "斯琴高娃", "娜仁花", "塔娜"),
    ),
}
_ETHNICITIES_WIDE = (
    ("汉",) * 84
    + ("畲",) * 5
    + ("藏",) * 3
    + ("蒙古",) * 3
    + (
        "回",
        "满",
        "土家",
        "苗",
        "壮",
    )
)
# 街道 and towns by city, so that a varied address names places of its own city.
_SUBDISTRICTS: Mapping[str, tuple[str, ...]] = {
    "杭州市": ("文新街道", "古荡街道", "翠苑街道", "蒋村街道", "留下街道", "转塘街道", "良渚街道"),
    "宁波市": ("潘火街道", "南门街道", "白云街道", "鼓楼街道"),
    "温州市": ("五马街道", "南郊街道", "大南街道"),
    "嘉兴市": ("南湖街道", "新嘉街道", "城南街道"),
    "湖州市": ("爱山街道", "飞英街道", "月河街道"),
    "绍兴市": ("府山街道", "塔山街道", "北海街道"),
    "金华市": ("城东街道", "西关街道", "江南街道"),
    "义乌市": ("稠城街道", "北苑街道", "稠江街道"),
    "台州市": ("海门街道", "白云街道", "葭沚街道"),
}
_TOWNS: Mapping[str, tuple[str, ...]] = {
    "杭州市": ("径山镇", "瓶窑镇", "塘栖镇", "新登镇", "场口镇"),
    "宁波市": ("集士港镇", "横溪镇", "姜山镇"),
    "温州市": ("藤桥镇", "山福镇"),
    "嘉兴市": ("洪合镇", "新丰镇", "姚庄镇"),
    "湖州市": ("织里镇", "八里店镇"),
    "绍兴市": ("富盛镇", "马山镇"),
    "金华市": ("罗店镇", "白龙桥镇"),
    "义乌市": ("佛堂镇", "赤岸镇"),
    "台州市": ("大陈镇", "前所街道"),
}
_COMMUNITIES = (
    "金色家园",
    "阳光花园",
    "翠苑一区",
    "嘉绿苑",
    "和家园",
    "星洲花园",
    "西溪诚园",
    "桂花城",
    "良渚文化村白鹭郡",
    "天悦府",
    "金色蓝庭",
    "御道公寓",
    "澜天苑",
    "新城时代广场",
    "钱江湾花园",
)
_VILLAGES = ("潘板", "前溪", "上杨", "横山", "下畈", "大同", "新桥", "里湖", "后陈", "东山")
_HAMLETS = ("下屋", "塘坞", "山后", "前畈", "竹园", "老街")


@dataclass(frozen=True)
class Person:
    """A resident with a second-generation ID card."""

    name: str
    sex: str  # 男 / 女
    ethnicity: str
    birth_date: date
    address: str  # as printed on the ID card (starts with 浙江省)
    id_number: str  # as printed: valid unless forged on purpose
    issuing_authority: str
    valid_from: date
    valid_until: date | None  # None = 长期

    @property
    def valid_until_text(self) -> str:
        """``valid_until`` in CONTRACT shape: ISO date or ``长期``."""
        return "长期" if self.valid_until is None else self.valid_until.isoformat()

    def as_party(self) -> dict[str, str]:
        return {"name": self.name, "id_number": self.id_number}


@dataclass(frozen=True)
class Property:
    """A flat with its 不动产权证书."""

    certificate_number: str  # ASCII parentheses
    owners: tuple[Person, ...]
    co_ownership: str  # 单独所有 / 共同共有 / 按份共有
    location: str
    unit_number: str  # 28 characters, no spaces
    area: str  # building area in m², e.g. "89.56"
    land_area: str  # 共有宗地面积 in m²
    right_type: str
    right_nature: str
    use: str
    term: str
    registry: str  # e.g. 杭州市
    registered_on: date
    print_serial: str  # 编号 NO. on the blank (not the certificate number)


@dataclass(frozen=True)
class Company:
    credit_code: str
    name: str
    kind: str
    legal_representative: str
    address: str
    established: date
    capital: str  # 注册资本 as printed, e.g. 伍佰万元整
    scope: str
    registry: str


@dataclass(frozen=True)
class Contract:
    """A 存量房买卖合同 between sellers and buyers."""

    number: str
    sellers: tuple[Person, ...]
    buyers: tuple[Person, ...]
    prop: Property
    price: int  # yuan
    signed_date: date
    deposit: int
    handover_date: date
    # The contract text may differ from the documents (defects): these override the printed text.
    location: str = ""
    certificate_number: str = ""
    party_id_numbers: tuple[tuple[str, str], ...] = ()  # (name, printed id) overrides

    @property
    def printed_location(self) -> str:
        return self.location or self.prop.location

    @property
    def printed_certificate_number(self) -> str:
        return self.certificate_number or self.prop.certificate_number

    def printed_id(self, person: Person) -> str:
        return dict(self.party_id_numbers).get(person.name, person.id_number)


@dataclass(frozen=True)
class Marriage:
    holder: Person
    spouse: Person
    registration_date: date
    certificate_number: str  # e.g. J330106-2015-003421
    authority: str


@dataclass(frozen=True)
class PowerOfAttorney:
    principal: Person
    agent: Person
    signed_date: date
    matter: str
    location: str


@dataclass(frozen=True)
class Household:
    members: tuple[tuple[Person, str], ...]  # (person, relation to head: 户主, 妻, 子, ...)
    address: str
    household_number: str
    kind: str  # 户别: 家庭户 / 集体户
    authority: str


# Abolished in 2021: only people registered before carry these codes; places use current ones.
_ABOLISHED = ("330103", "330104")


def _area(
    rng: random.Random, code: str | None = None, *, current: bool = False
) -> tuple[str, str, str, tuple[str, ...]]:
    if code is None:
        return rng.choice([a for a in _AREAS if not (current and a[0] in _ABOLISHED)])
    for a in _AREAS:
        if a[0] == code:
            return a
    raise ValueError(f"unknown area code {code}")


def area_codes() -> tuple[str, ...]:
    """GB/T 2260 codes the generator draws from (all in Zhejiang)."""
    return tuple(a[0] for a in _AREAS)


def random_name(
    rng: random.Random, sex: str, *, varied: bool = False, ethnicity: str = "汉"
) -> str:
    """A name for ``sex``; ``varied`` widens it to 2-4 characters and matches ``ethnicity``
    (Tibetan and Mongolian names have no surname, She names mostly 蓝 / 雷 / 钟)."""
    if varied:
        return _varied_name(rng, sex, ethnicity)
    surname = rng.choice(_COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(_SURNAMES)
    pool = (_GIVEN_MALE if sex == "男" else _GIVEN_FEMALE) + _GIVEN_ANY
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return surname + given


def _varied_name(rng: random.Random, sex: str, ethnicity: str) -> str:
    if ethnicity in _MINORITY_NAMES:
        male, female = _MINORITY_NAMES[ethnicity]
        return rng.choice(male if sex == "男" else female)
    r = rng.random()
    if ethnicity == "畲" and r < 0.8:
        surname = rng.choice(_SHE_SURNAMES)
    elif r < 0.12:
        surname = rng.choice(_COMPOUND_SURNAMES_WIDE)
    else:
        surname = rng.choice(_SURNAMES)
    pool = (_GIVEN_MALE if sex == "男" else _GIVEN_FEMALE) + _GIVEN_ANY
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.65 else "")
    return surname + given


def random_street_address(
    rng: random.Random,
    code: str | None = None,
    *,
    current: bool = False,
    varied: bool = False,
    rural: bool = False,
) -> tuple[str, str, str, str]:
    """(area code, city, district, location) such as 杭州市西湖区文三路123号5幢2单元301室;
    ``current`` excludes districts abolished since (for properties and companies).
    ``varied`` draws the longer shapes real addresses take (街道 + 小区 + 幢/单元/室, 弄) and,
    with ``rural``, village addresses (镇 + 村 + 组 or hamlet + 号)."""
    if varied:
        return _varied_address(rng, code, current=current, rural=rural)
    code, city, district, streets = _area(rng, code, current=current)
    street = rng.choice(streets)
    no = rng.randint(1, 999)
    if rng.random() < 0.2:
        community = rng.choice(("金色家园", "阳光花园", "翠苑", "嘉绿苑", "和家园", "星洲花园"))
        flat = f"{rng.randint(1, 30)}幢{rng.randint(1, 3)}0{rng.randint(1, 4)}室"
        loc = f"{city}{district}{street}{no}号{community}{flat}"
    else:
        building = rng.randint(1, 30)
        unit = rng.randint(1, 4)
        floor = rng.randint(1, 18)
        loc = f"{city}{district}{street}{no}号{building}幢{unit}单元{floor}0{rng.randint(1, 4)}室"
    if district == city:  # county-level city: 金华市义乌市 is printed 义乌市
        loc = loc[len(city) :]
    return code, city, district, loc


def _varied_address(
    rng: random.Random, code: str | None, *, current: bool, rural: bool
) -> tuple[str, str, str, str]:
    code, city, district, streets = _area(rng, code, current=current)
    place = city + district if district != city else district
    street = rng.choice(streets)
    no = rng.randint(1, 999)
    building, unit = rng.randint(1, 36), rng.randint(1, 4)
    room = f"{rng.randint(1, 33)}0{rng.randint(1, 4)}"
    shape = rng.random()
    if rural and shape < 0.3:
        town, village = rng.choice(_TOWNS[city]), rng.choice(_VILLAGES)
        if rng.random() < 0.5:
            loc = f"{place}{town}{village}村{rng.randint(1, 12)}组{rng.randint(1, 120)}号"
        else:
            loc = f"{place}{town}{village}村{rng.choice(_HAMLETS)}{rng.randint(1, 120)}号"
    elif shape < 0.55:
        sub, community = rng.choice(_SUBDISTRICTS[city]), rng.choice(_COMMUNITIES)
        loc = f"{place}{sub}{community}{building}幢{unit}单元{room}室"
    elif shape < 0.7:
        loc = f"{place}{street}{no}弄{rng.randint(1, 60)}号{room}室"
    elif shape < 0.85:
        community = rng.choice(_COMMUNITIES)
        loc = f"{place}{street}{no}号{community}{building}幢{unit}单元{room}室"
    else:
        loc = f"{place}{street}{no}号{building}幢{unit}单元{room}室"
    return code, city, district, loc


def _id_body(code: str, born: date, sex: str, rng: random.Random) -> str:
    seq = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == "男" else (0, 2, 4, 6, 8))
    return f"{code}{born:%Y%m%d}{seq:03d}"


def id_number_for(*, code: str, born: date, sex: str, rng: random.Random) -> str:
    """A valid GB 11643 number for the area code, birth date and sex."""
    body = _id_body(code, born, sex, rng)
    return body + id_check_char(body)


def forge_check_char(id_number: str) -> str:
    """The same number with a wrong (but plausible) check character."""
    right = id_number[17]
    wrong = [c for c in ID_CHECK_CHARS if c != right and c != "X"]
    # deterministic: the next digit in the table
    return id_number[:17] + wrong[(ID_CHECK_CHARS.index(right)) % len(wrong)]


def shift_number(text: str, m: re.Match[str], step: int) -> str:
    """``text`` with the number in group 1 of ``m`` moved ``step`` on (back, past 30): another
    building, room or house number that stays plausible."""
    n = int(m.group(1))
    return text[: m.start(1)] + str(n + step if n < 30 else n - step) + text[m.end(1) :]


def add_years(d: date, years: int) -> date:
    """``d`` moved ``years`` on (29 February becomes the 28th)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def id_validity_years(age: int) -> int | None:
    """How long an ID card issued at ``age`` is valid (None: 长期)."""
    # 居民身份证法 第五条: <16 → 5 y, 16-25 → 10 y, 26-45 → 20 y, ≥46 → 长期
    if age < 16:
        return 5
    if age <= 25:
        return 10
    if age <= 45:
        return 20
    return None


def age_on(born: date, on: date) -> int:
    """Whole years from ``born`` to ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def random_person(
    rng: random.Random,
    *,
    sex: str | None = None,
    name: str | None = None,
    min_age: int = 20,
    max_age: int = 75,
    area_code: str | None = None,
    expired: bool = False,
    as_of: date = REFERENCE_DATE,
    varied: bool = False,
) -> Person:
    """A person whose ID card is valid on ``as_of`` (or expired before it, when asked);
    ``varied`` widens the name and address pools (see the module docstring)."""
    sex = sex or rng.choice(("男", "女"))
    if expired:
        # an expired card needs a 10- or 20-year validity that ran out: ages 26-65 allow it
        min_age, max_age = max(min_age, 26), max(min(max_age, 65), max(min_age, 26) + 1)
    code, city, district, loc = random_street_address(rng, area_code, varied=varied, rural=True)
    age_days = rng.randint(min_age * 365 + 30, max_age * 365 - 30)
    born = as_of - timedelta(days=age_days)
    born = born.replace(day=min(born.day, 28))
    if district.endswith("区"):
        authority = f"{city}公安局{district.removesuffix('区')}分局"
    else:
        authority = f"{district}公安局"
    # Pick the issue date so that the card is valid on as_of (and a year after) or expired.
    for _ in range(200):
        if expired:
            issued = as_of - timedelta(days=rng.randint(3650, 20 * 365 + 2000))
        else:
            issued = as_of - timedelta(days=rng.randint(30, 19 * 365))
        issued = issued.replace(day=min(issued.day, 28))
        if issued <= born + timedelta(days=16 * 365):
            continue
        years = id_validity_years(age_on(born, issued))
        until = None if years is None else add_years(issued, years)
        if expired and until is not None and until < as_of - timedelta(days=30):
            break
        if not expired and (until is None or until > as_of + timedelta(days=400)):
            break
    else:
        if expired:  # pragma: no cover - ages 26-65 always leave room
            raise RuntimeError("could not place an ID card validity period")
        # just over 16: the card was issued lately, maybe before 16 (then valid for 5 years)
        issued = as_of - timedelta(days=rng.randint(30, 300))
        issued = issued.replace(day=min(issued.day, 28))
        until = add_years(issued, id_validity_years(age_on(born, issued)) or 20)
    if varied:
        ethnicity = rng.choice(_ETHNICITIES_WIDE)
        name = name or random_name(rng, sex, varied=True, ethnicity=ethnicity)
    else:
        name = name or random_name(rng, sex)
        ethnicity = rng.choice(_ETHNICITIES)
    return Person(
        name=name,
        sex=sex,
        ethnicity=ethnicity,
        birth_date=born,
        address="浙江省" + loc,
        id_number=id_number_for(code=code, born=born, sex=sex, rng=rng),
        issuing_authority=authority,
        valid_from=issued,
        valid_until=until,
    )


def certificate_number(*, registry: str, year: int, serial: int) -> str:
    return f"浙({year}){registry}不动产权第{serial:07d}号"


def unit_number(rng: random.Random, *, code: str, building: int, flat: int) -> str:
    """28-character 不动产单元号: area(6) 地籍区(3) 地籍子区(3) G B parcel(5) F 幢(4) 户(4)."""
    return (
        f"{code}{rng.randint(1, 30):03d}{rng.randint(1, 40):03d}GB{rng.randint(1, 9999):05d}"
        f"F{building:04d}{flat:04d}"
    )


def random_property(
    rng: random.Random,
    *,
    owners: tuple[Person, ...],
    as_of: date = REFERENCE_DATE,
    varied: bool = False,
) -> Property:
    code, city, _district, loc = random_street_address(rng, current=True, varied=varied)
    registry = _REGISTRY_BY_AREA.get(code, city)
    registered = as_of - timedelta(days=rng.randint(200, (as_of.year - 2015) * 365))
    registered = max(registered, date(2015, 3, 1))
    mb, mf = re.search(r"(\d+)幢", loc), re.search(r"(\d+)室$", loc)
    building = int(mb.group(1)) if mb else rng.randint(1, 30)
    flat = int(mf.group(1)) if mf else rng.randint(101, 1804)
    co = "单独所有" if len(owners) == 1 else rng.choice(("共同共有", "按份共有"))
    start = registered - timedelta(days=rng.randint(365, 20 * 365))
    return Property(
        certificate_number=certificate_number(
            registry=registry, year=registered.year, serial=rng.randint(1, 299999)
        ),
        owners=owners,
        co_ownership=co,
        location=loc,
        unit_number=unit_number(rng, code=code, building=building, flat=flat),
        area=f"{rng.randint(45, 180)}.{rng.randint(0, 99):02d}",
        land_area=f"{rng.randint(3000, 40000)}.{rng.randint(0, 9)}",
        right_type="国有建设用地使用权/房屋所有权",
        right_nature="出让/市场化商品房",
        use="城镇住宅用地/住宅",
        term=f"国有建设用地使用权 {start.year}年{start.month:02d}月{start.day:02d}日起"
        f"{start.year + 70}年{start.month:02d}月{start.day:02d}日止",
        registry=registry,
        registered_on=registered,
        print_serial=f"J{rng.randint(10**10, 10**11 - 1)}",
    )


def random_credit_code(rng: random.Random, *, code: str | None = None, kind: str = "1") -> str:
    """A valid GB 32100 code for a 工商 (9) registered enterprise (1) or individual business (2)."""
    code = code or _area(rng, current=True)[0]
    org = "".join(rng.choice(USCC_CHARS[:10] if i < 2 else USCC_CHARS) for i in range(8))
    if rng.random() < 0.5:
        org = "MA" + org[2:]  # codes issued since 2015 mostly start with MA
    org += org_code_check_char(org)
    body = f"9{kind}{code}{org}"
    return body + credit_code_check_char(body)


def random_company(
    rng: random.Random, *, as_of: date = REFERENCE_DATE, varied: bool = False
) -> Company:
    code, city, _district, loc = random_street_address(rng, current=True, varied=varied)
    word = rng.choice(
        ("恒信", "天成", "鼎盛", "安居", "嘉禾", "明远", "汇通", "锦程", "博雅", "华越")
    )
    trade = rng.choice(("房地产经纪", "科技", "贸易", "建设工程", "文化传媒", "电子商务"))
    legal = random_person(rng, min_age=28, max_age=65, varied=varied)
    established = as_of - timedelta(days=rng.randint(200, 15 * 365))
    capital = rng.choice((100, 200, 300, 500, 1000))
    capital_text = (
        _chinese_amount(capital * 10000).removesuffix("元整").removesuffix("整") + "元整"
        if capital
        else ""
    )
    return Company(
        credit_code=random_credit_code(rng, code=code),
        name=f"{city.removesuffix('市')}{word}{trade}有限公司",
        kind="有限责任公司(自然人投资或控股)",
        legal_representative=legal.name,
        address=_company_address(loc, rng, varied=varied),
        established=established,
        capital=capital_text,
        scope=f"一般项目：{trade}服务；信息咨询服务（不含许可类信息咨询服务）；"
        "技术服务、技术开发、技术咨询、技术交流（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。",
        registry=f"{city}市场监督管理局",
    )


def _company_address(loc: str, rng: random.Random, *, varied: bool) -> str:
    """The registered address: the street number, maybe with a unit of an office building
    (varied: an address without a street number stays whole)."""
    if varied and "号" not in loc:
        return loc
    return (
        loc.split("号")[0]
        + "号"
        + rng.choice(("", f"{rng.randint(1, 20)}幢{rng.randint(101, 1808)}室"))
    )


def _chinese_amount(n: int) -> str:
    """Capitalised RMB amount (大写), e.g. 2350000 → 贰佰叁拾伍万元整."""
    if n == 0:
        return "零元整"
    units = ("", "拾", "佰", "仟")

    def four(x: int) -> str:
        out, zero = "", False
        for i in range(3, -1, -1):
            d = x // 10**i % 10
            if d == 0:
                zero = bool(out)
            else:
                if zero:
                    out += "零"
                    zero = False
                out += _ORDINALS[d] + units[i]
        return out

    parts = []
    yi, wan, rest = n // 10**8, n // 10**4 % 10**4, n % 10**4
    if yi:
        parts.append(four(yi) + "亿")
    if wan:
        if yi and wan < 1000:
            parts.append("零")
        parts.append(four(wan) + "万")
    if rest:
        if (yi or wan) and rest < 1000:
            parts.append("零")
        parts.append(four(rest))
    return "".join(parts) + "元整"


chinese_amount = _chinese_amount


def random_contract(
    rng: random.Random,
    *,
    sellers: tuple[Person, ...],
    buyers: tuple[Person, ...],
    prop: Property,
    as_of: date = REFERENCE_DATE,
) -> Contract:
    area = float(prop.area)
    price = int(area * rng.randint(18000, 65000) / 1000) * 1000
    signed = as_of - timedelta(days=rng.randint(3, 60))
    year = signed.year
    return Contract(
        number=f"{prop.registry[:2]}{year}-{rng.randint(1, 99999):06d}",
        sellers=sellers,
        buyers=buyers,
        prop=prop,
        price=price,
        signed_date=signed,
        deposit=rng.choice((20000, 50000, 100000)),
        handover_date=signed + timedelta(days=rng.randint(30, 120)),
    )


def random_marriage(
    rng: random.Random, *, holder: Person, spouse: Person | None = None, varied: bool = False
) -> Marriage:
    if spouse is None:
        other = "女" if holder.sex == "男" else "男"
        spouse = random_person(
            rng,
            sex=other,
            min_age=max(22, age_on(holder.birth_date, REFERENCE_DATE) - 6),
            max_age=max(30, age_on(holder.birth_date, REFERENCE_DATE) + 6),
            varied=varied,
        )
    youngest = max(holder.birth_date, spouse.birth_date)
    earliest = add_years(youngest, 23)
    latest = REFERENCE_DATE - timedelta(days=60)
    span = max(1, (latest - earliest).days)
    registered = earliest + timedelta(days=rng.randint(0, span))
    code = holder.id_number[:6]
    return Marriage(
        holder=holder,
        spouse=spouse,
        registration_date=registered,
        certificate_number=f"J{code}-{registered.year}-{rng.randint(1, 9999):06d}",
        authority=holder.issuing_authority.split("公安局")[0] + "民政局",
    )


def random_power_of_attorney(
    rng: random.Random, *, principal: Person, agent: Person, location: str
) -> PowerOfAttorney:
    return PowerOfAttorney(
        principal=principal,
        agent=agent,
        signed_date=REFERENCE_DATE - timedelta(days=rng.randint(3, 45)),
        matter="存量房买卖转移登记",
        location=location,
    )


def random_household(
    rng: random.Random, *, head: Person, size: int = 3, varied: bool = False
) -> Household:
    """A household of ``size`` with ``head``; ``varied`` draws varied people and may number the
    children as real registers do (长子, 次女)."""
    members: list[tuple[Person, str]] = [(head, "户主")]
    if size >= 2:
        members.append(
            (
                random_person(
                    rng,
                    sex="女" if head.sex == "男" else "男",
                    min_age=25,
                    max_age=70,
                    varied=varied,
                ),
                "妻" if head.sex == "男" else "夫",
            )
        )
    numbered = varied and rng.random() < 0.5
    for _ in range(max(0, size - 2)):
        sex = rng.choice(("男", "女"))
        relation = "子" if sex == "男" else "女"
        if numbered:
            first = not any(rel.endswith(relation) for _, rel in members[1:])
            relation = ("长" if first else "次") + relation
        members.append(
            (random_person(rng, sex=sex, min_age=16, max_age=24, varied=varied), relation)
        )
    # Everybody in a household shares the registered address.
    members = [(replace(p, address=head.address), rel) for p, rel in members]
    return Household(
        members=tuple(members),
        address=head.address,
        household_number=f"{rng.randint(10**8, 10**9 - 1)}",
        kind="家庭户",
        authority=head.issuing_authority.removesuffix("分局").removesuffix("公安局")
        + rng.choice(("城东", "城西", "北山", "湖滨", "新华", "城南"))
        + "派出所",
    )
