"""Benchmarks: a seeded data generator and a harness comparing app operations with bare SQLite.

Run one area with ``.venv/bin/python -m bench.bench_<area>`` or all with
``.venv/bin/python -m bench.run_all``. Not part of the test suite.
"""
