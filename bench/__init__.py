"""Benchmarks: speed and accuracy goals are measured here, never asserted in tests."""
