"""Constants shared by the tests that mock the panel with respx."""

from __future__ import annotations

from panel_async import RetryPolicy

URL = "https://panel.example/api/v2"
KEY = "sk-test-5f1c0e9a7b3d"
# Three attempts without waiting, so retry tests stay instant.
FAST = RetryPolicy(attempts=3, initial_wait=0.0, max_wait=0.0)
