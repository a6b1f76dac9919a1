"""Reading uploads once per content: memory and disk caches, counted reader calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.errors import CorruptFileError
from precheck import DiskDocumentCache, MemoryDocumentCache, SlotFile, read_uploads
from tests.precheck.factory import SELLER, certificate, front


class CountingReader:
    """A fake reader with the real signature: bytes → Document, counting calls."""

    def __init__(self) -> None:
        self.calls: list[bytes] = []

    def __call__(self, data: bytes, *, expected_type: str | None = None):
        self.calls.append(data)
        if data.startswith(b"BAD"):
            raise CorruptFileError()
        return front(SELLER) if data.startswith(b"ID") else certificate()


@pytest.mark.parametrize("kind", ["memory", "disk"])
def test_recheck_reads_only_the_replaced_file(kind, tmp_path: Path):
    cache = MemoryDocumentCache() if kind == "memory" else DiskDocumentCache(tmp_path / "c")
    reader = CountingReader()
    files = [SlotFile("seller_id_card", b"ID-1"), SlotFile("property_certificate", b"CERT-1")]
    first = read_uploads(files=files, reader=reader, cache=cache)
    assert len(reader.calls) == 2 and [u.meta["cached"] for u in first] == [False, False]
    files[1] = SlotFile("property_certificate", b"CERT-2")
    second = read_uploads(files=files, reader=reader, cache=cache)
    assert reader.calls[2:] == [b"CERT-2"]
    assert [u.meta["cached"] for u in second] == [True, False]
    assert second[0].document == first[0].document


def test_disk_cache_survives_a_new_process_and_ignores_torn_files(tmp_path: Path):
    reader = CountingReader()
    files = [SlotFile("seller_id_card", b"ID-1")]
    read_uploads(files=files, reader=reader, cache=DiskDocumentCache(tmp_path))
    again = read_uploads(files=files, reader=reader, cache=DiskDocumentCache(tmp_path))
    assert len(reader.calls) == 1 and again[0].document == front(SELLER)
    for p in tmp_path.rglob("*.json"):
        p.write_text("{torn")
    read_uploads(files=files, reader=reader, cache=DiskDocumentCache(tmp_path))
    assert len(reader.calls) == 2


def test_reader_version_is_part_of_the_key():
    cache, reader = MemoryDocumentCache(), CountingReader()
    files = [SlotFile("seller_id_card", b"ID-1")]
    read_uploads(files=files, reader=reader, cache=cache, reader_version="a")
    read_uploads(files=files, reader=reader, cache=cache, reader_version="b")
    assert len(reader.calls) == 2


def test_unreadable_file_becomes_a_problem_not_an_exception():
    ups = read_uploads(
        files=[SlotFile("sale_contract", b"BAD"), SlotFile("seller_id_card", b"ID")],
        reader=CountingReader(),
        cache=MemoryDocumentCache(),
    )
    assert ups[0].document is None and ups[0].problem is not None
    assert ups[0].problem.code == "corrupt_file" and ups[1].document is not None


def test_identical_files_are_read_once_and_workers_keep_order():
    reader = CountingReader()
    files = [SlotFile("seller_id_card", b"ID-1"), SlotFile("property_certificate", b"CERT"),
             SlotFile("buyer_id_card", b"ID-1"), SlotFile("sale_contract", b"BAD")]  # fmt: skip
    ups = read_uploads(files=files, reader=reader, cache=MemoryDocumentCache(), workers=3)
    assert sorted(reader.calls) == [b"BAD", b"CERT", b"ID-1"]
    assert [u.slot for u in ups] == [
        "seller_id_card",
        "property_certificate",
        "buyer_id_card",
        "sale_contract",
    ]
    assert [u.file for u in ups] == [0, 1, 2, 3]
    assert ups[0].document == ups[2].document and ups[3].problem is not None


def test_a_stored_reading_keeps_its_marks_and_sides(tmp_path: Path):
    """A reading read back from a cache or a stored row is the reading that was written: the
    marks found in its places (else an unsigned contract read back would pass as signed) and
    an ID card's sides."""
    from dataclasses import replace

    from ocr.document import DocType, IdCardSide
    from ocr.marks import ABSENT, PRESENT, MarkResult
    from precheck.intake import document_from_dict, document_to_dict
    from tests.precheck.factory import contract

    marks = (
        MarkResult("signature", "seller[0]", "出卖人", 2, ABSENT, 0.97, (10, 20, 30, 40)),
        MarkResult("signature", "buyer[0]", "买受人", 2, PRESENT, 0.9, (50, 20, 90, 40)),
    )
    signed = replace(contract(), marks=marks, marks_read=True)
    assert signed.doc_type == DocType.SALE_CONTRACT
    back = document_from_dict(document_to_dict(signed))
    assert back.marks == marks and back.marks_read
    card = replace(front(SELLER), sides=(IdCardSide.FRONT, IdCardSide.BACK))
    assert document_from_dict(document_to_dict(card)).sides == card.sides
    cache = DiskDocumentCache(tmp_path)
    cache.put("k", signed)
    again = cache.get("k")
    assert again is not None and again.marks == marks and again.marks_read
