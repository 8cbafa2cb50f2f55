"""Smoke tests of the examples against the simulator."""
