"""The request layer: one form POST with the key and the action, limits and retries.

This is the only module that builds an HTTP request or sees the API key. It turns each
answer into decoded JSON or a classified error, and retries what is safe to retry:

- a failure before the request left the machine (connect error or timeout, pool
  timeout) or a 429 (the panel did not act on it) is retried for every action;
- a failure after the request may have reached the panel (read or write timeout,
  reset, 5xx, cut-off body) is retried only for reads; for `add`, `refill` and
  `cancel` it raises PanelAmbiguousOrderError, because sending again could charge twice;
- everything else (error answers, HTML challenge pages, redirects) is final.
"""

from __future__ import annotations

__all__ = ["Safety", "Transport"]

import email.utils
import enum
import ipaddress
import json
import logging
import ssl
import time
import urllib.parse
import zlib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, NoReturn

import httpx
import tenacity

from ._constants import DEFAULT_CONNECT_TIMEOUT
from ._convert import error_message_of
from ._errors import (
    PanelAmbiguousOrderError,
    PanelAPIError,
    PanelError,
    PanelHTMLResponseError,
    PanelInputError,
    PanelRateLimitError,
    PanelRedirectError,
    PanelResponseError,
    PanelTransportError,
)
from ._limits import Limiter
from ._messages import classify_error
from ._retry import RetryEvent, RetryPolicy

logger = logging.getLogger("panel_async.request")

_EXCERPT_CHARS = 160
_REDACTED = "[key redacted]"
# Form fields that the request layer sets; a field of the caller must not replace them.
_RESERVED_FIELDS = frozenset({"key", "action"})
# The content codings the client asks for. It inflates them itself, in bounded steps,
# and rejects any other coding.
_ACCEPT_ENCODING = "gzip, deflate"


class Safety(enum.Enum):
    """Whether an action may be sent again after it may have reached the panel."""

    READ = "read"  # services, balance, status, refill_status: no side effects
    WRITE = "write"  # add, refill, cancel: may charge or change orders


class _Failure(enum.Enum):
    NOT_SENT = "not sent"  # the panel surely did not act on the request
    MAYBE_SENT = "maybe sent"  # the panel may have acted on it
    FINAL = "final"  # retrying cannot help


class _AttemptFailed(Exception):
    """One attempt's failure, with when it happened; unwrapped after the retries."""

    def __init__(self, error: BaseException, kind: _Failure) -> None:
        super().__init__(str(error))
        self.error = error
        self.kind = kind
        self.retry_after = getattr(error, "retry_after", None)


_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAYBE_SENT_ERRORS = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    httpx.CloseError,
    httpx.DecodingError,  # an answer arrived, but httpx could not decompress it
)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Read a Retry-After header, in seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    # Seconds are short; an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT") is longer, so
    # a long value goes on to the date parser instead of being dropped.
    if len(value) < 20:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a valid number in a response")


