"""Tests that run the code samples of the documentation and the README."""
