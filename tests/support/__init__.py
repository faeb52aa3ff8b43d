"""Builders shared by the tests (worlds, stock, orders, packing sessions)."""