class Transport:
    """Sends one action to the panel and returns its decoded JSON response."""

    def __init__(
        self,
        url: str,
        key: str,
        *,
        timeout: float | httpx.Timeout,
        retry: RetryPolicy,
        limiter: Limiter,
        max_response_bytes: int,
        http_client: httpx.AsyncClient | None,
        verify: bool = True,
        strict: bool = False,
    ) -> None:
        self._url = _checked_url(url, strict=strict)
        self._key = key
        self._key_forms = _key_forms(key)
        self._retry = retry
        self._limiter = limiter
        self._max_response_bytes = max_response_bytes
        if isinstance(timeout, httpx.Timeout):
            self._timeout = timeout
        else:
            self._timeout = httpx.Timeout(
                timeout, connect=min(timeout, DEFAULT_CONNECT_TIMEOUT)
            )
        self._owns_client = http_client is None
        if http_client is None:
            if not verify:
                logger.warning("TLS certificate verification is off for %s", self._url)
            # The limiter never has more requests in flight than max_concurrency, and
            # httpcore scans every pooled connection on each request, so a pool of
            # that size is enough and costs the least CPU.
            size = limiter.max_concurrency
            http_client = httpx.AsyncClient(
                verify=verify,
                follow_redirects=False,
                limits=httpx.Limits(
                    max_connections=size, max_keepalive_connections=size
                ),
            )
        self._client = http_client
        self.requests_sent = 0

    @property
    def url(self) -> str:
        """The panel's endpoint, without any user name or password it carried."""
        return str(self._url.copy_with(userinfo=b""))

    def __repr__(self) -> str:
        return f"<Transport url={self.url!r}>"

    async def aclose(self) -> None:
        """Close the HTTP client if this transport created it."""
        if self._owns_client:
            await self._client.aclose()

    async def post(
        self,
        action: str,
        fields: Mapping[str, str],
        *,
        safety: Safety,
        retry: RetryPolicy | None = None,
        id_count: int = 0,
    ) -> Any:
        """Send `action` with `fields`, retrying what `safety` allows; return the JSON.

        Raises the classified PanelError of the last attempt, PanelTransportError for a
        network failure, or PanelAmbiguousOrderError when a WRITE may have arrived.
        """
        reserved = sorted(_RESERVED_FIELDS & fields.keys())
        if reserved:
            raise PanelInputError(
                f"{action!r} cannot take a field named {reserved[0]!r}: the client "
                "sets the key and the action itself; remove that field"
            )
        policy = retry or self._retry
        ends_at = (
            None if policy.deadline is None else time.monotonic() + policy.deadline
        )
        retrying = tenacity.AsyncRetrying(
            stop=self._stop(policy),
            wait=self._wait(policy),
            retry=tenacity.retry_if_exception(lambda exc: _may_retry(exc, safety)),
            before_sleep=self._before_sleep(policy, action),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    number = attempt.retry_state.attempt_number
                    timeout = self._timeout_until(ends_at)
                    return await self._attempt(
                        action, fields, number, id_count, timeout
                    )
        except _AttemptFailed as failure:
            self._raise_final(failure, action, fields, safety)
        raise AssertionError("unreachable: tenacity returns or raises")

    def _raise_final(
        self,
        failure: _AttemptFailed,
        action: str,
        fields: Mapping[str, str],
        safety: Safety,
    ) -> NoReturn:
        error = failure.error
        if safety is Safety.WRITE and _may_have_acted(failure):
            raise PanelAmbiguousOrderError(
                f"{action!r} may have reached the panel, but its response was lost "
                f"({_describe(error)}); check for it before sending it again",
                action=action,
                fields=fields,
            ) from error
        if isinstance(error, PanelError):
            error.__suppress_context__ = True  # the wrapper is an internal detail
            raise error
        raise PanelTransportError(
            f"{action!r} failed: {_describe(error)}", action=action
        ) from error

    @staticmethod
    def _stop(policy: RetryPolicy) -> Callable[[tenacity.RetryCallState], bool]:
        def stop(state: tenacity.RetryCallState) -> bool:
            if state.attempt_number >= policy.attempts:
                return True
            retry_after = getattr(_failure_of(state), "retry_after", None)
            if retry_after is not None and retry_after > policy.max_wait:
                return True  # the panel asks for a longer pause than the policy allows
            if policy.deadline is None:
                return False
            elapsed = state.seconds_since_start or 0.0
            return elapsed + state.upcoming_sleep > policy.deadline

        return stop

    @staticmethod
    def _wait(policy: RetryPolicy) -> Callable[[tenacity.RetryCallState], float]:
        def wait(state: tenacity.RetryCallState) -> float:
            retry_after = getattr(_failure_of(state), "retry_after", None)
            return policy.backoff(state.attempt_number, retry_after)

        return wait

    @staticmethod
    def _before_sleep(
        policy: RetryPolicy, action: str
    ) -> Callable[[tenacity.RetryCallState], None]:
        def log_retry(state: tenacity.RetryCallState) -> None:
            failure = _failure_of(state)
            cause = failure.error if isinstance(failure, _AttemptFailed) else failure
            logger.warning(
                "retrying %s in %.2fs after attempt %d failed: %s",
                action,
                state.upcoming_sleep,
                state.attempt_number,
                _describe(cause),
                extra={
                    "action": action,
                    "attempt": state.attempt_number,
                    "wait": state.upcoming_sleep,
                },
            )
            if policy.on_retry is not None and cause is not None:
                event = RetryEvent(
                    action, state.attempt_number, state.upcoming_sleep, cause
                )
                policy.on_retry(event)

        return log_retry

    def _timeout_until(self, ends_at: float | None) -> httpx.Timeout:
        """Shorten each phase's timeout so that an attempt ends by the deadline."""
        if ends_at is None:
            return self._timeout
        remaining = max(ends_at - time.monotonic(), 0.001)
        phases = self._timeout.as_dict()
        capped = {
            name: remaining if value is None else min(value, remaining)
            for name, value in phases.items()
        }
        return httpx.Timeout(**capped)

    async def _attempt(
        self,
        action: str,
        fields: Mapping[str, str],
        attempt: int,
        id_count: int,
        timeout: httpx.Timeout,
    ) -> Any:
        data = {"key": self._key, "action": action, **fields}
        clock = time.perf_counter()
        async with self._limiter.slot() as started:
            self.requests_sent += 1
            try:
                async with self._client.stream(
                    "POST",
                    self._url,
                    data=data,
                    headers={"accept-encoding": _ACCEPT_ENCODING},
                    timeout=timeout,
                    follow_redirects=False,
                ) as response:
                    body = await self._read_body(response, action)
            except (
                httpx.TransportError,
                httpx.StreamError,
                httpx.DecodingError,
            ) as exc:
                kind = _network_failure_kind(exc)
                logger.debug(
                    "POST %s ids=%d failed after %.3fs attempt=%d: %s",
                    action, id_count, time.perf_counter() - clock, attempt,
                    type(exc).__name__,
                )  # fmt: skip
                raise _AttemptFailed(exc, kind) from exc

            logger.debug(
                "POST %s ids=%d status=%d duration=%.3fs attempt=%d",
                action, id_count, response.status_code, time.perf_counter() - clock,
                attempt,
            )  # fmt: skip
            try:
                answer = self._decode(response, body, action)
            except _AttemptFailed as failure:
                if isinstance(failure.error, PanelRateLimitError):
                    self._limiter.note_rate_limited(started, failure.retry_after)
                raise
            self._limiter.note_success()
            return answer

    async def _read_body(self, response: httpx.Response, action: str) -> bytes:
        """Read the body, stopping at `max_response_bytes` so memory stays bounded.

        The raw bytes are inflated here, at most the remaining allowance at a time,
        because httpx inflates each network chunk whole: 64 KiB of gzip can become
        64 MiB in one step.
        """
        limit = self._max_response_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _AttemptFailed(self._too_large(action, response), _Failure.FINAL)

        try:
            body = response.content  # in-memory transports hand over a read body
        except httpx.ResponseNotRead:
            pass
        else:
            if len(body) > limit:
                raise _AttemptFailed(self._too_large(action, response), _Failure.FINAL)
            return body

        inflater = self._inflater(response, action)
        chunks: list[bytes] = []
        size = 0
        try:
            async for raw in response.aiter_raw():
                pending = raw
                while pending:
                    chunk, pending = inflater.feed(pending, limit - size + 1)
                    size += len(chunk)
                    if size > limit:
                        raise _AttemptFailed(
                            self._too_large(action, response), _Failure.FINAL
                        )
                    chunks.append(chunk)
            rest = inflater.flush()
        except zlib.error as exc:
            raise self._unreadable(response, action, f"is corrupt ({exc})") from exc
        if size + len(rest) > limit:
            raise _AttemptFailed(self._too_large(action, response), _Failure.FINAL)
        chunks.append(rest)
        return b"".join(chunks)

    def _inflater(self, response: httpx.Response, action: str) -> _Inflater:
        header = response.headers.get("content-encoding", "")
        codings = [c.strip().lower() for c in header.split(",")]
        codings = [c for c in codings if c not in ("", "identity")]
        if not codings:
            return _Inflater(None)
        if len(codings) == 1 and codings[0] in _ZLIB_WBITS:
            return _Inflater(codings[0])
        raise self._unreadable(
            response,
            action,
            f"uses content-encoding {header[:40]!r}, which the client cannot read",
        )

    def _unreadable(
        self, response: httpx.Response, action: str, what: str
    ) -> _AttemptFailed:
        status = response.status_code
        error = PanelResponseError(
            f"the response to {action!r} (HTTP {status}) {what}",
            action=action,
            status_code=status,
        )
        # Like a cut-off body: the panel may have run the action before answering.
        kind = _Failure.FINAL if 400 <= status < 500 else _Failure.MAYBE_SENT
        return _AttemptFailed(error, kind)

    def _too_large(self, action: str, response: httpx.Response) -> PanelResponseError:
        return PanelResponseError(
            f"the response to {action!r} is larger than max_response_bytes="
            f"{self._max_response_bytes}; raise the limit if the panel is trusted",
            action=action,
            status_code=response.status_code,
        )

    def _decode(self, response: httpx.Response, body: bytes, action: str) -> Any:
        """Return the decoded answer, or raise _AttemptFailed classified by kind."""
        body = self._redact_body(body)
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if 300 <= status < 400:
            location = self._redact(response.headers.get("location", ""))
            error: PanelError = PanelRedirectError(
                f"the panel responded to {action!r} with a redirect (HTTP {status}) to "
                f"{location or 'an unnamed URL'}; redirects are not followed, so use "
                "that URL as the client's url if you trust it",
                action=action,
                status_code=status,
                location=location or None,
            )
            raise _AttemptFailed(error, _Failure.FINAL)

        if _looks_like_html(response, body):
            raise self._html_failure(response, body, action, retry_after)

        try:
            answer = json.loads(
                body, parse_float=Decimal, parse_constant=_reject_constant
            )
        except (ValueError, RecursionError) as exc:
            raise self._undecodable(status, body, action, retry_after) from exc

        message = error_message_of(answer)
        if message is not None:
            api_error = classify_error(
                self._redact(message),
                action=action,
                status_code=status,
                retry_after=retry_after,
            )
            raise _AttemptFailed(api_error, _api_failure_kind(api_error, status))

        if status == 429 or status >= 400:
            raise self._undecodable(status, body, action, retry_after)
        return answer

    def _html_failure(
        self,
        response: httpx.Response,
        body: bytes,
        action: str,
        retry_after: float | None,
    ) -> _AttemptFailed:
        status = response.status_code
        if status == 429:
            return self._undecodable(status, body, action, retry_after)
        challenge = response.headers.get("cf-mitigated", "").lower() == "challenge"
        what = "a firewall challenge page" if challenge else "an HTML page"
        if status >= 500 and not challenge:
            advice = "the panel's server or its proxy failed; try again later"
        else:
            advice = "check the URL, or whether a firewall blocks this machine"
        error = PanelHTMLResponseError(
            f"the panel responded to {action!r} with {what} (HTTP {status}) instead of "
            f"JSON; {advice}",
            action=action,
            status_code=status,
            excerpt=self._excerpt(body),
        )
        # A challenge page comes from the firewall in front of the panel, so the
        # request never reached the panel, and retrying it cannot pass the challenge.
        maybe_sent = status >= 500 and not challenge
        kind = _Failure.MAYBE_SENT if maybe_sent else _Failure.FINAL
        return _AttemptFailed(error, kind)

    def _undecodable(
        self, status: int, body: bytes, action: str, retry_after: float | None
    ) -> _AttemptFailed:
        if status == 429:
            error: PanelError = PanelRateLimitError(
                f"the panel rate-limited {action!r} (HTTP 429)",
                action=action,
                status_code=status,
                retry_after=retry_after,
            )
            return _AttemptFailed(error, _Failure.NOT_SENT)

        error = PanelResponseError(
            f"the response to {action!r} (HTTP {status}) is not valid JSON or not of "
            "the expected shape",
            action=action,
            status_code=status,
            excerpt=self._excerpt(body),
        )
        # A cut-off body or a 5xx may follow an action the panel did run.
        kind = _Failure.FINAL if 400 <= status < 500 else _Failure.MAYBE_SENT
        return _AttemptFailed(error, kind)

    def _excerpt(self, body: bytes) -> str:
        text = body[: _EXCERPT_CHARS * 4].decode("utf-8", "replace")
        return self._redact(" ".join(text.split()))[:_EXCERPT_CHARS]

    def _redact(self, text: str) -> str:
        """Remove the key from text the panel sent, in case the panel echoed it."""
        for form in self._key_forms:
            text = text.replace(form, _REDACTED)
        return text

    def _redact_body(self, body: bytes) -> bytes:
        """Remove the key from a whole answer before anything reads or keeps it.

        Every value read from the answer, per-ID error messages included, is then
        free of it. NOTE: a key that also occurs outside a JSON string (a key of
        digits only, say) makes the answer invalid JSON; panel keys are long and
        random, so a real answer does not contain them by chance.
        """
        for form in self._key_forms:
            encoded = form.encode("utf-8", "surrogatepass")
            if encoded in body:
                body = body.replace(encoded, _REDACTED.encode())
        return body


def _key_forms(key: str) -> tuple[str, ...]:
    """Return the ways a panel may echo the key, longest first.

    As sent in the form body (httpx encodes it like quote_plus), percent-encoded in a
    URL, and escaped in JSON, with PHP's escaped slash as well.
    """
    escaped = json.dumps(key)[1:-1]
    forms = {
        key,
        urllib.parse.quote_plus(key),
        urllib.parse.quote(key, safe=""),
        escaped,
        escaped.replace("/", "\\/"),
    }
    return tuple(sorted(forms - {""}, key=len, reverse=True))


# zlib window bits per content coding: 31 reads a gzip wrapper, 15 a zlib wrapper.
_ZLIB_WBITS = {"gzip": 31, "x-gzip": 31, "deflate": 15}


class _Inflater:
    """Inflates a gzip or deflate body in bounded steps; None passes bytes through."""

    def __init__(self, coding: str | None) -> None:
        self._coding = coding
        self._zlib = None if coding is None else zlib.decompressobj(_ZLIB_WBITS[coding])
        self._started = False

    def feed(self, data: bytes, max_length: int) -> tuple[bytes, bytes]:
        """Return at most `max_length` bytes of output and the input not yet used.

        Raises:
            zlib.error: The data is not valid for the coding.
        """
        if self._zlib is None:
            return data, b""
        first = not self._started
        self._started = True
        try:
            output = self._zlib.decompress(data, max_length)
        except zlib.error:
            if not (first and self._coding == "deflate"):
                raise
            # Some servers send deflate without the zlib wrapper that HTTP requires.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            output = self._zlib.decompress(data, max_length)
        rest = self._zlib.unconsumed_tail
        if not output and len(rest) == len(data):
            raise zlib.error("the compressed data does not advance")
        return output, rest

    def flush(self) -> bytes:
        """Return the output still held back after the last input."""
        return b"" if self._zlib is None else self._zlib.flush()


def _api_failure_kind(error: PanelAPIError, status: int) -> _Failure:
    if isinstance(error, PanelRateLimitError):
        return _Failure.NOT_SENT
    if status >= 500 and type(error) is PanelAPIError:
        return _Failure.MAYBE_SENT  # an unclassified message on a server error
    return _Failure.FINAL


def _may_have_acted(failure: _AttemptFailed) -> bool:
    """Return whether the panel may have acted on a request that failed this way.

    Besides failures in flight, a 2xx response that was too large or not JSON came
    from the panel's application, which may have run the action before responding.
    """
    if failure.kind is _Failure.MAYBE_SENT:
        return True
    error = failure.error
    return (
        type(error) is PanelResponseError
        and error.status_code is not None
        and 200 <= error.status_code < 300
    )


def _may_retry(exc: BaseException, safety: Safety) -> bool:
    if not isinstance(exc, _AttemptFailed):
        return False
    if exc.kind is _Failure.NOT_SENT:
        return True
    return exc.kind is _Failure.MAYBE_SENT and safety is Safety.READ


def _failure_of(state: tenacity.RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome is not None else None


def _network_failure_kind(exc: Exception) -> _Failure:
    if _tls_error(exc) is not None:
        return _Failure.FINAL  # a handshake that failed once fails again
    if isinstance(exc, _NOT_SENT_ERRORS):
        return _Failure.NOT_SENT
    if isinstance(exc, _MAYBE_SENT_ERRORS):
        return _Failure.MAYBE_SENT
    return _Failure.FINAL


def _tls_error(exc: BaseException) -> ssl.SSLError | None:
    """Return the TLS error behind a connection failure, if there is one."""
    seen: BaseException | None = exc
    for _ in range(8):  # causes form a short chain; the bound guards against loops
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _describe(error: BaseException | None) -> str:
    if error is None:
        return "unknown failure"
    if isinstance(error, PanelError):
        return str(error)
    if isinstance(error, Exception) and _tls_error(error) is not None:
        return (
            f"{type(error).__name__}: the TLS handshake failed ({error}); check that "
            "the URL's scheme is right (https:// to a plain-HTTP server fails this "
            "way) and that the panel's certificate is valid"
        )
    if isinstance(error, httpx.TimeoutException):
        return f"{type(error).__name__} (timed out)"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _looks_like_html(response: httpx.Response, body: bytes) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    if "html" in content_type:
        return True
    start = body[:64].lstrip().lower()
    return start.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml"))


def _shown_url(url: str) -> str:
    """Return `url` for an error message, without the parts that may hold a secret.

    The query, the fragment and the user info are dropped, because a caller may have
    put the key there.
    """
    text = url.split("?", 1)[0].split("#", 1)[0]
    scheme, separator, rest = text.partition("://")
    authority, slash, path = rest.partition("/")
    shown = scheme + separator + authority.rpartition("@")[2] + slash + path
    return repr(shown[:80])


def _checked_url(url: str, *, strict: bool) -> httpx.URL:
    if not isinstance(url, str):
        raise PanelInputError(f"url must be a str, got {type(url).__name__}")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise PanelInputError(
            f"url {_shown_url(url)} is not a valid URL ({exc}); pass the panel's API "
            "endpoint, such as https://panel.example/api/v2"
        ) from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise PanelInputError(
            f"url {_shown_url(url)} must be an http:// or https:// URL with a host, "
            "such as https://panel.example/api/v2"
        )
    if parsed.query or parsed.fragment:
        raise PanelInputError(
            f"url for host {parsed.host!r} must not carry a query string or fragment; "
            "the key goes in the POST body, never in the URL"
        )
    if parsed.scheme == "http" and not _is_loopback(parsed.host):
        if strict:
            raise PanelInputError(
                f"url for host {parsed.host!r} is plain http://, which would send the "
                "key unencrypted; use https:// or pass strict=False"
            )
        logger.warning(
            "url for host %s is plain http://: the API key travels unencrypted",
            parsed.host,
        )
    return parsed
