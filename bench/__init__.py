"""Benchmarks: how fast, how big and how it grows (`python -m bench`, `helpdesk bench`).

Every figure is a ratio against a baseline measured in the same run, on the same machine and
database, so the numbers mean the same on a laptop and on CI. See BENCHMARKS.md for the latest
full run and README's "Benchmarks" section for how to run it.
"""
