"""Named limits and defaults, each with the reason for its value."""

from __future__ import annotations

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_IDS_PER_REQUEST",
    "SUBSCRIPTION_DELAYS",
]

# The API v2 document caps `orders`, `refills` and cancel lists at 100 IDs per request.
MAX_IDS_PER_REQUEST = 100

# Full chunks use the fewest requests, which matters against panels that allow only
# 60 to 300 requests a minute per key.
DEFAULT_CHUNK_SIZE = MAX_IDS_PER_REQUEST

# Requests in flight per client. Panels are small PHP sites; 8 keeps a bulk job fast
# without looking like an attack to the panel's firewall.
DEFAULT_MAX_CONCURRENCY = 8

# Seconds. Panels answer in well under a second; a slow `services` list of a few MB over
# a bad link can take tens of seconds, so reads get 30 s and connecting gets 10 s.
DEFAULT_TIMEOUT = 30.0
DEFAULT_CONNECT_TIMEOUT = 10.0

# Bytes. The largest public services lists seen are a few MB (some 10,000 services with
# long descriptions); 32 MiB leaves room for that and still bounds a hostile answer.
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

# Minutes. The only values the API v2 document allows for a subscription's `delay`.
SUBSCRIPTION_DELAYS = (
    0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420,
    480, 540, 600,
)  # fmt: skip
