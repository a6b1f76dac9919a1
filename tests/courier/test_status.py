"""The one status model: carrier codes mapped, events de-duplicated and ordered."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from courier import kuaidi100 as k100
from courier.simulator import K100_SCRIPT, SF_SCRIPT
from courier.status import (
    KUAIDI100_STATES,
    KUAIDI100_SUBSTATES,
    SF_OPCODES,
    TABLES,
    ShipmentStatus,
    TrackingEvent,
    current_status,
    map_code,
    merge_events,
    parse_carrier_time,
)

S = ShipmentStatus


@pytest.mark.parametrize("carrier", sorted(TABLES))
def test_every_carrier_code_maps_to_a_status(carrier: str) -> None:
    table = TABLES[carrier]
    assert table
    for code, status in table.items():
        assert map_code(carrier, code) is status
    # each carrier's table reaches the statuses a parcel can end in
    assert {S.PICKED_UP, S.IN_TRANSIT, S.DELIVERED, S.EXCEPTION, S.RETURNED} <= set(table.values())


def test_the_contracts_kuaidi100_states_are_all_mapped() -> None:
    # CONTRACT §5: state "0…14"; 9 is not a state Kuaidi100 documents
    assert set(KUAIDI100_STATES) == {str(n) for n in range(15)} - {"9"}
    assert KUAIDI100_STATES["3"] is S.DELIVERED
    assert KUAIDI100_SUBSTATES["301"] is S.DELIVERED


def test_sf_signed_for_and_picked_up() -> None:
    assert SF_OPCODES["50"] is S.PICKED_UP
    assert SF_OPCODES["80"] is S.DELIVERED


def test_every_code_the_simulator_sends_is_in_the_tables(caplog: pytest.LogCaptureFixture) -> None:
    for code, _, _ in SF_SCRIPT:
        assert code in SF_OPCODES
    items = [
        {"time": f"2026-12-01 10:0{i}:00", "context": text, "status": name, "statusCode": code}
        for i, (code, name, text) in enumerate(K100_SCRIPT)
    ]
    events = k100.data_events(list(reversed(items)), state="3")
    assert [e.status for e in reversed(events)] == [
        S.PICKED_UP,
        S.IN_TRANSIT,
        S.IN_TRANSIT,
        S.IN_TRANSIT,
        S.DELIVERED,
    ]
    assert "unmapped" not in caplog.text


def test_an_unknown_code_is_recorded_as_in_transit_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert map_code("sf", "99999") is S.IN_TRANSIT
    assert "unmapped sf code '99999'" in caplog.text


def ev(minute: int, text: str, status: ShipmentStatus) -> TrackingEvent:
    return TrackingEvent(
        at=datetime(2026, 12, 1, 2, minute, tzinfo=UTC), carrier_code="x", status=status, text=text
    )


def test_merge_keeps_one_event_per_time_and_text_and_orders_by_event_time() -> None:
    a, b, c = (
        ev(1, "已收件", S.PICKED_UP),
        ev(5, "运输中", S.IN_TRANSIT),
        ev(9, "已签收", S.DELIVERED),
    )
    history_newest_first = [c, b, a]
    merged = merge_events([b], history_newest_first, [a, c], [ev(5, "运输中", S.IN_TRANSIT)])
    assert [e.text for e in merged] == ["已收件", "运输中", "已签收"]
    # same time, other text: two events
    assert len(merge_events([a, ev(1, "已收件（补录）", S.PICKED_UP)])) == 2


def test_current_status_is_the_latest_by_event_time_not_by_arrival() -> None:
    delivered, late_old = ev(9, "已签收", S.DELIVERED), ev(5, "运输中", S.IN_TRANSIT)
    assert current_status([delivered, late_old]) is S.DELIVERED
    assert current_status([]) is S.CREATED
    # same second: the later stage wins
    assert (
        current_status([ev(3, "派送中", S.IN_TRANSIT), ev(3, "已签收", S.DELIVERED)]) is S.DELIVERED
    )
    # naive times (SQLite) are UTC
    naive = (datetime(2026, 12, 1, 2, 10), S.RETURNED)
    assert current_status([delivered, naive]) is S.RETURNED


def test_carrier_times_are_china_time() -> None:
    at = parse_carrier_time("2026-12-01 08:00:00")
    assert at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert at.utcoffset() == timedelta(0)
    with pytest.raises(ValueError):
        parse_carrier_time("2026/12/01")


def test_kuaidi100_abort_and_shutdown_ask_for_a_new_subscription() -> None:
    carrier = k100.Kuaidi100Carrier(
        client=None,  # type: ignore[arg-type]  # parse_push makes no call
        api_url="http://x",
        poll_url="http://x",
        key="k",
        customer="c",
        secret="s",
        salt="salt",
        callback_url="http://cb",
    )

    def push(status: str, ischeck: str) -> bool:
        body = {
            "status": status,
            "lastResult": {"nu": "98", "state": "0", "ischeck": ischeck, "data": []},
        }
        param = json.dumps(body)
        batch = carrier.parse_push(form={"param": param, "sign": k100.push_sign(param, "salt")})
        return batch.pushes[0].resubscribe

    assert push("abort", "0") is True
    assert push("shutdown", "0") is True
    assert push("shutdown", "1") is False
    assert push("polling", "0") is False
