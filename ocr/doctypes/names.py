"""Names of people in Chinese documents: the surnames they start with, and owners listed in one
cell with no separator the recogniser read (楼妍  方国平 read as 楼妍方国平).

The surname list is general knowledge (the most common surnames of the mainland population,
which cover the great majority of people, plus the usual compound ones), not the generator's
pools.
"""

from __future__ import annotations

import re

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟"
    "应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝封钭楼竺鲍诸乐"
)
COMPOUND_SURNAMES = frozenset(
    {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒"}
)

#: Single surnames of the classic list (百家姓) and the common modern ones: wider than
#: :data:`SURNAMES`, which splitting glued names keeps short (every surname added there makes
#: more splits possible and fewer unique). A name starting with none of these is not
#: impossible (a minority name, a rare surname) but not certain either.
KNOWN_SURNAMES = SURNAMES | frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛"
    "奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康"
    "伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵"
    "席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗"
    "丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫"
    "乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄"
    "印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮"
    "牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡"
    "国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查"
    "后荆红游竺权逯盖益桓付闫覃肖邝佘苑迟麦芦栗岳衣揭练银母代植"
)

#: a split found only from surnames is trusted for agreement (≥ 0.8) but never certain
GUESSED_SPLIT_CAP = 0.85

_HAN = re.compile(r"[\u4e00-\u9fa5]+")


def _name_lengths(s: str, i: int) -> list[int]:
    """Lengths a name starting at ``s[i]`` may have (2-3, or 3-4 after a compound surname)."""
    if s[i : i + 2] in COMPOUND_SURNAMES:
        return [3, 4]
    if s[i] in SURNAMES:
        return [2, 3]
    return []


def split_glued(s: str, count: int) -> list[str] | None:
    """``s`` (Han characters only) as ``count`` names each starting with a known surname, when
    exactly one such split exists; None when there is none or more than one."""
    if not _HAN.fullmatch(s) or count < 2:
        return None
    found: list[list[str]] = []

    def walk(i: int, acc: list[str]) -> None:
        if len(found) > 1:
            return
        if i == len(s):
            if len(acc) == count:
                found.append(acc)
            return
        if len(acc) == count:
            return
        for n in _name_lengths(s, i):
            if i + n <= len(s):
                walk(i + n, [*acc, s[i : i + n]])

    walk(0, [])
    return found[0] if len(found) == 1 else None
