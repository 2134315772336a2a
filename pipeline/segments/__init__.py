"""customer_segments_job's parts: the segment rules (rules.py, pure), the per-user state machine
(state.py, pure) and the Flink wiring (function.py, job SQL)."""
