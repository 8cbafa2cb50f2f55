"""The seven API v2 actions, run against a ledger and written in a dialect."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from panel_async.testing._dialect import Dialect
from panel_async.testing._ledger import Ledger, parse_id
from panel_async.testing._outcomes import ActionError, Failure
from panel_async.testing._records import Refill
from panel_async.testing._render import PerId, Renderer
from panel_async.testing._responses import Response
from panel_async.testing._validate import validate_add

__all__ = ["ACTIONS", "Actions", "error_response"]

ACTIONS = ("services", "add", "status", "refill", "refill_status", "cancel", "balance")

Form = Mapping[str, str]


def error_response(dialect: Dialect, error: ActionError) -> Response:
    """Write a request-level error in the dialect's body shape and HTTP status."""
    if dialect.error_body == "error":
        payload: dict[str, str] = {"error": error.message}
    else:
        word = "error" if dialect.error_body == "status_error" else "fail"
        payload = {"status": word, "message": error.message}
    status = dialect.error_status
    if error.kind == "key" and dialect.key_error_status is not None:
        status = dialect.key_error_status

    return Response.json(payload, status=status)


class Actions:
    """The dispatcher that runs one action and returns its JSON payload.

    Raises:
        ActionError: for a request-level error, which the caller writes out with
            `error_response`.
    """

    def __init__(self, ledger: Ledger, renderer: Renderer, max_ids: int) -> None:
        self.ledger = ledger
        self.renderer = renderer
        self.dialect = renderer.dialect
        self.max_ids = self.dialect.max_ids or max_ids
        self._handlers: dict[str, Callable[[Form, float], Any]] = {
            "services": self.services,
            "add": self.add,
            "status": self.status,
            "refill": self.refill,
            "refill_status": self.refill_status,
            "cancel": self.cancel,
            "balance": self.balance,
        }

    def run(self, action: str, form: Form, now: float) -> Any:
        """Run `action` at time `now` and return the payload to send."""
        handler = self._handlers.get(action)
        if handler is None:
            raise ActionError("Incorrect request")
        self.ledger.settle(now)

        return handler(form, now)

    def services(self, form: Form, now: float) -> Any:
        entries = [self.renderer.service(s) for s in self.ledger.services.values()]

        return {"services": entries} if self.dialect.services_wrapped else entries

    def balance(self, form: Form, now: float) -> Any:
        return {
            "balance": self.renderer.money(self.ledger.balance),
            "currency": self.renderer.currency,
        }

    def add(self, form: Form, now: float) -> Any:
        service_id = parse_id(form.get("service", ""))
        service = None if service_id is None else self.ledger.services.get(service_id)
        if service is None:
            raise ActionError("Incorrect service ID")
        order = self.ledger.place(service, validate_add(service, form), now)

        return {"order": self.renderer.identifier(order.order_id)}

    def status(self, form: Form, now: float) -> Any:
        texts, single = self._requested(form, "order", "orders")
        results = [(text, self.ledger.order_status(text, now)) for text in texts]
        if self._single_shape(single, results):
            return self.renderer.order_status(_unwrap(results[0][1]))

        return self.renderer.keyed(results, self.renderer.order_status)

    def refill(self, form: Form, now: float) -> Any:
        texts, single = self._requested(form, "order", "orders")
        results = [(text, self.ledger.request_refill(text, now)) for text in texts]
        if self._single_shape(single, results):
            refill_id = self.renderer.identifier(
                _unwrap(results[0][1]), string_in_document=True
            )
            return self._with_extra_keys({"refill": refill_id})

        def write(refill_id: int) -> dict[str, Any]:
            return self._with_extra_keys(
                {"refill": self.renderer.identifier(refill_id)}
            )

        return self.renderer.listed(results, "order", "refill", write)

    def refill_status(self, form: Form, now: float) -> Any:
        texts, single = self._requested(form, "refill", "refills")
        results = [(text, self.ledger.refill_status(text, now)) for text in texts]

        def write(refill: Refill) -> dict[str, Any]:
            return {"status": self.renderer.word(refill.state_at(now))}

        if self._single_shape(single, results):
            return write(_unwrap(results[0][1]))

        return self.renderer.listed(results, "refill", "status", write)

    def cancel(self, form: Form, now: float) -> Any:
        # The document has no single form of cancel: only `orders` is read.
        texts, _ = self._requested(form, None, "orders")
        results = [(text, self.ledger.cancel(text, now)) for text in texts]
        shape = self.dialect.cancel_shape
        if len(results) == 1 and (shape == "single" or self.dialect.single_for_one_id):
            _unwrap(results[0][1])
            return {"cancel": 1}
        if shape == "map":
            return self.renderer.keyed(results, lambda _: "success")

        return self.renderer.listed(results, "order", "cancel", lambda _: {"cancel": 1})

    def _requested(
        self, form: Form, one: str | None, many: str
    ) -> tuple[list[str], bool]:
        """Return the requested IDs and whether the request used the single field."""
        noun = "refill" if many == "refills" else "order"
        if many in form:
            texts = [part.strip() for part in form[many].split(",") if part.strip()]
            single = False
        elif one is not None and one in form:
            texts, single = [form[one].strip()], True
        else:
            texts, single = [], False
        if not texts:
            raise ActionError(
                "Refill not found" if noun == "refill" else "Incorrect order ID"
            )
        if len(texts) > self.max_ids:
            if self.dialect.over_max_ids == "reject":
                raise ActionError(f"Too many {noun}s, max {self.max_ids}")
            texts = texts[: self.max_ids]

        return texts, single

    def _single_shape(self, single: bool, results: Sequence[PerId]) -> bool:
        if single:
            return not self.dialect.keyed_for_single

        return len(results) == 1 and self.dialect.single_for_one_id

    def _with_extra_keys(self, entry: dict[str, Any]) -> dict[str, Any]:
        if self.dialect.refill_extra_keys:
            entry["success"] = "Refill request has been received"

        return entry


def _unwrap(result: Any) -> Any:
    """Return a single-shape result, raising a Failure as a request-level error."""
    if isinstance(result, Failure):
        raise ActionError(result.message)

    return result
