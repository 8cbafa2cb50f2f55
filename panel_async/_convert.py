"""Reading decoded answers into models, for every action and every answer shape.

One cattrs converter structures the models, with lenient hooks for the value kinds
panels send. The multi-ID readers return a value or a PanelError for every requested
ID, whatever shape the panel chose: keyed by ID, a list of entries, or the single shape
for a one-ID request. Nothing here does I/O.
"""

from __future__ import annotations

__all__ = [
    "converter",
    "error_message_of",
    "read_balance",
    "read_cancels",
    "read_order_id",
    "read_order_status",
    "read_order_statuses",
    "read_refill_id",
    "read_refill_status",
    "read_refill_statuses",
    "read_refills",
    "read_services",
]

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from ._errors import PanelError, PanelMissingIDError, PanelResponseError
from ._messages import classify_error, fold_message
from ._models import Balance, OrderStatus, RefillStatus, Service
from ._values import read_bool, read_decimal, read_id, read_int, read_text

T = TypeVar("T")

converter = cattrs.Converter(detailed_validation=False)


def _register_value_hooks(conv: cattrs.Converter) -> None:
    def exact(value: object, _: object) -> Decimal:
        number = read_decimal(value)
        if number is None:
            raise ValueError(f"expected a number, got {value!r:.40}")
        return number

    conv.register_structure_hook(Decimal, exact)
    # The readers take cattrs' (value, type) arguments, so they register without a
    # wrapper; these hooks run for every field of millions of statuses.
    conv.register_structure_hook_func(lambda t: t == (Decimal | None), read_decimal)
    conv.register_structure_hook_func(lambda t: t == (int | None), read_int)
    conv.register_structure_hook_func(lambda t: t == (bool | None), read_bool)
    conv.register_structure_hook_func(
        lambda t: t == (str | None), lambda v, _: None if v is None else read_text(v)
    )
    conv.register_structure_hook(str, read_text)
    conv.register_structure_hook_func(lambda t: t == (int | str), read_id)


_register_value_hooks(converter)
attrs.resolve_types(Service)
attrs.resolve_types(Balance)
attrs.resolve_types(OrderStatus)
attrs.resolve_types(RefillStatus)

_SERVICE_FIELDS = frozenset(
    {"service", "name", "type", "category", "rate", "min", "max", "refill", "cancel",
     "dripfeed"}
)  # fmt: skip
_structure_service = make_dict_structure_fn(
    Service,
    converter,
    id=override(rename="service"),
    extra=override(omit=True),
)
_structure_balance = make_dict_structure_fn(
    Balance, converter, amount=override(rename="balance")
)
_structure_order_status = make_dict_structure_fn(
    OrderStatus, converter, raw_status=override(rename="status")
)
_structure_refill_status = make_dict_structure_fn(
    RefillStatus, converter, raw_status=override(rename="status")
)

# Fields that only an order status carries; an answer with any of them is a status
# even when its word is "Error".
_ORDER_FIELDS = ("charge", "start_count", "remains")
_ERROR_STATUS_WORDS = frozenset({"error", "fail", "failed"})
_MESSAGE_FIELDS = ("message", "msg", "error_message")
_ERROR_KEYS = frozenset({"error", *_MESSAGE_FIELDS})
_LIST_WRAPPERS = ("services", "data", "result", "results", "response")
# Characters of a panel's message that are kept and classified. Real messages are
# under 100. The classifier's patterns take time cubic in the length, so a hostile
# message of a few thousand characters would block the event loop for seconds.
_MAX_MESSAGE_CHARS = 200
# Exceptions that a malformed answer can raise inside the readers.
_SHAPE_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    ArithmeticError,
    cattrs.BaseValidationError,
)


def error_message_of(answer: object) -> str | None:
    """Return the error message an answer object carries, or None if it is no error.

    Recognises `{"error": ...}` and `{"status": "error" | "fail", "message": ...}`. An
    order status whose word is "Error" carries order fields and is not an error.
    """
    if not isinstance(answer, dict):
        return None
    error = answer.get("error")
    if error not in (None, "", False, 0):
        return _message_text(error)

    if not any(k in answer for k in _MESSAGE_FIELDS):
        return None
    status = answer.get("status")
    if (
        isinstance(status, str)
        and fold_message(status) in _ERROR_STATUS_WORDS
        and not any(k in answer for k in _ORDER_FIELDS)
    ):
        return _message_text(
            answer.get("message") or answer.get("msg") or answer.get("error_message")
        )
    return None


