"""The second held-out family's own fact pools: people (names of 2-4 characters, compound
surnames included), long Zhejiang addresses, flats, deals, marriages, households, companies.

The facts are the shared data classes of :mod:`synthdocs.data` (so an
:class:`~synthdocs.applications.Application` carries them as every family's does), drawn from
pools written here. This module is a :class:`synthdocs.applications.Pool` as it is.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .. import data as d
from ..validators import credit_code_check_char, id_check_char, org_code_check_char

# (area code, city, district, streets) — current county-level divisions of Zhejiang
PLACES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("330102", "杭州市", "上城区", ("清波街道", "望江街道", "笕桥街道", "九堡街道")),
    ("330105", "杭州市", "拱墅区", ("米市巷街道", "湖墅街道", "祥符街道", "半山街道")),
    ("330106", "杭州市", "西湖区", ("文新街道", "转塘街道", "留下街道", "三墩镇")),
    ("330108", "杭州市", "滨江区", ("西兴街道", "长河街道", "浦沿街道")),
    ("330109", "杭州市", "萧山区", ("城厢街道", "北干街道", "新塘街道", "宁围街道")),
    ("330110", "杭州市", "余杭区", ("五常街道", "仓前街道", "闲林街道", "良渚街道")),
    ("330203", "宁波市", "海曙区", ("鼓楼街道", "南门街道", "白云街道", "石碶街道")),
    ("330212", "宁波市", "鄞州区", ("中河街道", "首南街道", "钟公庙街道", "下应街道")),
    ("330302", "温州市", "鹿城区", ("五马街道", "松台街道", "南汇街道", "滨江街道")),
    ("330402", "嘉兴市", "南湖区", ("建设街道", "解放街道", "新嘉街道", "城南街道")),
    ("330502", "湖州市", "吴兴区", ("爱山街道", "月河街道", "龙泉街道", "织里镇")),
    ("330602", "绍兴市", "越城区", ("府山街道", "北海街道", "塔山街道", "城南街道")),
    ("330702", "金华市", "婺城区", ("城东街道", "城中街道", "西关街道", "江南街道")),
    ("330802", "衢州市", "柯城区", ("府山街道", "荷花街道", "信安街道")),
    ("331002", "台州市", "椒江区", ("海门街道", "白云街道", "葭沚街道")),
    ("331102", "丽水市", "莲都区", ("紫金街道", "岩泉街道", "万象街道")),
    ("330902", "舟山市", "定海区", ("昌国街道", "环南街道", "城东街道")),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹熊白孟秦邱江尹薛闫段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤翁俞楼屠应裘童柴鲍"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐", "尉迟", "公孙", "宇文")
GIVEN_M = "伟强磊军勇杰涛明超斌浩鹏宇俊峰建国华志刚晨宏毅昊天翔博文皓轩睿嘉航铭澄逸凯"
GIVEN_F = "芳娜敏静丽艳娟霞燕玲婷雪颖琳倩慧洁蓉萍佳怡欣悦瑶璐晗菁蕾妍瑾媛淑婉雯馨"

COMMUNITIES = (
    "春晓苑",
    "金色家园",
    "翠苑一区",
    "丹桂花园",
    "香樟公寓",
    "滨江花城",
    "锦绣江南",
    "望湖小区",
    "梧桐里",
    "紫金华庭",
    "东方润园",
    "云栖雅苑",
    "阳光水岸",
    "绿城桂花园",
    "碧水湾",
    "和睦新村",
    "清水湾",
    "山水人家",
    "星河湾",
    "南苑新村",
)
ROADS = (
    "文一西路",
    "学院路",
    "解放东路",
    "中山北路",
    "人民大道",
    "江南大道",
    "凤起路",
    "环城西路",
    "天目山路",
    "世纪大道",
    "建设三路",
    "新华路",
    "东湖路",
    "钱江路",
)
ETHNICITIES = ("汉",) * 14 + ("回", "畲", "满", "苗", "土家", "壮")


def _name(rng: random.Random, sex: str) -> str:
    pool = GIVEN_M if sex == "男" else GIVEN_F
    r = rng.random()
    if r < 0.12:  # compound surname: 3-4 characters
        return rng.choice(COMPOUND) + "".join(rng.choice(pool) for _ in range(rng.randint(1, 2)))
    if r < 0.38:
        return rng.choice(SURNAMES) + rng.choice(pool)  # 2 characters
    if r < 0.95:
        return rng.choice(SURNAMES) + rng.choice(pool) + rng.choice(pool)
    return rng.choice(SURNAMES) + rng.choice(SURNAMES) + rng.choice(pool) + rng.choice(pool)


def _place(rng: random.Random) -> tuple[str, str, str, tuple[str, ...]]:
    return rng.choice(PLACES)


def street_address(rng: random.Random, place: tuple[str, str, str, tuple[str, ...]]) -> str:
    """浙江省 + city + district + street + community/road + building/unit/room."""
    _, city, district, streets = place
    street = rng.choice(streets)
    if rng.random() < 0.5:
        tail = (
            f"{rng.choice(COMMUNITIES)}{rng.randint(1, 36)}幢{rng.randint(1, 4)}单元"
            f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
        )
    else:
        tail = (
            f"{rng.choice(ROADS)}{rng.randint(1, 999)}号{rng.choice(COMMUNITIES)}"
            f"{rng.randint(1, 30)}幢{rng.randint(1, 3)}单元"
            f"{rng.randint(1, 25)}0{rng.randint(1, 6)}室"
        )
    return f"浙江省{city}{district}{street}{tail}"


def id_number(rng: random.Random, code: str, born: date, sex: str) -> str:
    odd = rng.choice((1, 3, 5, 7, 9)) if sex == "男" else rng.choice((0, 2, 4, 6, 8))
    body = f"{code}{born:%Y%m%d}{rng.randint(0, 99):02d}{odd}"
    return body + id_check_char(body)


def _validity(age: int) -> int | None:
    if age < 16:
        return 5
    if age <= 25:
        return 10
    if age <= 45:
        return 20
    return None


def person(
    rng: random.Random,
    *,
    sex: str | None = None,
    expired: bool = False,
    min_age: int = 22,
    max_age: int = 72,
    as_of: date = d.REFERENCE_DATE,
) -> d.Person:
    """A Zhejiang resident whose second-generation card is valid on ``as_of`` (or expired)."""
    sex = sex or rng.choice(("男", "女"))
    age = rng.randint(min_age, max_age)
    born = date(as_of.year - age, rng.randint(1, 12), rng.randint(1, 28))
    place = _place(rng)
    for _ in range(50):
        issued = as_of - timedelta(days=rng.randint(200, 365 * 18))
        years = _validity(d.age_on(born, issued))
        until = None if years is None else d.add_years(issued, years)
        if expired:
            if until is not None and until < as_of:
                break
            if until is None or until >= as_of:
                issued = d.add_years(as_of, -11) - timedelta(days=rng.randint(30, 300))
                issued = max(issued, d.add_years(born, 17))
                years = _validity(d.age_on(born, issued)) or 10
                until = d.add_years(issued, min(years, 10))
                if until < as_of:
                    break
        elif until is None or until > as_of:
            break
    city, district = place[1], place[2]
    return d.Person(
        name=_name(rng, sex),
        sex=sex,
        ethnicity=rng.choice(ETHNICITIES),
        birth_date=born,
        address=street_address(rng, place),
        id_number=id_number(rng, place[0], born, sex),
        issuing_authority=f"{city}公安局{district}分局",
        valid_from=issued,
        valid_until=until,
    )


def unit_number(rng: random.Random, code: str, building: int, room: int) -> str:
    return (
        f"{code}{rng.randint(1, 40):03d}{rng.randint(1, 60):03d}"
        f"{rng.choice('GJ')}{rng.choice('BA')}{rng.randint(1, 99999):05d}"
        f"F{building:04d}{room:04d}"
    )


def random_property(
    rng: random.Random, *, owners: tuple[d.Person, ...], as_of: date = d.REFERENCE_DATE
) -> d.Property:
    place = _place(rng)
    code, city, district, streets = place
    building, unit, floor, door = rng.randint(1, 32), rng.randint(1, 4), rng.randint(1, 30), 1
    door = rng.randint(1, 4)
    room = floor * 100 + door
    community = rng.choice(COMMUNITIES)
    if rng.random() < 0.5:
        loc = f"{city}{district}{rng.choice(streets)}{community}{building}幢{unit}单元{room}室"
    else:
        loc = (
            f"{district}{rng.choice(ROADS)}{rng.randint(1, 888)}号{community}"
            f"{building}幢{unit}单元{room}室"
        )
    year = rng.randint(2016, as_of.year - 1)
    registered = date(year, rng.randint(1, 12), rng.randint(1, 28))
    registry = city if rng.random() < 0.6 else f"{city}{district}"
    area = f"{rng.randint(42, 188)}.{rng.randint(0, 99):02d}"
    co = "单独所有" if len(owners) == 1 else rng.choice(("共同共有", "按份共有"))
    return d.Property(
        certificate_number=f"浙({year}){registry}不动产权第{rng.randint(1, 9999999):07d}号",
        owners=owners,
        co_ownership=co,
        location=loc,
        unit_number=unit_number(rng, code, building, room),
        area=area,
        land_area=f"{rng.randint(8000, 60000)}.{rng.randint(0, 9)}",
        right_type="国有建设用地使用权/房屋所有权",
        right_nature=rng.choice(("出让/商品房", "出让/市场化商品房", "划拨/房改房")),
        use=rng.choice(("城镇住宅用地/住宅", "住宅用地/成套住宅")),
        term=f"国有建设用地使用权 {year - rng.randint(3, 15)}年{rng.randint(1, 12)}月"
        f"{rng.randint(1, 28)}日起 {year + 55}年止",
        registry=registry,
        registered_on=registered,
        print_serial=f"{rng.choice('ZJ')}{rng.randint(10000000, 99999999)}",
    )


def random_contract(
    rng: random.Random,
    *,
    sellers: tuple[d.Person, ...],
    buyers: tuple[d.Person, ...],
    prop: d.Property,
    as_of: date = d.REFERENCE_DATE,
) -> d.Contract:
    area = float(prop.area)
    price = int(area * rng.randint(18000, 62000) / 1000) * 1000
    signed = as_of - timedelta(days=rng.randint(3, 60))
    return d.Contract(
        number=f"ZJ{signed.year}{rng.randint(1, 999999):06d}",
        sellers=sellers,
        buyers=buyers,
        prop=prop,
        price=price,
        signed_date=signed,
        deposit=rng.choice((20000, 50000, 100000, 200000)),
        handover_date=signed + timedelta(days=rng.randint(30, 120)),
    )


def marriage(rng: random.Random, *, holder: d.Person, spouse: d.Person | None = None) -> d.Marriage:
    if spouse is None:
        other = "女" if holder.sex == "男" else "男"
        spouse = person(rng, sex=other)
    youngest = max(holder.birth_date, spouse.birth_date)
    start = d.add_years(youngest, 22)
    end = d.REFERENCE_DATE - timedelta(days=90)
    if start >= end:
        start = end - timedelta(days=400)
    registered = start + timedelta(days=rng.randint(0, (end - start).days))
    code, city, district, _ = _place(rng)
    return d.Marriage(
        holder=holder,
        spouse=spouse,
        registration_date=registered,
        certificate_number=f"J{code}-{registered.year}-{rng.randint(1, 9999):06d}",
        authority=f"{city}{district}民政局",
    )


def power_of_attorney(
    rng: random.Random, *, principal: d.Person, agent: d.Person, location: str, signed: date
) -> d.PowerOfAttorney:
    return d.PowerOfAttorney(
        principal=principal,
        agent=agent,
        signed_date=signed,
        matter="存量房买卖转移登记",
        location=location,
    )


RELATIONS_CHILD = {"男": ("长子", "次子", "子"), "女": ("长女", "次女", "女")}


def household(rng: random.Random, *, head: d.Person, size: int) -> d.Household:
    members: list[tuple[d.Person, str]] = [(head, "户主")]
    if size >= 2:
        other = "女" if head.sex == "男" else "男"
        members.append((person(rng, sex=other), "妻" if head.sex == "男" else "夫"))
    for i in range(size - 2):
        sex = rng.choice(("男", "女"))
        child = person(rng, sex=sex, min_age=18, max_age=30)
        members.append((child, RELATIONS_CHILD[sex][min(i, 2)]))
    place = _place(rng)
    return d.Household(
        members=tuple(members),
        address=street_address(rng, place),
        household_number=f"{rng.randint(100000000, 999999999)}",
        kind="家庭户",
        authority=f"{place[1]}公安局{place[2]}分局",
    )


COMPANY_WORDS = ("宏达", "恒信", "瑞丰", "博远", "汇智", "锦程", "新禾", "晨曦", "远帆", "聚源")
COMPANY_TRADES = ("贸易", "科技", "建材", "餐饮管理", "文化传媒", "物流", "电子商务", "服装")
CAPITALS = ("壹佰万元整", "伍佰万元整", "叁拾万元整", "贰仟万元整", "捌拾捌万元整")


def credit_code(rng: random.Random, code: str) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    org += org_code_check_char(org)
    body = "91" + code + org
    if len(body) != 17 or any(c not in chars for c in body):
        raise AssertionError(body)
    return body + credit_code_check_char(body)


def company(rng: random.Random, *, as_of: date = d.REFERENCE_DATE) -> d.Company:
    for _ in range(20):
        place = _place(rng)
        cc = credit_code(rng, place[0])
        if cc[16] != "0" or True:
            break
    city, district = place[1], place[2]
    name = (
        f"{city.removesuffix('市')}{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}有限公司"
    )
    return d.Company(
        credit_code=cc,
        name=name,
        kind="有限责任公司(自然人投资或控股)",
        legal_representative=_name(rng, rng.choice(("男", "女"))),
        address=street_address(rng, place),
        established=date(rng.randint(2003, as_of.year - 1), rng.randint(1, 12), rng.randint(1, 28)),
        capital=rng.choice(CAPITALS),
        scope="一般项目：技术服务、技术开发、技术咨询；日用百货销售；办公用品销售（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。",
        registry=f"{city}{district}市场监督管理局",
    )


# -- the Pool protocol of synthdocs.applications ---------------------------------------------


@dataclass(frozen=True)
class Heldout2Pool:
    """This module's pools as a :class:`synthdocs.applications.Pool`."""

    def person(
        self, rng: random.Random, *, sex: str | None = None, expired: bool = False
    ) -> d.Person:
        return person(rng, sex=sex, expired=expired)

    def random_property(
        self, rng: random.Random, *, owners: tuple[d.Person, ...], as_of: date
    ) -> d.Property:
        return random_property(rng, owners=owners, as_of=as_of)

    def random_contract(
        self,
        rng: random.Random,
        *,
        sellers: tuple[d.Person, ...],
        buyers: tuple[d.Person, ...],
        prop: d.Property,
        as_of: date,
    ) -> d.Contract:
        return random_contract(rng, sellers=sellers, buyers=buyers, prop=prop, as_of=as_of)

    def retyped_id(self, rng: random.Random, number: str) -> str:
        body = list(number[:17])
        pos = rng.choice((14, 15))
        body[pos] = str((int(body[pos]) + rng.randint(1, 9)) % 10)
        b = "".join(body)
        return b + id_check_char(b)

    def other_building(self, location: str) -> str:
        m = re.search(r"(\d+)幢", location)
        if m is None:
            return location.replace("号", "号附", 1)
        n = int(m.group(1))
        return location[: m.start(1)] + str(n + 2 if n < 30 else n - 2) + location[m.end(1) :]

    def other_certificate_number(self, number: str) -> str:
        i = number.rindex("号") - 1
        return number[:i] + str((int(number[i]) + 4) % 10) + number[i + 1 :]


