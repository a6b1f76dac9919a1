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
