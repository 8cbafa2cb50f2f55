"""The client against every dialect of the simulator: each kind of quirk, end to end."""

from __future__ import annotations

from decimal import Decimal

import pytest

from panel_async import (
    OrderState,
    PanelAuthError,
    PanelClient,
    PanelError,
    PanelHTMLResponseError,
    PanelNotFoundError,
    PanelRedirectError,
)
from panel_async.testing import Dialect, FakePanel, ManualClock

from .conftest import IN_PROCESS_URL, KEY, connect

DIALECTS = {
    "standard": Dialect.standard(),
    "numeric": Dialect.numeric(),
    "sloppy": Dialect.sloppy(),
    "terse": Dialect.terse(),
    "numbers-float": Dialect(numbers="float"),
    "numbers-mixed": Dialect(numbers="mixed"),
    "booleans-int": Dialect(booleans="int"),
    "booleans-string": Dialect(booleans="string"),
    "booleans-omit": Dialect(booleans="omit"),
    "ids-string": Dialect(ids="string"),
    "ids-int": Dialect(ids="int"),
    "words-lower": Dialect(status_case="lower"),
    "words-snake": Dialect(status_case="snake"),
    "words-upper": Dialect(status_case="upper"),
    "words-variants": Dialect(
        status_words={"Canceled": "Cancelled", "Pending": "Awaiting", "Failed": "Fail"}
    ),
    "single-for-one-id": Dialect(single_for_one_id=True),
    "keyed-for-single": Dialect(keyed_for_single=True),
    "id-errors-entry": Dialect(id_errors="entry"),
    "id-errors-missing": Dialect(id_errors="missing"),
    "cancel-map": Dialect(cancel_shape="map"),
    "cancel-single": Dialect(cancel_shape="single"),
    "refill-extra-keys": Dialect(refill_extra_keys=True),
    "services-wrapped": Dialect(services_wrapped=True, service_extra_fields=True),
    "error-status-error": Dialect(error_body="status_error", error_status=400),
    "error-status-fail": Dialect(error_body="status_fail", error_status=422),
    "cap-reject": Dialect(max_ids=30, over_max_ids="reject"),
    "pending-start-empty": Dialect(pending_start_count="empty"),
    "pending-start-null": Dialect(pending_start_count="null"),
    "pending-start-unknown": Dialect(pending_start_count="unknown"),
}


def _panel(dialect: Dialect) -> FakePanel:
    return FakePanel(
        key=KEY, seed=3, seeded_orders=250, clock=ManualClock(), dialect=dialect
    )


@pytest.mark.parametrize("name", list(DIALECTS))
async def test_dialect_reads_services_and_balance(name: str) -> None:
    """services() and balance() read every dialect into exact typed values."""
    async with connect(_panel(DIALECTS[name])) as client:
        services = await client.services()
        balance = await client.balance()

    assert services
    assert all(isinstance(s.rate, Decimal) and s.rate > 0 for s in services)
    assert balance.amount == Decimal("1000")


@pytest.mark.parametrize("name", list(DIALECTS))
async def test_dialect_statuses_every_id_once(name: str) -> None:
    """statuses() returns every ID once with a known state or a not-found error."""
    ids = [*range(1, 251), 424242]

    async with connect(_panel(DIALECTS[name])) as client:
        result = await client.statuses(ids)

    assert list(result) == ids
    assert len(result.succeeded) == 250
    assert all(s.status is not OrderState.UNKNOWN for s in result.succeeded.values())
    assert isinstance(result[424242], PanelNotFoundError)


@pytest.mark.parametrize("name", list(DIALECTS))
async def test_dialect_single_status_and_missing(name: str) -> None:
    """status() reads one order, and an unknown one raises PanelNotFoundError."""
    async with connect(_panel(DIALECTS[name])) as client:
        status = await client.status(7)
        with pytest.raises(PanelNotFoundError):
            await client.status(424242)

    assert status.status is not OrderState.UNKNOWN


