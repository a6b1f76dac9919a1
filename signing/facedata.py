"""Face data (照面信息) of a certificate, in machine-readable form inside its signed revision.

An issued certificate carries, besides its GB/T 36903 metadata (``urn:paoyici:ecert:...``), the
fields of its document type (CONTRACT §3, e.g. ``certificate_number``, ``owners``, ``location``,
``unit_number``, ``area`` for a ``property_certificate``) in an XMP namespace of the project's
own, :data:`FACE_NS`. Each field is one ``face:name`` / ``face:value`` pair, the value as JSON
text so that lists and objects come back exactly as issued.

This module only encodes and decodes; :mod:`signing.ecert` returns face data to a caller only
after the signature and the registry status have been verified.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

__all__ = ["FACE_NS", "FaceData", "face_from_xmp", "face_xmp_properties"]

FACE_NS = "urn:paoyici:facedata:1.0#"
_NS = "{" + FACE_NS + "}"
_MAX_XMP = 1024 * 1024


@dataclass(frozen=True)
class FaceData:
    """``doc_type`` (a CONTRACT §3 document type) and its fields. Hashable: the fields are kept
    as canonical JSON text, :attr:`fields` decodes them."""

    doc_type: str
    fields_json: str

    @classmethod
    def of(cls, doc_type: str, fields: Mapping[str, Any]) -> FaceData:
        clean = {k: v for k, v in fields.items() if v not in (None, "", [], {})}
        return cls(doc_type, json.dumps(clean, ensure_ascii=False, sort_keys=True))

    @property
    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = json.loads(self.fields_json)
        return out


def face_xmp_properties(face: FaceData) -> str:
    """The XMP properties (inside the ``rdf:Description`` that declares ``xmlns:face``)."""
    items = "".join(
        f'<rdf:li rdf:parseType="Resource"><face:name>{escape(k)}</face:name>'
        f"<face:value>{escape(json.dumps(v, ensure_ascii=False))}</face:value></rdf:li>"
        for k, v in face.fields.items()
    )
    return (
        f"<face:docType>{escape(face.doc_type)}</face:docType>"
        f"<face:fields><rdf:Bag>{items}</rdf:Bag></face:fields>"
    )


def face_from_xmp(xmp: bytes | None) -> FaceData | None:
    """The face data stated in an XMP packet, or ``None`` when it states none (or is not
    well-formed). Untrusted input: no DTDs, bounded size."""
    if not xmp or len(xmp) > _MAX_XMP or b"<!DOCTYPE" in xmp or b"<!ENTITY" in xmp:
        return None
    body = xmp.split(b"<?xpacket end", 1)[0].split(b"?>", 1)[-1]
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 - DTDs refused above
    except ElementTree.ParseError:
        return None
    doc_type_el = root.find(f".//{_NS}docType")
    if doc_type_el is None or not (doc_type_el.text or "").strip():
        return None
    fields: dict[str, Any] = {}
    bag = root.find(f".//{_NS}fields")
    if bag is not None:
        for li in bag.iter():
            name, value = li.find(f"{_NS}name"), li.find(f"{_NS}value")
            if name is None or value is None or not name.text:
                continue
            try:
                fields[name.text] = json.loads(value.text or "null")
            except ValueError:
                return None
    return FaceData.of(doc_type_el.text.strip(), fields)  # type: ignore[union-attr]
