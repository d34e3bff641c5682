"""One parser per table family: proactive (T2), requests (T3), review_litigation (T4)."""
