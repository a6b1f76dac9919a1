from __future__ import annotations

import io
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from signing import CertificateKind, CertificateRenderer
from signing.testing import sample_meta


@pytest.mark.parametrize("kind", list(CertificateKind))
def test_rendering_is_reproducible(renderer: CertificateRenderer, kind: CertificateKind) -> None:
    meta = sample_meta(kind=kind)
    assert renderer.render(meta) == renderer.render(meta)
    other = sample_meta(kind=kind, serial="2026000002")
    assert renderer.render(other) != renderer.render(meta)


@pytest.mark.parametrize("kind", list(CertificateKind))
def test_metadata_text_font_seal_and_qr(
    renderer: CertificateRenderer, kind: CertificateKind, tmp_path: Path
) -> None:
    meta = sample_meta(kind=kind)
    pdf = renderer.render(meta)
    reader = PdfReader(io.BytesIO(pdf))
    info = reader.metadata
    assert info is not None
    assert info["/ECertIdentifier"] == str(meta.identifier)
    assert info["/Title"].startswith(meta.name)
    assert info["/Author"] == meta.issuer
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    for value in meta.as_record().values():
        assert value in xmp
    # Chinese text is real text (extractable), not curves
    text = reader.pages[0].extract_text()
    assert meta.holder in text and meta.issuer in text and meta.name in text
    # every font embedded, as a subset
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    for row in rows:
        cols = row.split()
        assert "+" in cols[0], row  # subset tag
        assert cols[-5:-2] == ["yes", "yes", "yes"], row  # emb sub uni
    # the seal is an image on the page
    images = list(reader.pages[0].images)
    assert len(images) == 1
    # the QR code decodes to the verification URL with the identifier
    bitmap = pdfium.PdfDocument(pdf)[0].render(scale=3).to_numpy()
    gray = cv2.cvtColor(np.ascontiguousarray(bitmap[:, :, :3]), cv2.COLOR_BGR2GRAY)
    # the ArUco-based detector finds the code on a busy page where the classic one may not
    decoded, _, _ = cv2.QRCodeDetectorAruco().detectAndDecode(gray)
    assert decoded == renderer.verification_url(meta)
    assert decoded.endswith("/verify/" + str(meta.identifier))
