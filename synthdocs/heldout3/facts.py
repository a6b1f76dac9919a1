"""The third held-out family's own fact pools: people (names of 2-4 characters, compound and
rare surnames, rarer given-name characters), long Zhejiang addresses (街道, 社区, 小区, 幢,
单元, 室; county-level cities too), flats, deals, marriages, households and companies.

The facts are the shared data classes of :mod:`synthdocs.data` (an
:class:`~synthdocs.applications.Application` carries them as every family's does), drawn from
pools written here. :data:`POOL` is a :class:`synthdocs.applications.Pool`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .. import data as d
from ..validators import credit_code_check_char, id_check_char, org_code_check_char

# (area code, prefecture, county, streets with one of their 社区 each)
PLACES: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("330113", "杭州市", "临平区", (("南苑街道", "藕花洲社区"), ("星桥街道", "枉山社区"))),
    ("330114", "杭州市", "钱塘区", (("下沙街道", "文海社区"), ("白杨街道", "听涛社区"))),
    ("330111", "杭州市", "富阳区", (("富春街道", "秋月社区"), ("银湖街道", "受降社区"))),
    ("330112", "杭州市", "临安区", (("锦城街道", "西墅社区"), ("青山湖街道", "大园社区"))),
    ("330206", "宁波市", "北仑区", (("新碶街道", "嵩山社区"), ("大碶街道", "璎珞社区"))),
    ("330211", "宁波市", "镇海区", (("招宝山街道", "城河社区"), ("骆驼街道", "盛家社区"))),
    ("330282", "宁波市", "慈溪市", (("浒山街道", "青少年宫社区"), ("白沙路街道", "西门外社区"))),
    ("330281", "宁波市", "余姚市", (("阳明街道", "舜水社区"), ("梨洲街道", "谭家岭社区"))),
    ("330304", "温州市", "瓯海区", (("梧田街道", "蟾钟社区"), ("娄桥街道", "古岸头社区"))),
    ("330303", "温州市", "龙湾区", (("永中街道", "罗东社区"), ("蒲州街道", "上江社区"))),
    ("330381", "温州市", "瑞安市", (("安阳街道", "万松社区"), ("玉海街道", "虹桥社区"))),
    ("330382", "温州市", "乐清市", (("乐成街道", "千帆社区"), ("城南街道", "琯头社区"))),
    ("330411", "嘉兴市", "秀洲区", (("新城街道", "秀清社区"), ("嘉北街道", "塘汇社区"))),
    ("330481", "嘉兴市", "海宁市", (("海洲街道", "硖川社区"), ("硖石街道", "东山社区"))),
    ("330483", "嘉兴市", "桐乡市", (("梧桐街道", "庆丰社区"), ("凤鸣街道", "屠甸社区"))),
    ("330503", "湖州市", "南浔区", (("南浔镇", "适园社区"), ("练市镇", "荻港社区"))),
    ("330603", "绍兴市", "柯桥区", (("柯桥街道", "瓜渚社区"), ("华舍街道", "蜀阜社区"))),
    ("330604", "绍兴市", "上虞区", (("百官街道", "龙山社区"), ("曹娥街道", "江扬社区"))),
    ("330681", "绍兴市", "诸暨市", (("暨阳街道", "浣纱社区"), ("陶朱街道", "艮塔社区"))),
    ("330703", "金华市", "金东区", (("东孝街道", "鞋塘社区"), ("多湖街道", "光南社区"))),
    ("330782", "金华市", "义乌市", (("稠城街道", "绣湖社区"), ("北苑街道", "凌云社区"))),
    ("330783", "金华市", "东阳市", (("吴宁街道", "卢宅社区"), ("白云街道", "怀鲁社区"))),
    ("330803", "衢州市", "衢江区", (("樟潭街道", "浮石社区"), ("浮石街道", "双港社区"))),
    ("330903", "舟山市", "普陀区", (("沈家门街道", "墩头社区"), ("东港街道", "莲花社区"))),
    ("331003", "台州市", "黄岩区", (("东城街道", "九峰社区"), ("西城街道", "柔桥社区"))),
    ("331004", "台州市", "路桥区", (("路桥街道", "石曲社区"), ("路南街道", "芦北社区"))),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯曹彭曾肖董袁潘蒋蔡余杜叶程苏"
    "吕丁沈姚卢姜钟陆汪金石夏傅方邹熊孟秦邱江薛"
    "闫覃邬濮眭翟钭麻缪奚滕邰宓蓝戚阮柏楼俞竺虞鲁郦诸裘应屠鲍"
)
COMPOUND = ("申屠", "欧阳", "上官", "司徒", "端木", "东方", "夏侯", "诸葛", "闻人", "钟离", "皇甫")
GIVEN_M = "彧喆赟昶翀煜骁晟珩骞璟暄韬湛熠旻睿钧铎淼森垚鑫焱峥嵘泓澍霆骏弈恺舟川"
GIVEN_F = "珺祎钰筠岚沅湉芃婕绮芸蔚潇妤苒淇婳姝娴琦瑄萱菡漪黛蕙茜苡绾"
ETHNICITIES = ("汉",) * 16 + ("畲", "回", "土家", "苗", "布依", "侗")

ESTATES = (
    "翡翠城",
    "绿城兰园",
    "金地自在城",
    "万科星辰",
    "东方郡",
    "桂语江南",
    "融信澜天",
    "滨江金色蓝庭",
    "香溪美地",
    "宝龙城市广场",
    "龙湖春江天玺",
    "碧桂园凤凰城",
    "水岸名邸",
    "锦绣兰亭",
    "望江府",
    "观澜公寓",
    "南湖新村",
    "梅园一区",
    "文苑小区",
    "双港新村",
)
ROADS = (
    "丁桥路",
    "体育场路",
    "人民路",
    "环城北路",
    "府前路",
    "江滨大道",
    "金鸡路",
    "稠州北路",
    "中兴大道",
    "解放路",
    "东海大道",
    "新华北路",
    "学士路",
    "望海路",
)


def _name(rng: random.Random, sex: str) -> str:
    pool = GIVEN_M if sex == "男" else GIVEN_F
    r = rng.random()
    if r < 0.15:  # compound surname: 3-4 characters
        return rng.choice(COMPOUND) + "".join(rng.choice(pool) for _ in range(rng.randint(1, 2)))
    if r < 0.4:
        return rng.choice(SURNAMES) + rng.choice(pool)
    if r < 0.94:
        return rng.choice(SURNAMES) + rng.choice(pool) + rng.choice(pool)
    # a double-barrelled surname (mother's and father's): 4 characters
    return rng.choice(SURNAMES) + rng.choice(SURNAMES) + rng.choice(pool) + rng.choice(pool)


def _region(place: tuple[str, str, str, tuple[tuple[str, str], ...]]) -> str:
    """浙江省杭州市临平区 / 浙江省义乌市 (a county-level city prints without its prefecture)."""
    _, pref, county, _ = place
    return f"浙江省{county}" if county.endswith("市") else f"浙江省{pref}{county}"


def street_address(
    rng: random.Random, place: tuple[str, str, str, tuple[tuple[str, str], ...]]
) -> str:
    """Region + street + 社区 + estate/road + building, unit, room (long: wraps on a card)."""
    street, community = rng.choice(place[3])
    b, u = rng.randint(1, 42), rng.randint(1, 5)
    room = f"{rng.randint(1, 33)}{rng.randint(1, 4):02d}"
    r = rng.random()
    if r < 0.45:
        tail = f"{community}{rng.choice(ESTATES)}{b}幢{u}单元{room}室"
    elif r < 0.8:
        tail = (
            f"{rng.choice(ROADS)}{rng.randint(2, 688)}号{rng.choice(ESTATES)}{b}幢{u}单元{room}室"
        )
    else:
        tail = f"{community}{rng.choice(ESTATES)}{b}幢{room}室"
    return f"{_region(place)}{street}{tail}"


def id_number(rng: random.Random, code: str, born: date, sex: str) -> str:
    seq = rng.randint(0, 99)
    odd = rng.choice((1, 3, 5, 7, 9)) if sex == "男" else rng.choice((0, 2, 4, 6, 8))
    body = f"{code}{born:%Y%m%d}{seq:02d}{odd}"
    return body + id_check_char(body)


def _years(age: int) -> int | None:
    """GB 11643 / 居民身份证法: 5 years under 16, 10 to 25, 20 to 45, then 长期."""
    if age < 16:
        return 5
    if age <= 25:
        return 10
    if age <= 45:
        return 20
    return None


def authority(place: tuple[str, str, str, tuple[tuple[str, str], ...]]) -> str:
    _, pref, county, _ = place
    return f"{county}公安局" if county.endswith("市") else f"{pref}公安局{county}分局"


def person(
    rng: random.Random,
    *,
    sex: str | None = None,
    expired: bool = False,
    min_age: int = 23,
    max_age: int = 78,
    as_of: date = d.REFERENCE_DATE,
) -> d.Person:
    """A Zhejiang resident whose card is valid on ``as_of`` (or, ``expired``, ended before)."""
    sex = sex or rng.choice(("男", "女"))
    place = rng.choice(PLACES)
    if expired:
        # a 10- or 20-year card that ended a few days to three years ago
        until = as_of - timedelta(days=rng.randint(10, 1100))
        years = rng.choice((10, 20))
        issued = d.add_years(until, -years)
        at_issue = rng.randint(17, 24) if years == 10 else rng.randint(27, 44)
        born = d.add_years(issued, -at_issue) - timedelta(days=rng.randint(1, 300))
        born = born.replace(day=min(born.day, 28))
        if _years(d.age_on(born, issued)) != years:  # never: the ages above are inside
            raise AssertionError((born, issued, years))
    else:
        age = rng.randint(min_age, max_age)
        born = date(as_of.year - age, rng.randint(1, 12), rng.randint(1, 28))
        issued, until = as_of, None
        for _ in range(80):
            issued = as_of - timedelta(days=rng.randint(120, 365 * 19))
            if d.age_on(born, issued) < 16:
                continue
            n = _years(d.age_on(born, issued))
            until = None if n is None else d.add_years(issued, n)
            if until is None or until > as_of:
                break
        if until is not None and until <= as_of:  # renewed lately
            issued = as_of - timedelta(days=200)
            n = _years(d.age_on(born, issued))
            until = None if n is None else d.add_years(issued, n)
    return d.Person(
        name=_name(rng, sex),
        sex=sex,
        ethnicity=rng.choice(ETHNICITIES),
        birth_date=born,
        address=street_address(rng, place),
        id_number=id_number(rng, place[0], born, sex),
        issuing_authority=authority(place),
        valid_from=issued,
        valid_until=until,
    )


def unit_number(rng: random.Random, code: str, building: int, room: int) -> str:
    """GB/T 37346: 6 region + 6 cadastral zone + G/J + B/A + 5 parcel + F + 8 building/flat."""
    return (
        f"{code}{rng.randint(1, 25):03d}{rng.randint(1, 45):03d}"
        f"G{rng.choice('BA')}{rng.randint(1, 29999):05d}"
        f"F{rng.randint(1, 300):04d}{room:04d}"
    )


def registry_org(registry: str) -> str:
    """The organ a property certificate's seal names."""
    return f"{registry}自然资源和规划局"


