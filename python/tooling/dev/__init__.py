"""Development harness: local moto server, delay proxy, benchmarks, demo, cost report.

The runtime library never imports this package; only CLI commands for local work do.
"""
