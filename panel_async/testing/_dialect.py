"""Dialects: switches for the ways real panels depart from the API v2 document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = [
    "BooleanStyle",
    "CancelShape",
    "Dialect",
    "ErrorBody",
    "IdErrorStyle",
    "IdStyle",
    "NumberStyle",
    "OverMaxIds",
    "PendingStartCount",
    "Redirect",
    "StatusCase",
]

NumberStyle = Literal["string", "number", "float", "mixed"]
BooleanStyle = Literal["bool", "int", "string", "omit"]
IdStyle = Literal["document", "int", "string"]
StatusCase = Literal["standard", "lower", "snake", "upper"]
IdErrorStyle = Literal["value", "entry", "missing"]
CancelShape = Literal["list", "map", "single"]
ErrorBody = Literal["error", "status_error", "status_fail"]
OverMaxIds = Literal["reject", "truncate"]
Redirect = Literal["slash", "https"]
PendingStartCount = Literal["zero", "empty", "null", "unknown"]

StatusWords = tuple[tuple[str, str], ...]


def _freeze_words(words: Mapping[str, str] | StatusWords) -> StatusWords:
    pairs = words.items() if isinstance(words, Mapping) else words

    return tuple(sorted(pairs))


def _check_error_status(
    instance: Dialect, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    if value is not None and value != 200 and not 400 <= value <= 499:
        raise ValueError(f"{attribute.name} must be 200 or a 4xx code, got {value}")


def _check_challenge_status(
    instance: Dialect, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    if value is not None and not 200 <= value <= 599:
        raise ValueError(f"challenge_status must be an HTTP status, got {value}")


@attrs.frozen
class Dialect:
    """How the simulated panel writes its responses; the defaults follow the document.

    Every switch is independent:

    - `numbers`: "string" sends `"3572"` and `"0.27819"`; "number" sends counts as
      JSON integers and money as JSON numbers; "float" sends every number as a JSON
      float (`3572.0`); "mixed" picks one of the three per value, from a seeded
      random generator.
    - `booleans`: `true`/`false` ("bool"), `1`/`0` ("int"), `"1"`/`"0"` ("string"),
      or no `refill`, `cancel` and `dripfeed` keys at all ("omit").
    - `ids`: "document" sends IDs as the document's examples do (numbers, except the
      refill ID of a single refill, which is a string); "int" and "string" send every
      ID in that form.
    - `status_words` replaces canonical status words (such as `{"Canceled":
      "Cancelled", "Pending": "Awaiting", "Failed": "Error"}`) and then `status_case`
      writes them as they are, in lower case, in snake_case or in upper case.
    - `single_for_one_id` uses the single shape for a multi request of one ID.
      `keyed_for_single` uses the multi shape for a single request.
    - `id_errors`: a per-ID error is `{"error": ...}` in place of the value
      ("value"), an `{"order": 3, "error": ...}` entry ("entry"), or the ID is left out
      of the response ("missing").
    - `cancel_shape`: the document's list, a map of ID to a word such as
      `{"2": "success"}` ("map"), or
      `{"cancel": 1}` for a request of one ID ("single"; longer requests still get a
      list).
    - `refill_extra_keys` adds `"success": "..."` to each accepted refill.
    - `services_wrapped` sends `{"services": [...]}`, and `service_extra_fields` adds
      `dripfeed`, `desc` and `average_time` to each service.
    - `error_body`: `{"error": msg}`, `{"status": "error", "message": msg}` or
      `{"status": "fail", "message": msg}`. `error_status` is the HTTP status of
      request-level errors (200 or a 4xx code); `key_error_status` overrides it for
      a bad API key. `key_error_message` is the wording for a bad API key.
    - `max_ids` replaces the panel's cap on IDs per multi request, and
      `over_max_ids` either rejects a longer request ("Too many orders, max 50") or
      silently handles only the first `max_ids` IDs ("truncate").
    - `redirect` responds with `redirect_status` and a Location: "slash" sends requests
      whose path lacks a trailing slash to the same URL with one (and serves that
      URL), "https" sends every request to the same URL over https.
    - `challenge_status` responds to every request with a Cloudflare-like HTML challenge
      page and a `cf-mitigated: challenge` header, with that HTTP status.
    - `pending_start_count` is the `start_count` of a Pending order: `"0"`
      ("zero"), `""` ("empty"), `null` ("null") or `"Unknown"` ("unknown").
    """

    numbers: NumberStyle = "string"
    booleans: BooleanStyle = "bool"
    ids: IdStyle = "document"
    status_words: StatusWords = attrs.field(default=(), converter=_freeze_words)
    status_case: StatusCase = "standard"
    single_for_one_id: bool = False
    keyed_for_single: bool = False
    id_errors: IdErrorStyle = "value"
    cancel_shape: CancelShape = "list"
    refill_extra_keys: bool = False
    services_wrapped: bool = False
    service_extra_fields: bool = False
    error_body: ErrorBody = "error"
    error_status: int = attrs.field(default=200, validator=_check_error_status)
    key_error_status: int | None = attrs.field(
        default=None, validator=_check_error_status
    )
    key_error_message: str = "Invalid API key"
    max_ids: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(1))
    )
    over_max_ids: OverMaxIds = "reject"
    redirect: Redirect | None = None
    redirect_status: int = attrs.field(
        default=301, validator=attrs.validators.in_((301, 302, 307, 308))
    )
    challenge_status: int | None = attrs.field(
        default=None, validator=_check_challenge_status
    )
    pending_start_count: PendingStartCount = "zero"

    @classmethod
    def standard(cls) -> Dialect:
        """Return the dialect of the API v2 document."""
        return cls()

    @classmethod
    def numeric(cls) -> Dialect:
        """Return a dialect with JSON numbers, `1`/`0` booleans and integer IDs."""
        return cls(numbers="number", booleans="int", ids="int")

    @classmethod
    def sloppy(cls) -> Dialect:
        """Return a dialect that departs from the document in most switches at once.

        Mixed number types, `"1"`/`"0"` booleans, string IDs, snake_case status
        words with "Cancelled", "Awaiting" and "Error", the single shape for one ID,
        per-ID errors as entries, cancel responses as a map, wrapped services with
        extra fields, an empty `start_count` for Pending orders, and
        `{"status": "error", "message": ...}` errors with HTTP 400 (401 and
        "Incorrect API key" for a bad key).
        """
        return cls(
            numbers="mixed",
            booleans="string",
            ids="string",
            status_words={
                "Canceled": "Cancelled",
                "Pending": "Awaiting",
                "Failed": "Error",
            },
            status_case="snake",
            single_for_one_id=True,
            id_errors="entry",
            cancel_shape="map",
            refill_extra_keys=True,
            services_wrapped=True,
            service_extra_fields=True,
            error_body="status_error",
            error_status=400,
            key_error_status=401,
            key_error_message="Incorrect API key",
            pending_start_count="empty",
        )

    @classmethod
    def terse(cls, max_ids: int = 50) -> Dialect:
        """Return a dialect that leaves things out.

        No boolean keys in services, IDs with errors left out of multi responses,
        `{"cancel": 1}` for one ID, multi requests silently cut to `max_ids` IDs,
        the keyed shape for single requests, and "invalid_api_key" with
        `{"status": "fail", "message": ...}` bodies.
        """
        return cls(
            booleans="omit",
            id_errors="missing",
            cancel_shape="single",
            keyed_for_single=True,
            max_ids=max_ids,
            over_max_ids="truncate",
            error_body="status_fail",
            key_error_message="invalid_api_key",
            pending_start_count="null",
        )

    @classmethod
    def cloudflare(cls, status: int = 503) -> Dialect:
        """Return a dialect that sends an HTML challenge page for every request."""
        return cls(challenge_status=status)

    @classmethod
    def moved(cls, status: int = 301) -> Dialect:
        """Return a dialect that redirects paths without a trailing slash."""
        return cls(redirect="slash", redirect_status=status)

    def status_word(self, canonical: str) -> str:
        """Return how this dialect spells a canonical order or refill status word."""
        word = dict(self.status_words).get(canonical, canonical)
        if self.status_case == "lower":
            return word.lower()
        if self.status_case == "snake":
            return word.lower().replace(" ", "_")
        if self.status_case == "upper":
            return word.upper()

        return word
