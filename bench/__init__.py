"""`make bench`: the benchmarks of this repo, each figure set against a baseline of the same run."""
