"""Speed and quality benchmarks, each runnable as `python -m benchmarks.NAME` (see README.md).

They live outside the installed packages on purpose: they compare the product against
LangChain baselines whose packages are an optional extra, never a runtime dependency.
"""
