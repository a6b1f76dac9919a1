"""Sample certificate data (fictitious people and places) for the CLI, tests and benchmarks."""

from __future__ import annotations

import datetime as dt

from signing.identifier import CertificateIdentifier
from signing.metadata import CertificateKind, CertificateMeta, HolderCodeType

__all__ = ["sample_meta"]


def sample_meta(
    *,
    kind: CertificateKind = CertificateKind.REAL_ESTATE_REGISTRATION,
    serial: str = "2026000001",
    version: int = 1,
    issuer: str = "杭州市不动产登记中心（测试）",
    issuer_code: str = "11330100MB0000000N",
    issued_on: dt.date | None = None,
    holder: str = "张三",
) -> CertificateMeta:
    """A certificate of ``kind``: a flat owned by ``holder``, or ``holder``'s corner shop."""
    day = issued_on or dt.date(2026, 11, 27)
    fields: tuple[tuple[str, str], ...]
    if kind is CertificateKind.REAL_ESTATE_REGISTRATION:
        number = f"浙({day.year})杭州市不动产权第{serial[-7:]}号"
        holder_name, holder_code = holder, "330106198503120016"
        code_type = HolderCodeType.CITIZEN_ID
        fields = (
            ("共有情况", "单独所有"),
            ("坐落", "杭州市西湖区文三路100号1幢2单元301室"),
            ("不动产单元号", "330106001001GB00001F00010001"),
            ("权利类型", "国有建设用地使用权/房屋所有权"),
            ("权利性质", "出让/存量房买卖"),
            ("用途", "城镇住宅用地/住宅"),
            ("面积", "共有宗地面积5000.00㎡/房屋建筑面积89.50㎡"),
            ("使用期限", "国有建设用地使用权 2000年01月01日起2070年12月31日止"),
        )
    else:
        number = f"330106{serial[-10:]}"
        holder_name, holder_code = "杭州西湖区张三便利店", "92330106MA2H6K8X0B"
        code_type = HolderCodeType.CREDIT_CODE
        fields = (
            ("类型", "个体工商户"),
            ("经营者", holder),
            ("组成形式", "个人经营"),
            ("经营场所", "浙江省杭州市西湖区文三路100号1层102室"),
            (
                "经营范围",
                "日用百货、预包装食品销售（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
            ),
        )
    return CertificateMeta(
        kind=kind,
        identifier=CertificateIdentifier(
            type_code=kind.default_type_code,
            issuer_code=issuer_code,
            serial=serial,
            version=version,
        ),
        number=number,
        holder=holder_name,
        holder_code=holder_code,
        holder_code_type=code_type,
        issuer=issuer,
        issued_on=day,
        valid_from=day,
        valid_until=None,
        fields=fields,
    )
