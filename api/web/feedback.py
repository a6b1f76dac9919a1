"""What a citizen reads about an application: its state, each file and each finding in words.

Nothing here decides anything: the state comes from ``cases``, the findings (with their Chinese
messages) from the rule engine, quality issues from the reader. This module only says them in
plain words and groups them by material, and draws a finding's box on its page image.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ocr.decode import decode
from ocr.document import DocType
from ocr.settings import OcrSettings
from precheck import Matter, build_checklist
from precheck.rules.generic import DOC_TYPE_NAMES

__all__ = [
    "FIELD_NAMES",
    "DecisionWords",
    "ReturnedItem",
    "ShipmentWords",
    "SlotView",
    "application_slots",
    "decision_words",
    "file_words",
    "highlighted_png",
    "shipment_words",
    "state_words",
]

#: state → (short title, what it means for the citizen)
_STATES: dict[str, tuple[str, str]] = {
    "draft": ("待上传材料", "请按清单逐项上传材料，上传后系统会立即预审。"),
    "prechecking": ("正在预审", "系统正在识别您上传的材料，通常需要几十秒，本页会自动更新。"),
    "needs_fix": ("需要修改", "有材料需要您修改，请按每项下面的提示重新上传。"),
    "needs_review": (
        "可以提交，需人工确认",
        "系统没有发现问题，但有些内容需要工作人员确认。您可以提交，审核人员会尽快处理。",
    ),
    "ready": ("材料齐全，可以提交", "预审通过。请核对后提交，办结后您最多只需跑一次。"),
    "accepted_pending": ("容缺受理", "已先行受理，请在期限内补交缺少的材料。"),
    "approved": ("审核通过", "审核通过，正在制作电子证照。"),
    "returned": ("已退回", "审核人员退回了申请，请按说明修改材料后重新提交。"),
    "rejected": ("不予受理", "申请未被受理，原因见下方说明。"),
    "issued": ("电子证照已签发", "您可以下载电子证照，并选择窗口领取或邮寄纸质证照。"),
    "shipped": ("已寄出", "纸质证照已交快递寄出。"),
    "delivered": ("已送达", "纸质证照已签收。"),
    "picked_up": ("已领取", "纸质证照已在窗口领取。"),
}

#: the contract's field names as a reviewer and a citizen read them
FIELD_NAMES: dict[str, str] = {
    "name": "姓名",
    "sex": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "address": "住址",
    "id_number": "公民身份号码",
    "issuing_authority": "签发机关",
    "valid_from": "有效期起",
    "valid_until": "有效期至",
    "certificate_number": "证书编号",
    "owners": "权利人",
    "co_ownership": "共有情况",
    "location": "坐落",
    "unit_number": "不动产单元号",
    "area": "面积",
    "sellers": "卖方",
    "buyers": "买方",
    "price": "成交价",
    "signed_date": "签订日期",
    "holder": "持证人",
    "registration_date": "登记日期",
    "spouses": "配偶双方",
    "principal": "委托人",
    "agent": "受托人",
    "members": "家庭成员",
    "credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "established_date": "成立日期",
}

_SUBMITTED = ("已提交，等待审核", "审核人员会在承诺时限内处理，本页会自动更新。")

#: quality issue → what to do about it
_QUALITY_FIX: dict[str, str] = {
    "blurry": "照片模糊，请在光线充足处对准材料、拿稳手机后重新拍摄",
    "too_small": "照片太小、看不清，请靠近材料重新拍摄",
    "too_dark": "照片太暗，请在光线充足处重新拍摄",
    "glare": "照片有反光，请避开灯光直射、稍微倾斜手机后重新拍摄",
    "cropped": "材料没有拍全，请让材料四边都在画面内后重新拍摄",
    "no_text": "没有识别到文字，请确认拍的是材料本身，并且正面朝上",
}

_FILE_ERRORS: dict[str, str] = {
    "unsupported_type": "无法识别的文件格式，请上传照片（JPG、PNG）或 PDF",
    "corrupt_file": "文件已损坏，请重新拍摄或重新导出后上传",
    "encrypted": "PDF 有密码保护，请去掉密码后上传",
    "too_large": "文件太大，请压缩后或分页上传",
}


def state_words(view: Mapping[str, Any]) -> tuple[str, str]:
    state = str(view["state"])
    if view.get("submitted_at") and state in ("ready", "needs_review"):
        return _SUBMITTED
    return _STATES.get(state, (state, ""))


def file_words(f: Mapping[str, Any], matter: Matter) -> tuple[str, list[str]]:
    """(what the file is, what to do about it) for one file of the *Application* view."""
    status = f.get("status")
    if status in ("queued", "reading"):
        return "正在识别…", []
    if f.get("error"):
        return "无法读取", [_FILE_ERRORS.get(str(f["error"]), "文件无法读取，请重新上传")]
    doc_type = f.get("doc_type")
    try:
        what = DOC_TYPE_NAMES[DocType(doc_type)] if doc_type else "未识别"
    except ValueError:
        what = str(doc_type)
    if f.get("source") == "e_certificate":
        what += "（电子证照，已验证签章）"
    quality = f.get("quality") or {}
    todo = [_QUALITY_FIX[i] for i in quality.get("issues", []) if i in _QUALITY_FIX]
    slot = matter.slots.get(str(f.get("slot")))
    if slot is not None and doc_type and doc_type != DocType.UNKNOWN.value:
        wanted = {t.value for t in slot.doc_types}
        if doc_type not in wanted:
            names = "或".join(DOC_TYPE_NAMES[t] for t in slot.doc_types)
            todo.append(f"这是{what}，这里需要{names}，请检查是否传错")
    return f"已识别：{what}", todo


@dataclass
class SlotView:
    slot: str
    name: str
    reason: str
    to_upload: bool
    provided_by: str
    files: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


def application_slots(
    view: Mapping[str, Any], matter: Matter
) -> tuple[list[SlotView], list[dict[str, Any]]]:
    """The checklist of this application, each material with its files and findings, and the
    findings that concern no one material. Each finding carries ``n`` (its place in the report)
    and ``images`` (the file indexes its evidence points at)."""
    checklist = build_checklist(matter=matter, answers=view.get("answers") or {})
    slots = {
        item.slot: SlotView(
            slot=item.slot,
            name=item.name,
            reason=item.reason,
            to_upload=item.to_upload,
            provided_by=item.provided_by.value,
        )
        for item in checklist.items
    }
    files: Sequence[Mapping[str, Any]] = view.get("files") or []
    for index, f in enumerate(files):
        what, todo = file_words(f, matter)
        entry = dict(f, index=index, what=what, todo=todo)
        if f.get("slot") in slots:
            slots[str(f["slot"])].files.append(entry)
    general: list[dict[str, Any]] = []
    report = view.get("report") or {}
    for n, finding in enumerate(report.get("findings") or []):
        images = sorted(
            {
                int(e["file"])
                for e in finding.get("evidence") or []
                if isinstance(e.get("file"), int) and e.get("box") and 0 <= e["file"] < len(files)
            }
        )
        entry = dict(finding, n=n, images=images)
        slot = finding.get("slot")
        (slots[slot].findings if slot in slots else general).append(entry)
    return list(slots.values()), general


@dataclass(frozen=True)
class ReturnedItem:
    """One thing a reviewer asked to change, in words: in which material, which field."""

    slot: str | None
    slot_name: str | None
    field_name: str | None
    reason: str  # the reviewer's words
    text: str  # the whole sentence: where, then the reason


@dataclass(frozen=True)
class DecisionWords:
    """A return or a rejection as the citizen reads it."""

    decision: str
    title: str
    meaning: str
    reason: str | None
    at: str
    items: list[ReturnedItem] = field(default_factory=list)

    def for_slot(self, slot: str) -> list[ReturnedItem]:
        return [i for i in self.items if i.slot == slot]

    @property
    def general(self) -> list[ReturnedItem]:
        """Items tied to no material of the checklist (shown with the reason)."""
        return [i for i in self.items if i.slot_name is None]


_BEIJING = ZoneInfo("Asia/Shanghai")  # the office's time, as the citizen reads it

_DECISION_TITLES: dict[str, tuple[str, str]] = {
    "return": (
        "审核人员退回了申请",
        "请按下面的说明修改对应的材料，改好后重新提交。已上传且没有问题的材料不用重新上传。",
    ),
    "reject": (
        "申请不予受理",
        "本次申请不能继续办理。如对结果有疑问，可以带上本页说明到办事窗口咨询。",
    ),
}


def decision_words(view: Mapping[str, Any], matter: Matter) -> DecisionWords | None:
    """The reviewer's last return or rejection of this application in plain words (each item
    with the material's Chinese name and the field's), while it still stands: until the
    citizen submits again. An approval says nothing here (the state says it)."""
    decision = view.get("decision")
    if not decision or decision.get("decision") not in _DECISION_TITLES:
        return None
    at = decision.get("at")
    submitted = view.get("submitted_at")
    if view.get("state") not in ("returned", "rejected") and (
        submitted is not None and at is not None and submitted > at
    ):
        return None  # submitted again since: the reasons were answered
    items = []
    for raw in decision.get("items") or []:
        slot = raw.get("slot")
        known = matter.slots.get(str(slot)) if slot else None
        field_key = raw.get("field")
        field_name = FIELD_NAMES.get(str(field_key), str(field_key)) if field_key else None
        what = f"“{known.name}”" if known is not None else ""
        if field_name:
            what += f"中的“{field_name}”" if what else f"“{field_name}”"
        text = str(raw.get("reason") or "").strip()
        items.append(
            ReturnedItem(
                slot=str(slot) if known is not None else None,
                slot_name=known.name if known is not None else None,
                field_name=field_name,
                reason=text,
                text=f"请修改{what}：{text}" if what else text,
            )
        )
    title, meaning = _DECISION_TITLES[str(decision["decision"])]
    return DecisionWords(
        decision=str(decision["decision"]),
        title=title,
        meaning=meaning,
        reason=(decision.get("reason") or "").strip() or None,
        at=at.astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M") if isinstance(at, datetime) else "",
        items=items,
    )


#: a shipment's status → (short title, what it means for the citizen)
_SHIPMENT_WORDS: dict[str, tuple[str, str]] = {
    "created": ("已下单", "已通知快递公司，快递员会到办事机构取件后寄出。"),
    "picked_up": ("已揽收", "快递员已取件，纸质证照正在寄出。"),
    "in_transit": ("运输中", "纸质证照正在寄送途中，请保持手机畅通，方便快递员联系您。"),
    "delivered": ("已签收", "纸质证照已送达签收。"),
    "exception": (
        "派送遇到问题",
        "快递派送没有成功，快递员会与您联系；您也可以拨打快递公司客服电话，报运单号查询。",
    ),
    "returned": (
        "已退回",
        "快件已退回办事机构。请联系办事窗口重新邮寄，或凭本页信息到窗口领取。",
    ),
}

_CARRIER_NAMES = {"sf": "顺丰速运", "kuaidi100": "快递"}


@dataclass(frozen=True)
class ShipmentWords:
    """A courier shipment as the citizen follows it: where it is, then each event."""

    carrier: str
    tracking_number: str | None
    status: str
    title: str
    meaning: str
    events: list[dict[str, str]] = field(default_factory=list)  # at, iso, status, text


def shipment_words(delivery: Mapping[str, Any] | None) -> ShipmentWords | None:
    """The *Delivery* of a courier shipment in words (Beijing time, newest event first);
    None for a window pickup or no delivery yet."""
    if not delivery or delivery.get("method") != "courier":
        return None
    status = str(delivery.get("status") or "created")
    title, meaning = _SHIPMENT_WORDS.get(status, ("运输中", _SHIPMENT_WORDS["in_transit"][1]))
    events = []
    for e in delivery.get("events") or []:
        try:
            at = datetime.fromisoformat(str(e.get("at")))
        except ValueError:
            continue
        label = _SHIPMENT_WORDS.get(str(e.get("status")), ("运输中", ""))[0]
        events.append(
            {
                "at": at.astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M"),
                "iso": at.isoformat(),
                "status": label,
                "text": str(e.get("text") or "").strip() or label,
            }
        )
    events.reverse()  # the latest first: what a person looks for
    carrier = str(delivery.get("carrier") or "")
    return ShipmentWords(
        carrier=_CARRIER_NAMES.get(carrier, "快递"),
        tracking_number=delivery.get("tracking_number"),
        status=status,
        title=title,
        meaning=meaning,
        events=events,
    )


_MAX_SIDE = 1600


def highlighted_png(data: bytes, *, boxes: Sequence[Sequence[float]] = (), page: int = 0) -> bytes:
    """Page ``page`` of an uploaded file as a PNG (at most 1600 px on its long side), with each
    box (pixels of the page as uploaded, ``[x0, y0, x1, y1]``) drawn as a thick red frame inside
    a white one, so it shows on dark and light paper alike."""
    from PIL import Image, ImageDraw

    _, pages = decode(data, settings=OcrSettings())
    chosen = pages[min(max(page, 0), len(pages) - 1)]
    if chosen.image is None:
        raise ValueError("page has no image")
    pixels = chosen.image
    image = Image.fromarray(pixels if pixels.ndim == 2 else pixels[:, :, ::-1])  # BGR → RGB
    scale = min(1.0, _MAX_SIDE / max(image.size))
    if scale < 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    draw = ImageDraw.Draw(image)
    width = max(3, round(max(image.size) / 200))
    for box in boxes:
        x0, y0, x1, y1 = (float(v) * scale for v in box[:4])
        pad = width * 2
        draw.rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), outline="white", width=width * 3)
        draw.rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), outline="#d40000", width=width)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
