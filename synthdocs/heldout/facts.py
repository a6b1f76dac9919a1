"""Held-out fact variation: who and where, drawn independently of :mod:`synthdocs.data`'s pools.

The data classes are :mod:`synthdocs.data`'s (``Person``, ``Property``, ``Contract``, ...), so
applications of both families carry the same facts; the pools are this module's: names of 2-4
characters (compound surnames, 畲族 surnames, minority names written without a surname),
people registered outside Zhejiang, village / group / building / unit / room addresses, county
registries, individual businesses and branch offices.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .. import data as d
from ..validators import id_check_char

REFERENCE_DATE = d.REFERENCE_DATE

# (GB/T 2260 code, province, city (None when the card omits it), district/county, towns)
_REGIONS: tuple[tuple[str, str, str | None, str, tuple[str, ...]], ...] = (
    ("330105", "浙江省", "杭州市", "拱墅区", ("米市巷街道", "湖墅街道", "祥符街道")),
    ("330106", "浙江省", "杭州市", "西湖区", ("蒋村街道", "转塘街道", "三墩镇", "留下街道")),
    ("330108", "浙江省", "杭州市", "滨江区", ("浦沿街道", "西兴街道", "长河街道")),
    ("330109", "浙江省", "杭州市", "萧山区", ("城厢街道", "北干街道", "瓜沥镇", "义桥镇")),
    ("330110", "浙江省", "杭州市", "余杭区", ("五常街道", "仓前街道", "良渚街道", "瓶窑镇")),
    ("330112", "浙江省", "杭州市", "临安区", ("锦城街道", "於潜镇", "昌化镇", "太湖源镇")),
    ("330122", "浙江省", "杭州市", "桐庐县", ("桐君街道", "分水镇", "富春江镇")),
    ("330127", "浙江省", "杭州市", "淳安县", ("千岛湖镇", "汾口镇", "威坪镇")),
    ("330182", "浙江省", "杭州市", "建德市", ("新安江街道", "梅城镇", "寿昌镇")),
    ("330212", "浙江省", "宁波市", "鄞州区", ("首南街道", "钟公庙街道", "姜山镇")),
    ("330225", "浙江省", "宁波市", "象山县", ("丹西街道", "石浦镇", "西周镇")),
    ("330281", "浙江省", "宁波市", "余姚市", ("阳明街道", "梨洲街道", "泗门镇")),
    ("330282", "浙江省", "宁波市", "慈溪市", ("白沙路街道", "浒山街道", "观海卫镇")),
    ("330381", "浙江省", "温州市", "瑞安市", ("安阳街道", "塘下镇", "飞云街道")),
    ("330382", "浙江省", "温州市", "乐清市", ("乐成街道", "柳市镇", "虹桥镇")),
    ("330521", "浙江省", "湖州市", "德清县", ("武康街道", "新市镇", "乾元镇")),
    ("330523", "浙江省", "湖州市", "安吉县", ("递铺街道", "孝丰镇", "天荒坪镇")),
    ("330624", "浙江省", "绍兴市", "新昌县", ("南明街道", "七星街道", "儒岙镇")),
    ("330681", "浙江省", "绍兴市", "诸暨市", ("暨阳街道", "枫桥镇", "店口镇")),
    ("330683", "浙江省", "绍兴市", "嵊州市", ("剡湖街道", "甘霖镇", "长乐镇")),
    ("330783", "浙江省", "金华市", "东阳市", ("吴宁街道", "横店镇", "南马镇")),
    ("330784", "浙江省", "金华市", "永康市", ("东城街道", "古山镇", "芝英镇")),
    ("330881", "浙江省", "衢州市", "江山市", ("双塔街道", "贺村镇", "峡口镇")),
    ("331081", "浙江省", "台州市", "温岭市", ("太平街道", "泽国镇", "大溪镇")),
    ("331121", "浙江省", "丽水市", "青田县", ("鹤城街道", "温溪镇", "船寮镇")),
    ("341221", "安徽省", None, "临泉县", ("城关街道", "瓦店镇", "杨桥镇")),
    ("340822", "安徽省", None, "怀宁县", ("高河镇", "石牌镇", "月山镇")),
    ("361127", "江西省", None, "余干县", ("玉亭镇", "瑞洪镇", "黄金埠镇")),
    ("411522", "河南省", None, "光山县", ("紫水街道", "十里镇", "砖桥镇")),
    ("320583", "江苏省", "苏州市", "昆山市", ("玉山镇", "周市镇", "花桥镇")),
    ("430524", "湖南省", None, "隆回县", ("桃洪镇", "六都寨镇", "司门前镇")),
)
_OUT_OF_PROVINCE_SHARE = 0.18

# Property registries (不动产登记机构) by area: a county-level city or county registers itself.
_REGISTRY = {
    "330105": "杭州市",
    "330106": "杭州市",
    "330108": "杭州市",
    "330109": "杭州市萧山区",
    "330110": "杭州市余杭区",
    "330112": "杭州市临安区",
    "330122": "桐庐县",
    "330127": "淳安县",
    "330182": "建德市",
    "330212": "宁波市鄞州区",
    "330225": "象山县",
    "330281": "余姚市",
    "330282": "慈溪市",
    "330381": "瑞安市",
    "330382": "乐清市",
    "330521": "德清县",
    "330523": "安吉县",
    "330624": "新昌县",
    "330681": "诸暨市",
    "330683": "嵊州市",
    "330783": "东阳市",
    "330784": "永康市",
    "330881": "江山市",
    "331081": "温岭市",
    "331121": "青田县",
}

_ROADS = (
    "人民路",
    "解放路",
    "中山北路",
    "环城西路",
    "江南大道",
    "文化路",
    "建设路",
    "湖滨路",
    "学府路",
    "新华路",
    "青年路",
    "胜利路",
    "望湖路",
    "东湖路",
    "花园路",
    "百丈路",
    "沿江东路",
    "镜湖大道",
    "雁荡路",
    "春晖路",
)
_ESTATES = (
    "阳光城翡丽湾",
    "绿城桂花园",
    "滨江金色海岸",
    "翠苑四区",
    "碧桂园凤凰城",
    "万科良渚文化村",
    "金地自在城",
    "紫金华府",
    "融创河滨之城",
    "和美家园",
    "西溪诚园",
    "新城时代广场",
    "中天珺府",
    "东方郡",
    "香樟苑",
    "锦绣江南花园",
    "嘉悦府",
    "梧桐公寓",
)
_VILLAGES = ("前村", "新丰村", "上湾村", "塘头村", "下宅村", "后山村", "大路村", "石桥村", "溪口村")
_GROUPS = ("上山组", "下坞组", "东边组", "塘下组", "后畈组", "里宅组", "新屋组")

_SURNAMES = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻章苏潘葛范彭"
    "鲁韦马苗方俞任袁柳鲍史唐费岑薛雷贺倪汤殷罗毕郝邬安常乐于傅齐康伍余顾孟黄穆萧尹姚邵汪"
    "毛狄臧戴宋茅庞熊纪舒屈项祝董梁楼应竺童虞裘娄詹翁厉"
)
_COMPOUND = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "公孙",
    "慕容",
    "端木",
    "令狐",
    "司徒",
    "夏侯",
)
_SHE_SURNAMES = "蓝雷钟"  # 畲族
_GIVEN_M = (
    "志强",
    "建华",
    "国平",
    "海峰",
    "晓东",
    "俊杰",
    "浩然",
    "宇航",
    "子轩",
    "一鸣",
    "博文",
    "天佑",
    "泽宇",
    "明哲",
    "嘉诚",
    "忠良",
    "卫东",
    "振华",
    "立新",
    "永刚",
    "德明",
    "荣华",
    "炜",
    "昊",
    "骏",
    "晟",
    "锋",
    "斌",
    "翔",
    "毅",
    "坤",
    "霖",
)
_GIVEN_F = (
    "秀英",
    "桂英",
    "美玲",
    "晓红",
    "丽华",
    "雅琴",
    "诗涵",
    "欣怡",
    "梓萱",
    "雨桐",
    "静怡",
    "思琪",
    "可馨",
    "佳琪",
    "婉婷",
    "慧敏",
    "月娥",
    "彩霞",
    "海燕",
    "语嫣",
    "若曦",
    "婧",
    "璐",
    "蕊",
    "瑾",
    "倩",
    "岚",
    "妍",
    "琦",
    "菁",
    "茜",
)
# Names written without a surname, with the ethnicity printed on the card.
_MINORITY = (
    ("巴特尔", "蒙古", "男"),
    ("乌兰图雅", "蒙古", "女"),
    ("其其格", "蒙古", "女"),
    ("扎西", "藏", "男"),
    ("卓玛", "藏", "女"),
    ("次仁多吉", "藏", "男"),
    ("阿依古丽", "维吾尔", "女"),
    ("买买提", "维吾尔", "男"),
)
_OTHER_ETHNIC = ("回", "满", "土家", "苗", "壮", "布依", "侗", "彝")


def _region(
    rng: random.Random, *, zhejiang_only: bool = False
) -> tuple[str, str, str | None, str, tuple[str, ...]]:
    pool = [r for r in _REGIONS if r[1] == "浙江省"]
    if not zhejiang_only and rng.random() < _OUT_OF_PROVINCE_SHARE:
        pool = [r for r in _REGIONS if r[1] != "浙江省"]
    return rng.choice(pool)


def name_and_ethnicity(rng: random.Random, sex: str) -> tuple[str, str]:
    """A name of 2-4 characters and the ethnicity it goes with."""
    roll = rng.random()
    given = _GIVEN_M if sex == "男" else _GIVEN_F
    if roll < 0.04:
        options = [m for m in _MINORITY if m[2] == sex]
        name, eth, _ = rng.choice(options)
        return name, eth
    if roll < 0.08:
        return rng.choice(_SHE_SURNAMES) + rng.choice(given), "畲"
    if roll < 0.16:
        g = rng.choice(given)
        return rng.choice(_COMPOUND) + (g if len(g) <= 2 else g[:2]), "汉"
    if roll < 0.19:  # two parents' surnames: 4 characters
        a, b = rng.sample(_SURNAMES, 2)
        return a + b + rng.choice([g for g in given if len(g) == 2]), "汉"
    eth = rng.choice(_OTHER_ETHNIC) if rng.random() < 0.04 else "汉"
    return rng.choice(_SURNAMES) + rng.choice(given), eth


def _house_address(rng: random.Random, town: str) -> str:
    kind = rng.random()
    road = rng.choice(_ROADS)
    if kind < 0.35:
        village = rng.choice(_VILLAGES)
        group = rng.choice(_GROUPS) if rng.random() < 0.6 else ""
        return f"{town}{village}{group}{rng.randint(1, 188)}号"
    estate = rng.choice(_ESTATES)
    building = rng.randint(1, 36)
    unit = rng.randint(1, 4)
    floor = rng.randint(1, 33)
    room = f"{floor}{rng.randint(1, 4):02d}"
    if kind < 0.7:
        return f"{town}{road}{rng.randint(1, 1999)}号{estate}{building}幢{unit}单元{room}室"
    return f"{town}{estate}{building}幢{unit}单元{room}室"


def card_address(
    rng: random.Random, region: tuple[str, str, str | None, str, tuple[str, ...]]
) -> str:
    _code, province, city, district, towns = region
    town = rng.choice(towns)
    prefix = province + (city or "") + district
    return prefix + _house_address(rng, town)


def _authority(region: tuple[str, str, str | None, str, tuple[str, ...]]) -> str:
    _code, _prov, city, district, _ = region
    if district.endswith("区") and city:
        return f"{city}公安局{district.removesuffix('区')}分局"
    return f"{district}公安局"


def id_number(rng: random.Random, code: str, born: date, sex: str) -> str:
    odd = rng.randrange(1, 10, 2)
    even = rng.randrange(0, 10, 2)
    body = f"{code}{born:%Y%m%d}{rng.randint(0, 99):02d}{odd if sex == '男' else even}"
    return body + id_check_char(body)


def person(
    rng: random.Random,
    *,
    sex: str | None = None,
    min_age: int = 22,
    max_age: int = 78,
    expired: bool = False,
    as_of: date = REFERENCE_DATE,
    zhejiang_only: bool = False,
) -> d.Person:
    """A resident whose card is valid on ``as_of`` (and a year after), or expired before it."""
    sex = sex or rng.choice(("男", "女"))
    name, eth = name_and_ethnicity(rng, sex)
    region = _region(rng, zhejiang_only=zhejiang_only)
    if expired:
        min_age, max_age = max(min_age, 30), max(min(max_age, 64), max(min_age, 30) + 2)
    born = as_of - timedelta(
        days=rng.randint(min_age * 365 + 60, max(min_age * 365 + 61, max_age * 365))
    )
    born = born.replace(day=min(born.day, 28))
    sixteen = d.add_years(born, 16) + timedelta(days=1)  # a first card at 16 at the earliest
    if expired:
        lo, hi = as_of - timedelta(days=20 * 365 + 1500), as_of - timedelta(days=10 * 365 + 60)
    else:
        lo, hi = as_of - timedelta(days=19 * 365), as_of - timedelta(days=20)
    lo = max(lo, sixteen)
    for _ in range(400):
        issued = lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))
        issued = issued.replace(day=min(issued.day, 28))
        age = d.age_on(born, issued)
        if age < 16:
            continue
        years = d.id_validity_years(age)
        until = None if years is None else d.add_years(issued, years)
        if expired and until is not None and until < as_of - timedelta(days=20):
            break
        if not expired and (until is None or until > as_of + timedelta(days=400)):
            break
    else:  # pragma: no cover - the ranges always leave room
        raise RuntimeError("no validity period fits")
    return d.Person(
        name=name,
        sex=sex,
        ethnicity=eth,
        birth_date=born,
        address=card_address(rng, region),
        id_number=id_number(rng, region[0], born, sex),
        issuing_authority=_authority(region),
        valid_from=issued,
        valid_until=until,
    )


# --- property -------------------------------------------------------------------------------

_BUILDING = re.compile(r"(\d+)(幢|栋|号楼|座)")


def property_location(rng: random.Random) -> tuple[str, str]:
    """(area code, location) of a flat in Zhejiang, as a certificate prints it."""
    region = _region(rng, zhejiang_only=True)
    code, _prov, city, district, towns = region
    town = rng.choice(towns)
    road = rng.choice(_ROADS)
    estate = rng.choice(_ESTATES)
    building = rng.randint(1, 36)
    room = f"{rng.randint(1, 33)}{rng.randint(1, 4):02d}"
    word = rng.choice(("幢", "幢", "幢", "栋", "号楼"))
    unit = f"{rng.randint(1, 4)}单元" if rng.random() < 0.75 else ""
    head = (city or "") + district if district.endswith("区") else district
    if rng.random() < 0.65:
        loc = f"{head}{town}{road}{rng.randint(1, 1999)}号{estate}{building}{word}{unit}{room}室"
    else:
        loc = f"{head}{estate}{building}{word}{unit}{room}室"
    return code, loc


def other_building(location: str) -> str:
    """The same location with another building number (a contract typo)."""
    m = _BUILDING.search(location)
    if m is None:
        return location.replace("室", "0室", 1)
    return d.shift_number(location, m, 2)


def other_certificate_number(number: str) -> str:
    """One digit of the serial changed."""
    i = number.rindex("号") - 2
    return number[:i] + str((int(number[i]) + 4) % 10) + number[i + 1 :]


def retyped_id(rng: random.Random, number: str) -> str:
    """One digit of the birth-order code changed (sex parity kept), check character recomputed:
    a valid number of someone else."""
    body = list(number[:17])
    pos = rng.choice((14, 15))
    body[pos] = str((int(body[pos]) + rng.randint(1, 9)) % 10)
    b = "".join(body)
    return b + id_check_char(b)


def random_property(
    rng: random.Random, *, owners: tuple[d.Person, ...], as_of: date = REFERENCE_DATE
) -> d.Property:
    code, loc = property_location(rng)
    registry = _REGISTRY[code]
    registered = as_of - timedelta(days=rng.randint(150, (as_of.year - 2016) * 365))
    m = _BUILDING.search(loc)
    building = int(m.group(1)) if m else rng.randint(1, 30)
    flat = int(re.search(r"(\d+)室", loc).group(1)) if "室" in loc else rng.randint(101, 3304)  # type: ignore[union-attr]
    co = "单独所有" if len(owners) == 1 else rng.choice(("共同共有", "共同共有", "按份共有"))
    start = registered - timedelta(days=rng.randint(400, 22 * 365))
    land = f"{rng.randint(2000, 90000)}.{rng.randint(0, 99):02d}"
    area = f"{rng.randint(38, 260)}.{rng.randint(0, 99):02d}"
    nature = rng.choice(("出让/市场化商品房", "出让/商品房", "出让/存量房", "划拨/房改房"))
    return d.Property(
        certificate_number=d.certificate_number(
            registry=registry, year=registered.year, serial=rng.randint(1, 999999)
        ),
        owners=owners,
        co_ownership=co,
        location=loc,
        unit_number=d.unit_number(rng, code=code, building=building, flat=flat),
        area=area,
        land_area=land,
        right_type=rng.choice(
            ("国有建设用地使用权/房屋所有权", "国有建设用地使用权/房屋（构筑物）所有权")
        ),
        right_nature=nature,
        use=rng.choice(("城镇住宅用地/住宅", "住宅用地/成套住宅", "城镇住宅用地/成套住宅")),
        term=f"国有建设用地使用权 {start.year}年{start.month:02d}月{start.day:02d}日起"
        f"{start.year + 70}年{start.month:02d}月{start.day - 1 if start.day > 1 else 1:02d}日止",
        registry=registry,
        registered_on=registered,
        print_serial=f"{rng.choice('ABDEFGHJ')}{rng.randint(10**9, 10**10 - 1)}",
    )


def random_contract(
    rng: random.Random,
    *,
    sellers: tuple[d.Person, ...],
    buyers: tuple[d.Person, ...],
    prop: d.Property,
    as_of: date = REFERENCE_DATE,
) -> d.Contract:
    per_m2 = rng.randint(9000, 72000)
    price = int(float(prop.area) * per_m2 / 100) * 100
    if rng.random() < 0.5:
        price = round(price, -4)
    signed = as_of - timedelta(days=rng.randint(2, 75))
    return d.Contract(
        number=f"{signed.year}{rng.randint(10**7, 10**8 - 1)}",
        sellers=sellers,
        buyers=buyers,
        prop=prop,
        price=price,
        signed_date=signed,
        deposit=rng.choice((10000, 30000, 50000, 80000, 100000, 200000)),
        handover_date=signed + timedelta(days=rng.randint(20, 150)),
    )


# --- companies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Business:
    """A licence holder: :class:`synthdocs.data.Company` plus what the licence's form depends on
    (an individual business has an 经营者 and a 经营场所, a branch a 负责人 and 营业场所)."""

    company: d.Company
    form: str  # "company" | "individual" | "branch"
    term: str  # 营业期限 as printed (长期 or a period)


def random_business(rng: random.Random, *, as_of: date = REFERENCE_DATE) -> Business:
    region = _region(rng, zhejiang_only=True)
    code, _prov, city, district, towns = region
    town = rng.choice(towns)
    word = rng.choice(("禾润", "卓越", "晨曦", "九鼎", "新纪元", "宏达", "瑞丰", "星河", "合力"))
    where = (city or "").removesuffix("市") if district.endswith("区") else district[:-1]
    roll = rng.random()
    holder = person(rng, min_age=25, max_age=66, zhejiang_only=True)
    established = as_of - timedelta(days=rng.randint(120, 22 * 365))
    addr_head = (city or "") + district
    addr = addr_head + _house_address(rng, town)
    if roll < 0.3:
        form = "individual"
        trade = rng.choice(("日用百货商行", "小吃店", "五金经营部", "服装店", "副食品店"))
        name = f"{district}{word}{trade}"
        kind = "个体工商户"
        capital = ""
        scope = (
            "一般项目：日用百货销售；五金产品零售；食品销售（仅销售预包装食品）；"
            "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。"
        )
        credit = d.random_credit_code(rng, code=code, kind="2")
    elif roll < 0.5:
        form = "branch"
        trade = rng.choice(("房地产经纪有限公司", "网络科技有限公司", "物业管理有限公司"))
        name = f"{where}{word}{trade}{district[:-1]}分公司"
        kind = "有限责任公司分公司(自然人投资或控股)"
        capital = ""
        scope = (
            "一般项目：房地产经纪；房地产咨询；物业管理；信息咨询服务（不含许可类信息咨询服务）"
            "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。"
        )
        credit = d.random_credit_code(rng, code=code)
    else:
        form = "company"
        trade = rng.choice(
            ("房地产经纪有限公司", "建筑装饰工程有限公司", "供应链管理有限公司", "智能科技有限公司")
        )
        name = f"{where}{word}{trade}"
        kind = rng.choice(
            (
                "有限责任公司(自然人投资或控股)",
                "有限责任公司(自然人独资)",
                "其他有限责任公司",
            )
        )
        amount = rng.choice((50, 100, 300, 500, 1000, 2000, 5000))
        capital = d.chinese_amount(amount * 10000).removesuffix("整")
        scope = (
            "许可项目：建设工程施工（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营"
            "项目以审批结果为准）。一般项目：房地产经纪；住房租赁；非居住房地产租赁；建筑材料销售；"
            "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广（除依法须经批准的项目外，"
            "凭营业执照依法自主开展经营活动）。"
        )
        credit = d.random_credit_code(rng, code=code)
    term = (
        "长期"
        if rng.random() < 0.6
        else f"{established.year}年{established.month:02d}月{established.day:02d}日至"
        f"{established.year + 20}年{established.month:02d}月{max(1, established.day - 1):02d}日"
    )
    registry_city = city or district
    registry = (
        f"{registry_city}市场监督管理局" if form != "individual" else f"{addr_head}市场监督管理局"
    )
    return Business(
        company=d.Company(
            credit_code=credit,
            name=name,
            kind=kind,
            legal_representative=holder.name,
            address=addr,
            established=established,
            capital=capital,
            scope=scope,
            registry=registry,
        ),
        form=form,
        term=term,
    )


# --- civil documents ------------------------------------------------------------------------


def random_marriage(
    rng: random.Random, *, holder: d.Person, spouse: d.Person | None = None
) -> d.Marriage:
    if spouse is None:
        age = d.age_on(holder.birth_date, REFERENCE_DATE)
        spouse = person(
            rng,
            sex="女" if holder.sex == "男" else "男",
            min_age=max(23, age - 7),
            max_age=max(30, age + 7),
        )
    youngest = max(holder.birth_date, spouse.birth_date)
    earliest = max(d.add_years(youngest, 22), date(1995, 1, 1))
    latest = REFERENCE_DATE - timedelta(days=90)
    registered = earliest + timedelta(days=rng.randint(0, max(1, (latest - earliest).days)))
    authority_area = holder.issuing_authority.split("公安局")[0]
    if "分局" in holder.issuing_authority:
        district = holder.issuing_authority.split("公安局")[1].removesuffix("分局") + "区"
        authority = f"{authority_area}{district}民政局"
    else:
        authority = f"{authority_area}民政局"
    return d.Marriage(
        holder=holder,
        spouse=spouse,
        registration_date=registered,
        certificate_number=f"J{holder.id_number[:6]}-{registered.year}-{rng.randint(1, 12000):06d}",
        authority=authority,
    )


def random_power_of_attorney(
    rng: random.Random, *, principal: d.Person, agent: d.Person, location: str, signed: date
) -> d.PowerOfAttorney:
    return d.PowerOfAttorney(
        principal=principal,
        agent=agent,
        signed_date=signed,
        matter=rng.choice(
            ("存量房买卖转移登记", "不动产转移登记", "房屋买卖过户及相关税费缴纳手续")
        ),
        location=location,
    )


_CHILD_M = ("子", "长子", "次子")
_CHILD_F = ("女", "长女", "次女")


def random_household(rng: random.Random, *, head: d.Person, size: int = 3) -> d.Household:
    """The head's household: spouse, children, sometimes a parent; all at the head's address."""
    members: list[tuple[d.Person, str]] = [(head, "户主")]
    if size >= 2:
        sp = person(rng, sex="女" if head.sex == "男" else "男", min_age=26)
        members.append((sp, "妻" if head.sex == "男" else "夫"))
    head_age = d.age_on(head.birth_date, REFERENCE_DATE)
    for i in range(max(0, size - 2)):
        if i == 0 and size >= 4 and head_age < 55 and rng.random() < 0.4:
            parent = person(rng, min_age=head_age + 22, max_age=head_age + 35)
            members.append((parent, "母" if parent.sex == "女" else "父"))
            continue
        sex = rng.choice(("男", "女"))
        child = person(rng, sex=sex, min_age=16, max_age=max(17, min(30, head_age - 20)))
        pool = _CHILD_M if sex == "男" else _CHILD_F
        members.append((child, rng.choice(pool)))
    members = [(replace(p, address=head.address), rel) for p, rel in members]
    station = head.issuing_authority
    return d.Household(
        members=tuple(members),
        address=head.address,
        household_number=f"{rng.randint(10**8, 10**9 - 1)}",
        kind=rng.choice(("家庭户", "家庭户", "非农业家庭户")),
        authority=station + rng.choice(("城关", "东湖", "南苑", "江滨", "文昌", "凤凰")) + "派出所",
    )
