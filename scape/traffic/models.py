"""Traffic cameras, plate reads, the shared hot-list, hits, counts and section speed."""
