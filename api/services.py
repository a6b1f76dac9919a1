"""The long-lived parts of the service, built once at start-up and closed at shutdown.

:func:`build_services` is the composition root: the HTTP lifespan keeps its result at
``app.state.services`` (routes reach it through ``api.deps``) and ``paoyici worker`` builds the
same. Everything is built from one :class:`~api.settings.Settings`; the data folder is passed
to each package explicitly. ``registry`` is the one certificate registry: the verifier reads it
and the issuing side writes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import cases
import precheck
from api.security import LoginThrottle, TokenService
from api.settings import Settings
from jobs import InProcessRunner, JobContext, JobQueue
from jobs.context import OcrReader
from jobs.deadlines import Deadlines
from jobs.outbox import install_notifier
from signing import SigningServices, build_signing_services
from signing.sql_registry import SqlCertificateRegistry
from storage import ObjectStore, build_store

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    cipher: cases.FieldCipher
    registry: SqlCertificateRegistry
    signing: SigningServices
    # set right after construction from the parts above
    job_context: JobContext = field(init=False)
    queue: JobQueue = field(init=False)
    tokens: TokenService = field(init=False)
    login_throttle: LoginThrottle = field(init=False)
    # 承诺时限 → due dates on the working-day calendar (review queue, KPIs, JobContext.due_at)
    deadlines: Deadlines = field(init=False)
    closers: list[Callable[[], None]] = field(default_factory=list)

    def readiness_probes(self) -> dict[str, Callable[[], Any]]:
        return {
            "database": lambda: cases.ping(self.engine),
            "storage": self.store.ping,
            "jobs": self.queue.ping,
        }

    def start(self) -> None:
        """Start running jobs in this process (embedded default; a no-op with Celery, whose
        workers run them). Every unfinished job of the outbox runs again."""
        if isinstance(self.queue, InProcessRunner):
            self.queue.start(warm_up=self.settings.jobs.warm_up)
        if self.settings.warnings.schedule:
            from jobs import warnings

            with cases.transaction(self.sessions) as s:
                warnings.ensure_scheduled(s)

    def close(self) -> None:
        for close in reversed(self.closers):
            try:
                close()
            except Exception:
                log.exception("error while shutting down")


def build_services(settings: Settings) -> Services:
    settings.enforce_production()
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = cases.make_engine(settings.database, data_dir=data_dir)
    if settings.api.migrate_on_start:
        cases.upgrade(engine)
    sessions = cases.make_sessionmaker(engine)
    cipher = cases.FieldCipher(settings.database.encryption_key)
    registry = SqlCertificateRegistry(sessions, cipher)
    store = build_store(settings.storage, data_dir=data_dir)
    services = Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        store=store,
        cipher=cipher,
        registry=registry,
        signing=build_signing_services(
            settings=settings.signing, data_dir=data_dir, registry=registry
        ),
    )
    services.closers += [engine.dispose, store.close]
    services.tokens = TokenService(
        secret=settings.api.secret_key, ttl=timedelta(minutes=settings.api.token_ttl_minutes)
    )
    services.login_throttle = LoginThrottle(
        rate=settings.api.login_rate_limit, address_rate=settings.api.login_rate_limit_address
    )
    services.deadlines = Deadlines(settings.deadlines)
    services.job_context = build_job_context(settings, services)
    services.job_context.extras["warnings"] = settings.warnings
    _install_courier(settings, services)
    services.queue = _build_queue(settings, services)
    services.closers.append(services.queue.close)
    queue = services.queue

    def notify(job_ids: Sequence[int]) -> None:
        for job_id in job_ids:
            queue.notify(job_id)

    # after each commit that enqueued, tell the queue (the rows are durable whatever happens)
    install_notifier(sessions, notify)
    return services


def build_job_context(settings: Settings, services: Services) -> JobContext:
    return JobContext(
        sessions=services.sessions,
        store=services.store,
        cipher=services.cipher,
        registry=services.registry,
        signing=services.signing,
        catalogue=precheck.load_catalogue(),
        reader=OcrReader(settings.ocr, data_dir=settings.data_dir),
        jobs=settings.jobs,
        precheck=settings.precheck,
        signing_settings=settings.signing,
        data_dir=settings.data_dir,
        max_upload_bytes=settings.api.max_upload_mb * 1024 * 1024,
        due_at=services.deadlines,
    )


def _install_courier(settings: Settings, services: Services) -> None:
    """Carriers (one pooled HTTP client) and the delivery hooks on the job context."""
    import courier
    from jobs import delivery

    client = courier.http_client(settings.courier)
    services.closers.append(client.close)
    runtime = delivery.CourierRuntime(
        settings=settings.courier,
        carriers=courier.build_carriers(settings.courier, client=client),
        sender=courier.sender_of(settings.courier),
    )
    delivery.install(services.job_context, runtime)


def _build_queue(settings: Settings, services: Services) -> JobQueue:
    if settings.jobs.backend == "celery":
        from jobs.celery_queue import CeleryQueue

        return CeleryQueue(settings.jobs)
    return InProcessRunner(services.job_context, workers=settings.jobs.workers)