def random_property(
    rng: random.Random, *, owners: tuple[d.Person, ...], as_of: date = d.REFERENCE_DATE
) -> d.Property:
    place = rng.choice(PLACES)
    code, pref, county, streets = place
    street, community = rng.choice(streets)
    building, unit = rng.randint(1, 38), rng.randint(1, 4)
    room = rng.randint(2, 32) * 100 + rng.randint(1, 4)
    estate = rng.choice(ESTATES)
    r = rng.random()
    if r < 0.4:
        loc = f"{county}{street}{estate}{building}幢{unit}单元{room}室"
    elif r < 0.75:
        road = f"{rng.choice(ROADS)}{rng.randint(2, 588)}号"
        loc = f"{county}{road}{estate}{building}幢{unit}单元{room}室"
    else:
        loc = f"{pref}{county}{street}{community}{estate}{building}幢{room}室"
    year = rng.randint(2016, as_of.year - 1)
    registered = date(year, rng.randint(1, 12), rng.randint(1, 28))
    registry = county if county.endswith("市") else (pref if rng.random() < 0.5 else pref + county)
    area = f"{rng.randint(38, 212)}.{rng.randint(1, 99):02d}"
    co = "单独所有" if len(owners) == 1 else rng.choice(("共同共有", "共同共有", "按份共有"))
    start = year - rng.randint(2, 14)
    return d.Property(
        certificate_number=f"浙({year}){registry}不动产权第{rng.randint(1, 999999):07d}号",
        owners=owners,
        co_ownership=co,
        location=loc,
        unit_number=unit_number(rng, code, building, room),
        area=area,
        land_area=f"{rng.randint(5000, 88000)}.{rng.randint(0, 99):02d}",
        right_type="国有建设用地使用权/房屋（构筑物）所有权",
        right_nature=rng.choice(("出让/市场化商品房", "出让/存量房", "划拨/房改房")),
        use=rng.choice(("城镇住宅用地/住宅", "城镇住宅用地/成套住宅")),
        term=f"{start}年{rng.randint(1, 12):02d}月{rng.randint(1, 28):02d}日起{start + 70}年止",
        registry=registry,
        registered_on=registered,
        print_serial=f"{rng.randint(33000000000, 33099999999)}",
    )