@pytest.mark.parametrize("name", list(DIALECTS))
async def test_dialect_write_actions(name: str) -> None:
    """add, refill, refill_status and cancel all read in every dialect."""
    panel = _panel(DIALECTS[name])
    async with connect(panel) as client:
        # Read the flags from the simulator: the terse dialect leaves them out.
        simulated = next(
            s for s in panel.services if s.service_type == "Default" and s.cancel
        )
        order_id = await client.add(
            service=simulated.service_id,
            link="https://x.test/d",
            quantity=simulated.min_quantity,
        )
        cancels = await client.cancel([order_id])
        finished = [
            order_id
            for order_id, value in (
                await client.statuses(range(1, 251))
            ).succeeded.items()
            if value.status is OrderState.COMPLETED
        ]
        refills = await client.refills(finished)
        refill_ids = list(refills.succeeded.values())
        refill_states = await client.refill_statuses(refill_ids)

    assert cancels[order_id] is True
    assert refill_ids
    assert len(refill_states.succeeded) == len(refill_states)
    assert all(isinstance(v, PanelError) for v in refills.failed.values())


@pytest.mark.parametrize("name", ["standard", "sloppy", "terse", "error-status-fail"])
async def test_dialect_bad_key_auth_error(name: str) -> None:
    """A wrong key raises PanelAuthError whatever the error body's shape."""
    import httpx

    from panel_async import PanelClient

    panel = _panel(DIALECTS[name])
    async with (
        httpx.AsyncClient(transport=panel.transport()) as http,
        PanelClient(IN_PROCESS_URL, "not-the-key", http_client=http) as client,
    ):
        with pytest.raises(PanelAuthError):
            await client.balance()


async def test_cap_reject_lowers_chunk_size() -> None:
    """A panel that rejects over 30 IDs makes the client halve and keep the chunk."""
    async with connect(_panel(Dialect(max_ids=30))) as client:
        result = await client.statuses(range(1, 251))
        chunk_size = client.chunk_size

    assert len(result.succeeded) == 250
    assert chunk_size <= 30


async def test_cap_truncate_resends_reads() -> None:
    """A panel that silently cuts reads at 50 IDs gets the rest resent."""
    async with connect(_panel(Dialect(max_ids=50, over_max_ids="truncate"))) as client:
        result = await client.statuses(range(1, 101))
        chunk_size = client.chunk_size

    assert len(result) == 100
    assert len(result.succeeded) == 100
    assert chunk_size == 50


async def test_cap_truncate_never_resends_writes() -> None:
    """Cancels cut off by the panel get an error each and are not sent again."""
    panel = _panel(Dialect(max_ids=2, over_max_ids="truncate"))
    async with connect(panel) as client:
        result = await client.cancel([424241, 424242, 424243, 424244])

    assert len(result.failed) == 4
    assert panel.requests["cancel"] == 1


@pytest.mark.parametrize("status", [403, 503])
async def test_cloudflare_page_is_html_error(status: int) -> None:
    """A challenge page raises PanelHTMLResponseError naming the HTTP status."""
    async with connect(_panel(Dialect.cloudflare(status))) as client:
        with pytest.raises(PanelHTMLResponseError, match=str(status)):
            await client.balance()


async def test_challenge_page_never_retried_or_ambiguous() -> None:
    """A 503 challenge page is raised after one request, for a read and a write."""
    panel = _panel(Dialect.cloudflare(503))
    async with connect(panel) as client:
        with pytest.raises(PanelHTMLResponseError):
            await client.balance()
        with pytest.raises(PanelHTMLResponseError):
            await client.add(service=1, link="https://x.test/c", quantity=100)

    assert panel.requests["balance"] == 1
    assert panel.requests["add"] == 1
    assert panel.orders_created == 0


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_redirect_not_followed(status: int) -> None:
    """A redirect raises PanelRedirectError naming the target, and is not followed."""
    panel = _panel(Dialect.moved(status))
    async with connect(panel) as client:
        with pytest.raises(PanelRedirectError) as caught:
            await client.balance()

    assert caught.value.location is not None
    assert caught.value.location.endswith("/api/v2/")
    assert sum(panel.requests.values()) == 1


def test_dialect_table_covers_presets() -> None:
    """The table exercises every preset the simulator offers."""
    presets = {"standard", "numeric", "sloppy", "terse"}

    assert presets <= set(DIALECTS)


async def _unused(client: PanelClient) -> None:  # pragma: no cover
    """Keep the PanelClient import used for type checking."""
