"""Recipient validation against the whole country's divisions."""

from __future__ import annotations

import pytest

from courier import InvalidAddressError, normalize_mobile, validate_division, validate_recipient
from courier.addresses import provinces


def test_every_division_of_the_dataset_validates_as_itself() -> None:
    count = 0
    for prov in provinces():
        for city in prov.children:
            if not city.children:  # a municipality's district, or a city without districts
                if prov.children[0].children:
                    got = validate_division(province=prov.name, city=city.name, district="")
                    assert (got.city, got.district, got.code) == (city.name, "", city.code)
                else:
                    got = validate_division(province=prov.name, city=prov.name, district=city.name)
                    assert (got.district, got.code) == (city.name, city.code)
                count += 1
                continue
            for district in city.children:
                got = validate_division(province=prov.name, city=city.name, district=district.name)
                assert (got.province, got.city, got.district) == (
                    prov.name,
                    city.name,
                    district.name,
                )
                assert got.code == district.code and got.code.startswith(prov.code)
                count += 1
    assert len(provinces()) == 31  # mainland provinces, autonomous regions, municipalities
    assert count > 2800


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (("浙江", "杭州", "西湖区"), ("浙江省", "杭州市", "西湖区", "330106")),
        (("浙江省", "杭州市", "临平区"), ("浙江省", "杭州市", "临平区", "330113")),  # since 2021
        (("上海", "上海市", "浦东新区"), ("上海市", "上海市", "浦东新区", "310115")),
        (("北京市", "市辖区", "朝阳区"), ("北京市", "北京市", "朝阳区", "110105")),
        (("吉林省", "长春市", "朝阳区"), ("吉林省", "长春市", "朝阳区", "220104")),
        (("广东省", "东莞市", ""), ("广东省", "东莞市", "", "4419")),
        (("湖北省", "仙桃市", "仙桃市"), ("湖北省", "仙桃市", "", "429004")),
        (("内蒙古", "呼和浩特", "新城区"), ("内蒙古自治区", "呼和浩特市", "新城区", "150102")),
    ],
)
def test_names_are_matched_in_full_or_short_and_returned_in_full(
    given: tuple[str, str, str], expected: tuple[str, str, str, str]
) -> None:
    got = validate_division(province=given[0], city=given[1], district=given[2])
    assert (got.province, got.city, got.district, got.code) == expected


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (("浙江省", "杭州市", "余杭县"), "district"),  # merged into 余杭区 in 2001
        (("浙江省", "宁波市", "西湖区"), "district"),  # 西湖区 is Hangzhou's
        (("浙江省", "苏州市", "姑苏区"), "city"),
        (("浙江省", "杭州市", ""), "district"),
        (("香港特别行政区", "", ""), "province"),
        (("火星", "", ""), "province"),
        (("上海市", "杭州市", "浦东新区"), "city"),
        (("广东省", "东莞市", "天河区"), "district"),
    ],
)
def test_wrong_divisions_are_refused_naming_the_field(
    given: tuple[str, str, str], field: str
) -> None:
    with pytest.raises(InvalidAddressError) as caught:
        validate_division(province=given[0], city=given[1], district=given[2])
    assert caught.value.field == field
    assert caught.value.details() == {"field": field}


def test_mainland_mobile_numbers() -> None:
    assert normalize_mobile("139 1234 5678") == "13912345678"
    assert normalize_mobile("+86-139-1234-5678") == "13912345678"
    assert normalize_mobile("008613912345678") == "13912345678"
    for bad in ("12912345678", "1391234567", "139123456789", "0571-88888888", "", "+852 91234567"):
        with pytest.raises(InvalidAddressError):
            normalize_mobile(bad)


def test_recipient_is_validated_whole() -> None:
    party = validate_recipient(
        name=" 张三 ",
        phone="+86 13912345678",
        province="浙江",
        city="杭州",
        district="西湖区",
        address="文三路  90号",
    )
    assert (party.name, party.phone, party.province, party.address) == (
        "张三",
        "13912345678",
        "浙江省",
        "文三路 90号",
    )
    assert party.masked() == {
        "name": "张*",
        "phone": "139****5678",
        "city": "杭州市",
        "district": "西湖区",
    }
    for field, kwargs in [
        ("name", {"name": ""}),
        ("address", {"address": "1号"}),
        ("phone", {"phone": "12345"}),
    ]:
        base = {
            "name": "张三",
            "phone": "13912345678",
            "province": "浙江",
            "city": "杭州",
            "district": "西湖区",
            "address": "文三路90号",
        }
        with pytest.raises(InvalidAddressError) as caught:
            validate_recipient(**{**base, **kwargs})
        assert caught.value.field == field
