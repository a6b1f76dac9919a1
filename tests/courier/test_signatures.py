"""The carriers' signatures, checked against published worked examples and against
independent reference implementations written from the specifications."""

from __future__ import annotations

import base64
import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from courier import kuaidi100 as k100
from courier.settings import CourierSettings
from courier.sf import java_urlencode, sf_digest


def reference_java_urlencode(text: str) -> str:
    """``java.net.URLEncoder.encode(text, "UTF-8")`` from its Javadoc: ``a-z A-Z 0-9 . - * _``
    stay, space becomes ``+``, every other byte of the UTF-8 encoding becomes ``%XY``."""
    safe = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-*_")
    out = []
    for byte in text.encode("utf-8"):
        if byte in safe:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def reference_digest(msg_data: str, timestamp: str, check_word: str) -> str:
    encoded = reference_java_urlencode(msg_data + timestamp + check_word)
    return base64.b64encode(hashlib.md5(encoded.encode()).digest()).decode()


def test_sf_digest_matches_the_worked_example_of_sfs_signing_guide() -> None:
    # SF open platform, 数字签名 (标准 MD5): msgData, timestamp and checkWord of the guide's
    # example, and the digest it prints (also asserted by SF's own SDK samples)
    msg_data = '{"language":"zh-CN","orderId":"QIAO-20200618-004"}'
    assert sf_digest(msg_data, "12312334453453", "fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci") == (
        "IIKJtuLVzoFTu4kHI8M8vA=="
    )


def test_sf_digest_without_url_encoding_would_differ_on_the_same_example() -> None:
    """What many third-party ports do: MD5 of the raw text. The published digest rules it out."""
    raw = (
        '{"language":"zh-CN","orderId":"QIAO-20200618-004"}'
        "12312334453453fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci"
    )
    assert (
        base64.b64encode(hashlib.md5(raw.encode()).digest()).decode() != "IIKJtuLVzoFTu4kHI8M8vA=="
    )


def test_java_urlencode_on_the_characters_ports_get_wrong() -> None:
    assert (
        java_urlencode("浙江省 杭州市") == "%E6%B5%99%E6%B1%9F%E7%9C%81+%E6%9D%AD%E5%B7%9E%E5%B8%82"
    )
    # Python's quote_plus keeps "~" and encodes "*"; Java does the opposite
    assert java_urlencode("~*") == "%7E*"
    assert java_urlencode("a+b&c=d/é") == "a%2Bb%26c%3Dd%2F%C3%A9"


def test_sf_digest_of_a_chinese_order_equals_the_reference() -> None:
    msg = json.dumps(
        {
            "orderId": "PYC-7-1",
            "contactInfoList": [
                {
                    "contact": "欧阳娜娜",
                    "address": "文三路 90号 东部软件园+1幢 ~3楼 *302室 & 收发室",
                }
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = sf_digest(msg, "1764554400000", "测试checkWord 含空格")
    assert digest == reference_digest(msg, "1764554400000", "测试checkWord 含空格")
    # the same text signed as Python's quote_plus would sign it is a different digest
    from urllib.parse import quote_plus

    plus = base64.b64encode(
        hashlib.md5(quote_plus(msg + "1764554400000测试checkWord 含空格").encode()).digest()
    ).decode()
    assert plus != digest


@given(st.text(max_size=200), st.text(alphabet="0123456789", min_size=10, max_size=13))
def test_sf_digest_equals_the_reference_on_any_text(msg: str, ts: str) -> None:
    assert sf_digest(msg, ts, "checkword") == reference_digest(msg, ts, "checkword")


def test_kuaidi100_push_sign_is_upper_md5_of_the_utf8_bytes() -> None:
    param = (
        '{"status":"polling","lastResult":{"nu":"98123","data":[{"context":"【杭州市】 已签收"}]}}'
    )
    expected = hashlib.md5((param + "盐salt").encode("utf-8")).hexdigest().upper()
    assert k100.push_sign(param, "盐salt") == expected
    assert len(expected) == 32 and expected == expected.upper()
    # signing characters re-encoded as GBK (a bug seen in ports) gives another sign
    assert hashlib.md5((param + "盐salt").encode("gbk")).hexdigest().upper() != expected


def test_kuaidi100_query_and_order_signs_concatenate_in_the_documented_order() -> None:
    assert k100.query_sign("P", "K", "C") == hashlib.md5(b"PKC").hexdigest().upper()
    assert k100.order_sign("P", "123", "K", "S") == hashlib.md5(b"P123KS").hexdigest().upper()


def test_settings_never_print_their_secrets() -> None:
    settings = CourierSettings(
        sf_checkword="sf-secret-checkword-1", kuaidi100_salt="k100-salt-2", pickup_secret="pk-3"
    )
    text = repr(settings) + str(settings) + str(settings.model_dump())
    for secret in ("sf-secret-checkword-1", "k100-salt-2", "pk-3"):
        assert secret not in text
    assert "PAOYICI_COURIER_SF_CHECKWORD" not in settings.insecure_defaults()
    assert "PAOYICI_COURIER_KUAIDI100_KEY" in settings.insecure_defaults()


def test_a_signed_push_that_cannot_be_read_is_malformed_not_accepted() -> None:
    import pytest

    from courier import MalformedPushError, SfCarrier
    from courier.kuaidi100 import Kuaidi100Carrier
    from courier.sf import sign_push_form

    sf_carrier = SfCarrier(
        client=None,  # type: ignore[arg-type]  # parsing makes no call
        base_url="http://x",
        partner_id="p",
        check_word="cw",
        monthly_card="1",
    )
    for msg in ("not json", '{"Body":{}}', '{"Body":{"WaybillRoute":[{"mailno":"SF1"}]}}'):
        with pytest.raises(MalformedPushError):
            sf_carrier.parse_push(form=sign_push_form(msg, check_word="cw", timestamp="1"))
    k = Kuaidi100Carrier(
        client=None,  # type: ignore[arg-type]
        api_url="http://x",
        poll_url="http://x",
        key="k",
        customer="c",
        secret="s",
        salt="salt",
        callback_url="http://cb",
    )
    for param in (
        "[]",
        '{"status":"polling"}',
        '{"lastResult":{"nu":"9","data":[{"time":"soon"}]}}',
    ):
        with pytest.raises(MalformedPushError):
            k.parse_push(form={"param": param, "sign": k100.push_sign(param, "salt")})
