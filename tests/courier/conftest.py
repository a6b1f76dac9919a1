"""Fixtures of the courier tests: the simulator carrier and a push receiver, both served over
real HTTP on loopback, a migrated database, a local object store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import cases
from cases.models import Application, Certificate
from courier import (
    KUAIDI100_CALLBACK_PATH,
    SF_PUSH_PATH,
    Carrier,
    CourierSettings,
    Party,
    PushSignatureError,
    accept_push,
    build_carriers,
    http_client,
    sender_of,
)
from courier.simulator import CarrierSimulator, ServerThread, SimulatorConfig, build_app
from storage import LocalStore

CIPHER = cases.FieldCipher("ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=")

RECIPIENT = Party(
    name="欧阳娜娜",
    phone="13912345678",
    province="浙江省",
    city="杭州市",
    district="西湖区",
    address="文三路 90号 东部软件园+1幢 ~3楼 *302室 & 收发室",
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = cases.make_engine(
        cases.DatabaseSettings(url=f"sqlite:///{tmp_path / 'courier.db'}"), data_dir=tmp_path
    )
    cases.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return cases.make_sessionmaker(engine)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(
        tmp_path / "objects",
        presign_secret=b"test-presign-secret-0123",
        public_base_url="http://127.0.0.1:1",
        max_object_size=8 * 1024 * 1024,
        certificate_retention=timedelta(days=1),
    )


def make_certificate(session: Session, serial: str = "000001") -> Certificate:
    app = Application(matter_id="second-hand-house-transfer", state="issued")
    session.add(app)
    session.flush()
    cert = Certificate(
        application_id=app.id,
        identifier=f"1.2.156.3005.2.11100000000000000X.330100000000000000.{serial}.001.K",
        name="不动产权证书",
        type_code="11100000000000000X",
        number=f"浙(2026)杭州市不动产权第{serial}号",
        serial=serial,
        holder_name="欧阳娜娜",
        issuer_name="杭州市规划和自然资源局",
        issuer_code="113301000000000000",
        issued_on=date(2026, 12, 1),
    )
    session.add(cert)
    session.flush()
    return cert


class Receiver:
    """The service's side of the push routes, as a tiny app: verify, record, commit, answer."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.carriers: dict[str, Carrier] = {}
        self.seen: list[tuple[str, int]] = []

        async def handle(request: Request, name: str) -> JSONResponse:
            carrier = self.carriers[name]
            form = {k: str(v) for k, v in (await request.form()).items()}
            try:
                with self.sessions.begin() as session:
                    accept_push(session, carrier=carrier, form=form)
            except PushSignatureError as e:
                self.seen.append((name, 401))
                return JSONResponse({"error": e.code, "message": e.message}, status_code=401)
            self.seen.append((name, 200))
            return JSONResponse(carrier.acknowledge())

        async def sf_push(request: Request) -> JSONResponse:
            return await handle(request, "sf")

        async def k100_push(request: Request) -> JSONResponse:
            return await handle(request, "kuaidi100")

        self.app = Starlette(
            routes=[
                Route(SF_PUSH_PATH, sf_push, methods=["POST"]),
                Route(KUAIDI100_CALLBACK_PATH, k100_push, methods=["POST"]),
            ]
        )


@pytest.fixture(scope="session")
def _label_font() -> None:
    """Load the CJK font of the labels once (seconds on a busy machine): the label download of
    a test then answers within the adapters' 1 s read timeout."""
    from datetime import datetime

    from courier.simulator import SimShipment, render_label

    render_label(SimShipment("sf", "o", "SF0", "杭州市", {"name": "张三"}, datetime.now()), "顺丰")


@pytest.fixture
def simulator(_label_font: None) -> Iterator[tuple[CarrierSimulator, ServerThread]]:
    app = build_app(SimulatorConfig())
    server = ServerThread(app).start()
    sim: CarrierSimulator = app.state.sim
    sim.config.public_url = server.url
    yield sim, server
    server.stop()


@pytest.fixture
def receiver(sessions: sessionmaker[Session]) -> Iterator[tuple[Receiver, ServerThread]]:
    rec = Receiver(sessions)
    server = ServerThread(rec.app).start()
    yield rec, server
    server.stop()


@pytest.fixture
def settings(
    simulator: tuple[CarrierSimulator, ServerThread], receiver: tuple[Receiver, ServerThread]
) -> CourierSettings:
    sim, sim_server = simulator
    _, rec_server = receiver
    sim.config.sf_push_url = rec_server.url + SF_PUSH_PATH
    return CourierSettings(
        sf_base_url=sim_server.url + "/sf",
        kuaidi100_api_url=sim_server.url + "/kuaidi100",
        kuaidi100_poll_url=sim_server.url + "/kuaidi100",
        callback_base_url=rec_server.url,
        retries=3,
        retry_backoff_s=0.05,
        read_timeout_s=1.0,
        connect_timeout_s=1.0,
    )


@pytest.fixture(params=["sf", "kuaidi100"])
def carrier(
    request: pytest.FixtureRequest,
    settings: CourierSettings,
    receiver: tuple[Receiver, ServerThread],
) -> Iterator[Carrier]:
    client = http_client(settings)
    carriers = build_carriers(settings, client=client)
    receiver[0].carriers.update(carriers)
    yield carriers[request.param]
    client.close()


@pytest.fixture
def sender(settings: CourierSettings) -> Party:
    return sender_of(settings)
