"""Runnable examples of panel_async; each module's docstring explains how to run it."""
