"""What a citizen reads about an application: its state, each file and each finding in words.

Nothing here decides anything: the state comes from ``cases``, the findings (with their Chinese
messages) from the rule engine, quality issues from the reader. This module only says them in
plain words and groups them by material, and draws a finding's box on its page image.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ocr.decode import decode
from ocr.document import DocType
from ocr.settings import OcrSettings
from precheck import Matter, build_checklist
from precheck.rules.generic import DOC_TYPE_NAMES

__all__ = [
    "SlotView",
    "application_slots",
    "file_words",
    "highlighted_png",
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
