"""PrepDesk core: the whole business of the warehouse, with no Qt in it."""

__version__ = "0.1.0"
