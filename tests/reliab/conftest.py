"""Fixtures of the reliability tests: the real S3 server and the store cases of the storage
tests, shared (a running service on either pair of backends: tests/reliab/world.py)."""

from __future__ import annotations

from tests.api.conftest import private_postgres  # noqa: F401  (a cluster a test may restart)
from tests.jobs.conftest import fresh_postgres  # noqa: F401  (a database of the test's own)
from tests.storage.conftest import (  # noqa: F401  (fixtures shared with the storage tests)
    case,
    local_root,
    prefix,
    rgw,
    s3_settings,
)
