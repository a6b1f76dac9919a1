"""A presigned link is one method on one object until one deadline, on every store (local
folder, Ceph RGW, RGW with SSE-KMS): no edit of the URL widens it to another key, a parent
prefix, another kind (bucket), a later deadline or another method, and no expiry beyond the
configured maximum is ever signed."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from storage import Bucket, StorageError, object_key
from tests.storage.conftest import StoreCase


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _refused(r: httpx.Response, *secrets: bytes) -> None:
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:200])
    for secret in secrets:
        assert secret not in r.content


def test_a_presigned_get_cannot_be_widened(case: StoreCase, prefix: str) -> None:
    mine = object_key(prefix, "a", "scan.jpg")
    theirs = object_key(prefix, "a", "scan.jpg.bak")
    sibling = object_key(prefix, "b", "scan.jpg")
    other_secret, sibling_secret = b"OTHER-CITIZEN-BYTES", b"SIBLING-BYTES"
    case.store.put(kind=Bucket.UPLOADS, key=mine, data=b"mine")
    case.store.put(kind=Bucket.UPLOADS, key=theirs, data=other_secret)
    case.store.put(kind=Bucket.UPLOADS, key=sibling, data=sibling_secret)
    case.store.put(kind=Bucket.ARTEFACTS, key=mine, data=other_secret)
    url = case.store.presign(
        method="GET", kind=Bucket.UPLOADS, key=mine, expires=timedelta(seconds=120)
    )
    assert case.fetch("GET", url).content == b"mine"
    secrets = (other_secret, sibling_secret)
    path = urlsplit(url).path
    kind_segment = next(s for s in path.split("/") if s.endswith(Bucket.UPLOADS.value))
    widened = {
        "longer key": url.replace("scan.jpg", "scan.jpg.bak", 1),
        "sibling folder": url.replace(f"{prefix}/a/", f"{prefix}/b/", 1),
        "parent prefix (listing)": url.replace("/a/scan.jpg", "/a/", 1),
        "dot segments": url.replace("/a/scan.jpg", "/a/%2e%2e/b/scan.jpg", 1),
        "encoded slash": url.replace("/a/scan.jpg", "/a%2Fscan.jpg.bak", 1),
        "another kind": url.replace(kind_segment, kind_segment.replace("uploads", "artefacts"), 1),
    }
    for name, edited in widened.items():
        assert edited != url, name
        r = case.fetch("GET", edited)
        assert r.status_code != 200 or r.content == b"mine", name
        _refused(r, *secrets)
    # a later deadline is a different signature
    query = dict(parse_qsl(urlsplit(url).query))
    if "expires" in query:  # the local store
        later = _with_query(url, expires=str(int(query["expires"]) + 3600))
    else:  # S3 signature v4
        later = _with_query(url, **{"X-Amz-Expires": "604800"})
    _refused(case.fetch("GET", later))
    # another method on the same object: nothing written, nothing removed
    _refused(case.fetch("PUT", url, content=b"overwritten"))
    _refused(case.fetch("DELETE", url))
    assert case.store.get_bytes(kind=Bucket.UPLOADS, key=mine) == b"mine"


def test_no_link_outlives_the_configured_maximum(case: StoreCase, prefix: str) -> None:
    key = object_key(prefix, "doc.pdf")
    case.store.put(kind=Bucket.UPLOADS, key=key, data=b"%PDF-")
    for expires in (timedelta(days=8), timedelta(days=365), timedelta(0), timedelta(seconds=-5)):
        with pytest.raises(StorageError):
            case.store.presign(method="GET", kind=Bucket.UPLOADS, key=key, expires=expires)
    for method in ("DELETE", "POST"):
        with pytest.raises(StorageError):
            case.store.presign(
                method=method,  # type: ignore[arg-type]
                kind=Bucket.UPLOADS,
                key=key,
                expires=timedelta(seconds=60),
            )
    # certificates are written by the service only
    with pytest.raises(StorageError):
        case.store.presign(
            method="PUT", kind=Bucket.CERTIFICATES, key=key, expires=timedelta(seconds=60)
        )
