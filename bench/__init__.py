"""Benchmarks: scripts that print figures (medians, p95, memory). Not tests; run them by hand or in CI logs."""