def _message_text(value: object) -> str:
    if isinstance(value, str):
        return value[:_MAX_MESSAGE_CHARS]
    if isinstance(value, dict):
        inner = value.get("message") or value.get("error")
        if inner is not None:
            return _message_text(inner)
    return str(value)[:_MAX_MESSAGE_CHARS]


def _shape_error(action: str, what: str) -> PanelResponseError:
    return PanelResponseError(
        f"unexpected response to {action!r}: {what}", action=action
    )


def _structured(
    action: str, structure: Callable[[Any, Any], T], entry: object, cls: type[T]
) -> T:
    if not isinstance(entry, dict):
        raise _shape_error(action, f"expected an object, got {type(entry).__name__}")
    try:
        return structure(entry, cls)
    except _SHAPE_ERRORS as exc:
        raise _shape_error(action, str(exc) or type(exc).__name__) from exc


def read_services(answer: object) -> list[Service]:
    """Read the catalogue, a list or one wrapped as `{"services": [...]}`."""
    entries = _unwrap_list(answer)
    if entries is None:
        raise _shape_error("services", "expected a list of services")

    services = []
    for entry in entries:
        service = _structured("services", _structure_service, entry, Service)
        assert isinstance(entry, dict)  # checked by _structured
        extra = {k: v for k, v in entry.items() if k not in _SERVICE_FIELDS}
        if extra:
            service = attrs.evolve(service, extra=extra)
        services.append(service)
    return services


def _unwrap_list(answer: object) -> list[object] | None:
    if isinstance(answer, list):
        return answer
    if isinstance(answer, dict):
        for name in _LIST_WRAPPERS:
            inner = answer.get(name)
            if isinstance(inner, list):
                return inner
    return None


def read_balance(answer: object) -> Balance:
    """Read the answer to `balance`."""
    return _structured("balance", _structure_balance, answer, Balance)


def read_order_id(answer: object) -> int | str:
    """Read the answer to `add`: the new order's ID."""
    return _read_issued_id("add", answer, ("order", "order_id", "id"))


def read_refill_id(answer: object, key: str) -> int | str:
    """Read the answer to a one-order `refill` for order `key`: the refill's ID."""
    value = read_refills(answer, [key])[key]
    if isinstance(value, PanelError):
        raise value
    return value


def _read_issued_id(action: str, answer: object, names: Sequence[str]) -> int | str:
    if isinstance(answer, dict):
        for name in names:
            if name in answer:
                try:
                    return read_id(answer[name])
                except ValueError as exc:
                    raise _shape_error(action, str(exc)) from exc
    raise _shape_error(action, f"no {names[0]!r} field with the new ID")


def read_order_status(answer: object, key: str) -> OrderStatus:
    """Read the answer to a one-order `status` for order `key`, in any shape."""
    return _only(read_order_statuses(answer, [key]), key)


def read_refill_status(answer: object, key: str) -> RefillStatus:
    """Read the answer to a one-refill `refill_status` for refill `key`."""
    return _only(read_refill_statuses(answer, [key]), key)


def _only(values: Mapping[str, T | PanelError], key: str) -> T:
    value = values[key]
    if isinstance(value, PanelError):
        raise value
    return value


_CANCEL_OK_WORDS = frozenset(
    {"ok", "success", "successful", "done", "accepted", "canceled", "cancelled"}
)


def _key_text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        # read_id bounds the exponent: a JSON number such as 1e999999999 would
        # otherwise become a billion-digit int here.
        try:
            return str(read_id(value))
        except (ValueError, ArithmeticError):
            return None
    return None


def _entries_by_id(
    answer: object,
    keys: Sequence[str],
    action: str,
    id_field: str,
    single_fields: tuple[str, ...],
) -> Mapping[str, object]:
    """Map requested IDs to their raw entries, whatever the answer's shape."""
    if isinstance(answer, dict):
        for name in _LIST_WRAPPERS:
            if isinstance(answer.get(name), (list, dict)) and name not in keys:
                answer = answer[name]
                break

    if isinstance(answer, list):
        found: dict[str, object] = {}
        for entry in answer:
            if isinstance(entry, dict):
                key = _key_text(entry.get(id_field))
                if key is not None:
                    found.setdefault(key, entry)
        if not found and len(keys) == 1 and len(answer) == 1:
            return {keys[0]: answer[0]}
        return found

    if isinstance(answer, dict):
        is_single = any(name in answer for name in single_fields)
        if is_single and len(keys) == 1 and keys[0] not in answer:
            return {keys[0]: answer}
        return answer

    raise _shape_error(action, f"expected an object or a list, got {answer!r:.60}")


