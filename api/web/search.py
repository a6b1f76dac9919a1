"""Finding a matter by the words a citizen would type.

A matter matches when every word of the query (split on spaces) occurs in its name, its
department or the titles of the service guides it comes from (where "二手房" is written), after
the everyday words in :data:`EVERYDAY_WORDS` are read as the official ones. No fuzzy matching:
what is found is plainly there.
"""

from __future__ import annotations

from collections.abc import Iterable

from precheck import Matter

__all__ = ["EVERYDAY_WORDS", "search_matters"]

#: everyday word → the word the guides use
EVERYDAY_WORDS: dict[str, str] = {
    "二手房": "存量房",
    "卖房": "存量房",
    "买房": "存量房",
    "过户": "转移登记",
    "房产证": "不动产",
    "社保卡": "社会保障卡",
    "个体户": "个体工商户",
    "开店": "个体工商户",
    "开公司": "公司设立",
    "注册公司": "公司设立",
    "生孩子": "新生儿",
    "出生": "新生儿",
    "落户": "新生儿",
    "贷款": "抵押",
}


def _haystack(matter: Matter) -> str:
    parts = [matter.name, matter.department or "", *(s.title for s in matter.sources)]
    return " ".join(parts)


def _terms(query: str) -> list[str]:
    return [t for t in query.replace("\u3000", " ").split() if t]


def search_matters(matters: Iterable[Matter], query: str) -> list[Matter]:
    """The matters every term of ``query`` finds (all of them for an empty query), in order."""
    terms = _terms(query)
    found = []
    for matter in matters:
        text = _haystack(matter)
        if all(t in text or EVERYDAY_WORDS.get(t, "\0") in text for t in terms):
            found.append(matter)
    return found
