"""Benchmarks: a synthetic dataset generator, workloads, peers and the runner (not shipped)."""
