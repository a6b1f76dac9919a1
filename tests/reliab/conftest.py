"""Fixtures of the reliability tests: a running service on either pair of real backends
(SQLite + local folder, PostgreSQL + Ceph RGW) with an issued certificate in it."""

from __future__ import annotations

from tests.storage.conftest import rgw, s3_settings  # noqa: F401  (fixtures shared with storage)
