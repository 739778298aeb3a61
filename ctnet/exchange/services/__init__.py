"""Every write of the exchange: one function each, atomic, with its audit row (STYLE.md 2)."""
