"""Benchmarks for batchtui: `python -m bench` (or `make bench`) runs them all against the simulator on loopback.

Every figure is measured several times and reported as the median with its spread;
comparisons run both sides interleaved in the same run. See bench/README.md.
"""