POOL = Heldout2Pool()


def facts_for(doc_type: str, rng: random.Random) -> object:
    """Random facts for a document of ``doc_type`` drawn alone (not in an application)."""
    if doc_type in ("id_card_front", "id_card_back"):
        return person(rng)
    if doc_type == "property_certificate":
        n = rng.choice((1, 1, 2, 3))
        return random_property(rng, owners=tuple(person(rng) for _ in range(n)))
    if doc_type == "sale_contract":
        sellers = tuple(person(rng) for _ in range(rng.choice((1, 2, 2, 3))))
        buyers = tuple(person(rng) for _ in range(rng.choice((1, 1, 2))))
        prop = random_property(rng, owners=sellers)
        return random_contract(rng, sellers=sellers, buyers=buyers, prop=prop)
    if doc_type == "marriage_certificate":
        return marriage(rng, holder=person(rng))
    if doc_type == "power_of_attorney":
        p = person(rng)
        return power_of_attorney(
            rng,
            principal=p,
            agent=person(rng),
            location=random_property(rng, owners=(p,)).location,
            signed=d.REFERENCE_DATE - timedelta(days=rng.randint(10, 80)),
        )
    if doc_type == "household_register":
        return household(rng, head=person(rng), size=rng.randint(1, 4))
    if doc_type == "business_license":
        return company(rng)
    if doc_type == "unknown":
        return None
    raise ValueError(f"unknown doc_type {doc_type!r}")