def random_contract(
    rng: random.Random,
    *,
    sellers: tuple[d.Person, ...],
    buyers: tuple[d.Person, ...],
    prop: d.Property,
    as_of: date = d.REFERENCE_DATE,
) -> d.Contract:
    per_m2 = rng.randint(9000, 71000)
    price = int(float(prop.area) * per_m2 / 100) * 100
    signed = as_of - timedelta(days=rng.randint(2, 75))
    return d.Contract(
        number=f"{signed.year}-{rng.randint(1, 99999):05d}",
        sellers=sellers,
        buyers=buyers,
        prop=prop,
        price=price,
        signed_date=signed,
        deposit=rng.choice((10000, 30000, 50000, 80000, 100000)),
        handover_date=signed + timedelta(days=rng.randint(20, 150)),
    )


def marriage(rng: random.Random, *, holder: d.Person, spouse: d.Person | None = None) -> d.Marriage:
    if spouse is None:
        spouse = person(rng, sex="女" if holder.sex == "男" else "男")
    youngest = max(holder.birth_date, spouse.birth_date)
    start = d.add_years(youngest, 22)
    end = d.REFERENCE_DATE - timedelta(days=60)
    if start >= end:
        start = end - timedelta(days=300)
    registered = start + timedelta(days=rng.randint(0, (end - start).days))
    code, pref, county, _ = rng.choice(PLACES)
    org = f"{county}民政局" if county.endswith("市") else f"{pref}{county}民政局"
    return d.Marriage(
        holder=holder,
        spouse=spouse,
        registration_date=registered,
        certificate_number=f"J{code}-{registered.year}-{rng.randint(1, 19999):06d}",
        authority=org,
    )


