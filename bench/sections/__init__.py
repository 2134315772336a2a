"""One module per section of `make bench`; each returns results.Section objects."""
