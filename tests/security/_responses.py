"""Hypothesis strategies for hostile panel responses: bytes, odd JSON, odd headers."""

from __future__ import annotations

import gzip
import json

import attrs
import httpx
from hypothesis import strategies as st

# Field names the readers look for, so that random objects reach deep into them.
FIELD_NAMES = (
    "error", "status", "message", "msg", "charge", "start_count", "remains",
    "currency", "order", "orders", "refill", "refills", "cancel", "balance",
    "service", "name", "rate", "min", "max", "type", "category", "dripfeed",
    "services", "data", "result", "1", "2", "3",
)  # fmt: skip
WORDS = (
    "Pending", "In progress", "Completed", "Partial", "Canceled", "Error", "error",
    "fail", "Invalid API key", "Incorrect order ID", "Not enough funds on balance",
    "Too many orders, max 1", "Rate limit exceeded", "1", "0", "", "Unknown", "ok",
)  # fmt: skip
ODD_NUMBERS = (
    "NaN", "Infinity", "-Infinity", "1e999999", "1E+999999", "-1e-999999", "1e400",
    "0.1e-5", "-0", "1.0", "4.2E+1",
)  # fmt: skip
INVALID_UTF8 = (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\x00")
STATUSES = (200, 400, 401, 403, 429, 500, 502, 503)
CONTENT_TYPES = (
    None,
    "application/json",
    "application/json; charset=utf-8",
    "text/html",
    "text/plain",
    "application/octet-stream",
)
CONTENT_ENCODINGS = (None, "gzip", "deflate", "br", "identity", "gzip, deflate")
RETRY_AFTERS = (None, "0", "1", "-1", "soon", "Wed, 21 Oct 2015 07:28:00 GMT")


def _array(items: list[str]) -> str:
    return "[" + ",".join(items) + "]"


def _object(pairs: list[tuple[str, str]]) -> str:
    return "{" + ",".join(f"{json.dumps(name)}:{value}" for name, value in pairs) + "}"


def _with_byte(text: str, at: int, byte: bytes) -> bytes:
    data = text.encode()
    at = at % (len(data) + 1)
    return data[:at] + byte + data[at:]


number_texts = st.one_of(
    st.integers().map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(ODD_NUMBERS),
    # Drawing thousands of digits one by one is slow, so long numbers repeat one.
    st.builds(str.__mul__, st.sampled_from("123456789"), st.integers(300, 5000)),
)
scalar_texts = st.one_of(
    st.sampled_from(["null", "true", "false"]),
    number_texts,
    number_texts.map(json.dumps),
    st.sampled_from(WORDS).map(json.dumps),
    st.text(max_size=20).map(json.dumps),
)
json_texts = st.recursive(
    scalar_texts,
    lambda children: st.one_of(
        st.lists(children, max_size=5).map(_array),
        st.lists(
            st.tuples(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), children),
            max_size=6,
        ).map(_object),
    ),
    max_leaves=25,
)
deep_texts = st.one_of(
    st.integers(1, 100_000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 3_000).map(lambda depth: '{"error":' * depth + "1" + "}" * depth),
    st.integers(1, 100_000).map(lambda depth: "[" * depth),
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_texts.map(str.encode),
    deep_texts.map(str.encode),
    st.builds(
        _with_byte, json_texts, st.integers(0, 1000), st.sampled_from(INVALID_UTF8)
    ),
)


@attrs.frozen
class CannedResponse:
    """One HTTP response: status, headers and body, possibly gzip-compressed."""

    status: int
    body: bytes
    content_type: str | None
    content_encoding: str | None
    compressed: bool
    retry_after: str | None

    def respond(self, request: httpx.Request) -> httpx.Response:
        """Return this response to any request, as a stream that httpx has not read."""
        headers = {}
        if self.content_type is not None:
            headers["content-type"] = self.content_type
        if self.content_encoding is not None:
            headers["content-encoding"] = self.content_encoding
        if self.retry_after is not None:
            headers["retry-after"] = self.retry_after
        body = gzip.compress(self.body) if self.compressed else self.body
        return httpx.Response(
            self.status, headers=headers, stream=httpx.ByteStream(body)
        )


canned_responses = st.builds(
    CannedResponse,
    status=st.sampled_from(STATUSES),
    body=bodies,
    content_type=st.sampled_from(CONTENT_TYPES),
    content_encoding=st.sampled_from(CONTENT_ENCODINGS),
    compressed=st.booleans(),
    retry_after=st.sampled_from(RETRY_AFTERS),
)
