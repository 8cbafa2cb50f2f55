"""The services catalogue and the `services` action."""

from __future__ import annotations

from decimal import Decimal

import pytest

from panel_async.testing import SERVICE_TYPES, FakePanel, Service, default_services

from .conftest import Call, MakeCall


def test_default_services_cover_every_type() -> None:
    """The default catalogue has at least one service of each type."""
    types = {service.service_type for service in default_services()}

    assert types == set(SERVICE_TYPES)


def test_default_services_have_unique_ids() -> None:
    ids = [service.service_id for service in default_services()]

    assert len(ids) == len(set(ids))


async def test_services_first_entry_matches_document(call: Call) -> None:
    """Service 1 is written exactly as the API v2 document's example."""
    response = await call("services")

    assert response.status_code == 200
    assert response.json()[0] == {
        "service": 1,
        "name": "Followers",
        "type": "Default",
        "category": "Instagram Followers",
        "rate": "0.90",
        "min": "50",
        "max": "10000",
        "refill": True,
        "cancel": True,
    }


async def test_services_rates_have_at_most_five_decimals(call: Call) -> None:
    response = await call("services")

    for entry in response.json():
        exponent = Decimal(entry["rate"]).as_tuple().exponent
        assert isinstance(exponent, int)
        assert exponent >= -5, entry


async def test_services_lists_custom_catalogue(make_call: MakeCall) -> None:
    service = Service(
        service_id=77,
        name="Plays",
        service_type="Default",
        category="Music",
        rate="1.23456",
        min_quantity=10,
        max_quantity=20,
    )
    call = make_call(FakePanel(services=[service]))

    response = await call("services")

    assert [entry["service"] for entry in response.json()] == [77]
    assert response.json()[0]["rate"] == "1.23456"


def test_service_rejects_unknown_type() -> None:
    with pytest.raises(ValueError, match="unknown service type"):
        Service(
            service_id=1,
            name="x",
            service_type="Followers",
            category="c",
            rate="1",
            min_quantity=1,
            max_quantity=2,
        )


def test_service_rejects_float_rate() -> None:
    with pytest.raises(TypeError, match="float"):
        Service(
            service_id=1,
            name="x",
            service_type="Default",
            category="c",
            rate=0.5,  # type: ignore[arg-type]
            min_quantity=1,
            max_quantity=2,
        )


def test_service_rejects_min_above_max() -> None:
    with pytest.raises(
        ValueError, match="min_quantity must be between 1 and max_quantity"
    ):
        Service(
            service_id=1,
            name="x",
            service_type="Default",
            category="c",
            rate="1",
            min_quantity=5,
            max_quantity=2,
        )


def test_package_service_is_package() -> None:
    packages = [s for s in default_services() if s.service_type == "Package"]

    assert packages
    assert all(service.is_package for service in packages)
