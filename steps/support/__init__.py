"""Plain helpers behind the steps: run scoping, cell values, Kafka publishing and reading, table
rows and partitions. No pytest here, so tests/unit/steps can test them without a stack."""