def power_of_attorney(
    rng: random.Random, *, principal: d.Person, agent: d.Person, location: str, signed: date
) -> d.PowerOfAttorney:
    del rng
    return d.PowerOfAttorney(
        principal=principal,
        agent=agent,
        signed_date=signed,
        matter="存量房买卖转移登记",
        location=location,
    )


def household(rng: random.Random, *, head: d.Person, size: int) -> d.Household:
    members: list[tuple[d.Person, str]] = [(head, "户主")]
    if size >= 2:
        other = "女" if head.sex == "男" else "男"
        members.append((person(rng, sex=other), "妻" if head.sex == "男" else "夫"))
    kids = {"男": ("长子", "次子", "三子"), "女": ("长女", "次女", "三女")}
    n = {"男": 0, "女": 0}
    for _ in range(size - 2):
        sex = rng.choice(("男", "女"))
        child = person(rng, sex=sex, min_age=16, max_age=28)
        members.append((child, kids[sex][n[sex]]))
        n[sex] += 1
    place = rng.choice(PLACES)
    return d.Household(
        members=tuple(members),
        address=street_address(rng, place),
        household_number=f"{rng.randint(10000000, 99999999):09d}",
        kind="家庭户",
        authority=authority(place),
    )


COMPANY_WORDS = (
    "钱潮",
    "甬兴",
    "瓯越",
    "禾丰",
    "澜舟",
    "之江",
    "浙东",
    "恒驰",
    "卓锐",
    "天衡",
    "云帆",
    "溪岸",
)
COMPANY_TRADES = (
    "智能科技",
    "供应链管理",
    "环保工程",
    "进出口",
    "食品",
    "家居用品",
    "网络科技",
    "装饰工程",
    "机械制造",
)
COMPANY_FORMS = (
    ("有限公司", "有限责任公司（自然人投资或控股）"),
    ("有限公司", "有限责任公司（自然人独资）"),
    ("股份有限公司", "股份有限公司（非上市、自然人投资或控股）"),
)
CAPITALS = ("伍拾万元整", "壹佰万元整", "叁佰万元整", "壹仟万元整", "陆佰陆拾万元整", "贰佰万元整")
_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: random.Random, code: str) -> str:
    """91 (enterprise, company) + region + organisation code with its check + GB 32100 check."""
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    c9 = org_code_check_char(org)
    if c9 not in _USCC:  # never: X and 0-9 are all in the set
        raise AssertionError(c9)
    body = f"91{code}{org}{c9}"
    return body + credit_code_check_char(body)


