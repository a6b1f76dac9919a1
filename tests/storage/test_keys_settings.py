"""Keys (the one builder and the check every store applies) and settings."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from storage import Bucket, InvalidKeyError, StorageSettings, check_key, object_key


def test_object_key_joins_plain_segments() -> None:
    assert object_key("app-42", "a" * 64) == f"app-42/{'a' * 64}"
    assert object_key("certificates_2026", "1.2.156.3005.2.x.pdf") == (
        "certificates_2026/1.2.156.3005.2.x.pdf"
    )


@pytest.mark.parametrize(
    "segments",
    [(), ("",), ("..",), (".",), ("a/b",), ("a\\b",), ("a\x00",), ("\t",), ("ä",), ("-x",)],
)
def test_object_key_refuses_segments_that_are_not_plain_names(segments: tuple[str, ...]) -> None:
    with pytest.raises(InvalidKeyError):
        object_key(*segments)


@given(st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=5))
def test_any_accepted_key_stays_inside_its_folder(segments: list[str]) -> None:
    """Property: whatever text arrives, a key that passes the check normalises to itself and
    can never climb out of (or be absolute within) the folder it is joined to."""
    key = "/".join(segments)
    try:
        check_key(key)
    except InvalidKeyError:
        return
    joined = posixpath.normpath(posixpath.join("/root/kind", key))
    assert joined.startswith("/root/kind/")
    assert posixpath.normpath(key) == key
    assert all(ch.isascii() and ch.isprintable() for ch in key)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_object_key_and_check_key_agree(text: str) -> None:
    try:
        built = object_key(*text.split("/"))
    except InvalidKeyError:
        with pytest.raises(InvalidKeyError):
            check_key(text)
    else:
        assert check_key(built) == built == text


def test_only_certificates_are_locked() -> None:
    assert [k for k in Bucket if k.locked] == [Bucket.CERTIFICATES]


def test_insecure_defaults_name_what_production_must_change() -> None:
    local = StorageSettings()
    assert "PAOYICI_STORAGE_PRESIGN_SECRET" in local.insecure_defaults()
    s3 = StorageSettings(backend="s3")
    assert s3.insecure_defaults() == ["PAOYICI_STORAGE_S3_SECRET_KEY"]
    configured = StorageSettings(backend="s3", s3_secret_key="a-real-secret")  # type: ignore[arg-type]
    assert configured.insecure_defaults() == []
    plain = StorageSettings(backend="s3", s3_secret_key="x", s3_secure=False)  # type: ignore[arg-type]
    assert plain.insecure_defaults() == ["PAOYICI_STORAGE_S3_SECURE (plain HTTP)"]


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAOYICI_STORAGE_BACKEND", "s3")
    monkeypatch.setenv("PAOYICI_STORAGE_SSE", "kms")
    monkeypatch.setenv("PAOYICI_STORAGE_CERTIFICATE_RETENTION_DAYS", "3650")
    settings = StorageSettings()
    assert (settings.backend, settings.sse, settings.certificate_retention_days) == (
        "s3",
        "kms",
        3650,
    )
    assert StorageSettings.model_fields["certificate_retention_days"].default >= 30 * 365


@pytest.mark.parametrize(
    "bad",
    [{"sse_c_key": "c2hvcnQ="}, {"sse_c_key": "not base64!"}, {"bucket_prefix": "Upper-"}],
)
def test_settings_refuse_bad_values(bad: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        StorageSettings(**bad)  # type: ignore[arg-type]
