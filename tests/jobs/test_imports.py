"""``import jobs`` and ``import cases`` load neither celery nor minio; celery is imported only by
``jobs/celery_queue.py``."""

from __future__ import annotations

import pytest

from tests.storage.test_imports import importers_of, loads_after_import


@pytest.mark.parametrize("package", ["jobs", "cases"])
@pytest.mark.parametrize("engine", ["celery", "kombu", "minio"])
def test_importing_the_package_loads_no_engine(package: str, engine: str) -> None:
    assert not loads_after_import(f"import {package}", engine)


def test_only_the_celery_adapter_imports_celery() -> None:
    assert importers_of("celery") == {"jobs/celery_queue.py"}
    assert importers_of("kombu") == set()