def company(rng: random.Random, *, as_of: date = d.REFERENCE_DATE) -> d.Company:
    place = rng.choice(PLACES)
    code, pref, county, _ = place
    town = county.removesuffix("市") if county.endswith("市") else pref.removesuffix("市")
    suffix, kind = rng.choice(COMPANY_FORMS)
    name = f"{town}{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}{suffix}"
    registry = (
        f"{county}市场监督管理局" if county.endswith("市") else f"{pref}{county}市场监督管理局"
    )
    return d.Company(
        credit_code=credit_code(rng, code),
        name=name,
        kind=kind,
        legal_representative=_name(rng, rng.choice(("男", "女"))),
        address=street_address(rng, place),
        established=date(rng.randint(2001, as_of.year - 1), rng.randint(1, 12), rng.randint(1, 28)),
        capital=rng.choice(CAPITALS),
        scope=(
            "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；"
            "五金产品批发；日用品销售；货物进出口（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。"
        ),
        registry=registry,
    )


# -- the Pool protocol of synthdocs.applications ---------------------------------------------


@dataclass(frozen=True)
class Heldout3Pool:
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
        """Another valid number: two digits of the sequence swapped or changed."""
        body = list(number[:17])
        body[15] = str((int(body[15]) + rng.randint(1, 9)) % 10)
        b = "".join(body)
        return b + id_check_char(b)

    def other_building(self, location: str) -> str:
        m = re.search(r"(\d+)幢", location)
        if m is None:
            return location.replace("室", "室附", 1)
        n = int(m.group(1))
        return location[: m.start(1)] + str(n + 1 if n < 30 else n - 3) + location[m.end(1) :]

    def other_certificate_number(self, number: str) -> str:
        i = number.rindex("号") - 2
        return number[:i] + str((int(number[i]) + 3) % 10) + number[i + 1 :]


POOL = Heldout3Pool()


def facts_for(doc_type: str, rng: random.Random) -> object:
    """Random facts for a document of ``doc_type`` drawn alone (not in an application)."""
    if doc_type in ("id_card_front", "id_card_back"):
        return person(rng)
    if doc_type == "property_certificate":
        n = rng.choice((1, 2, 2, 3))
        return random_property(rng, owners=tuple(person(rng) for _ in range(n)))
    if doc_type == "sale_contract":
        sellers = tuple(person(rng) for _ in range(rng.choice((1, 1, 2, 3))))
        buyers = tuple(person(rng) for _ in range(rng.choice((1, 2, 2))))
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
            signed=d.REFERENCE_DATE - timedelta(days=rng.randint(5, 90)),
        )
    if doc_type == "household_register":
        return household(rng, head=person(rng, min_age=35), size=rng.randint(1, 4))
    if doc_type == "business_license":
        return company(rng)
    if doc_type == "unknown":
        return None
    raise ValueError(f"unknown doc_type {doc_type!r}")