def _read_multi(
    answer: object,
    keys: Sequence[str],
    action: str,
    id_field: str,
    single_fields: tuple[str, ...],
    read_entry: Callable[[object], T],
) -> dict[str, T | PanelError]:
    found = _entries_by_id(answer, keys, action, id_field, single_fields)
    results: dict[str, T | PanelError] = {}
    for key in keys:
        if key not in found:
            results[key] = PanelMissingIDError(
                f"the panel's response to {action!r} left out ID {key}", action=action
            )
            continue
        try:
            results[key] = read_entry(found[key])
        except PanelError as exc:
            results[key] = exc
    return results


def _raise_if_error(entry: object, action: str, *inner_fields: str) -> None:
    message = error_message_of(entry)
    if message is None and isinstance(entry, dict):
        for name in inner_fields:
            message = error_message_of(entry.get(name))
            if message is not None:
                break
    if message is not None:
        raise classify_error(message, action=action)


def _order_status_entry(entry: object) -> OrderStatus:
    # Fast path for the common entry: no error keys and a plain status word.
    if not (
        isinstance(entry, dict)
        and entry.keys().isdisjoint(_ERROR_KEYS)
        and isinstance(entry.get("status"), str)
    ):
        _raise_if_error(entry, "status", "status")
    return _structured("status", _structure_order_status, entry, OrderStatus)


def read_order_statuses(
    answer: object, keys: Sequence[str]
) -> dict[str, OrderStatus | PanelError]:
    """Read a multi-order `status` answer into a status or an error for every key."""
    return _read_multi(
        answer,
        keys,
        "status",
        "order",
        ("status", "charge", "remains", "start_count", "error"),
        _order_status_entry,
    )


def _refill_status_entry(entry: object) -> RefillStatus:
    if isinstance(entry, str):
        entry = {"status": entry}
    _raise_if_error(entry, "refill_status", "status")
    return _structured("refill_status", _structure_refill_status, entry, RefillStatus)


def read_refill_statuses(
    answer: object, keys: Sequence[str]
) -> dict[str, RefillStatus | PanelError]:
    """Read a multi-refill `refill_status` answer into a value for every key."""
    return _read_multi(
        answer,
        keys,
        "refill_status",
        "refill",
        ("status", "error"),
        _refill_status_entry,
    )


def _refill_entry(entry: object) -> int | str:
    _raise_if_error(entry, "refill", "refill")
    value = (
        entry.get("refill", entry.get("refill_id"))
        if isinstance(entry, dict)
        else entry
    )
    try:
        return read_id(value)
    except ValueError as exc:
        raise _shape_error("refill", str(exc)) from exc


def read_refills(
    answer: object, keys: Sequence[str]
) -> dict[str, int | str | PanelError]:
    """Read a multi-order `refill` answer into a refill ID or an error for every key."""
    return _read_multi(
        answer, keys, "refill", "order", ("refill", "error"), _refill_entry
    )


def _cancel_entry(entry: object) -> bool:
    _raise_if_error(entry, "cancel", "cancel")
    value = entry.get("cancel") if isinstance(entry, dict) else entry
    if read_bool(value) is True:
        return True
    if isinstance(value, str) and fold_message(value) in _CANCEL_OK_WORDS:
        return True
    if isinstance(value, str) and value.strip():
        raise classify_error(value[:_MAX_MESSAGE_CHARS], action="cancel")
    raise _shape_error("cancel", f"the panel did not accept it ({value!r:.40})")


def read_cancels(answer: object, keys: Sequence[str]) -> dict[str, bool | PanelError]:
    """Read a `cancel` answer into True (accepted) or an error for every key.

    A single `{"cancel": 1}` answer to a request for several orders applies to each.
    """
    if (
        isinstance(answer, dict)
        and "cancel" in answer
        and not any(key in answer for key in keys)
    ):
        answer = {key: answer for key in keys}
    return _read_multi(
        answer, keys, "cancel", "order", ("cancel", "error"), _cancel_entry
    )
