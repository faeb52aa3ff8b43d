"""Test data shared by several test files: the ACME client with its four bins in walk order,
and the orders of the working day that both end-to-end tests (UI and CLI) go through."""

from __future__ import annotations

# Bins in walk order; ``add_acme_and_bins`` gives them pick sequence 10, 20, 30, 40.
BINS = ["A-01-01", "A-01-02", "A-02-01", "B-01-01"]

# The day's shop export (tests/ui/test_end_to_end.py and tests/app/test_end_to_end_cli.py).
DAY_ORDERS_CSV = (
    "order_number,sku,qty,customer_name,email,address1,city,zip,country\n"
    "1001,TENT,2,Ann Archer,ann@example.com,1 Elm St,Springfield,12345,US\n"
    "1001,LAMP,1,,,,,,\n"
    "1002,LAMP,3,Bob Baker,bob@example.com,2 Oak Ave,Shelbyville,23456,US\n"
    "1002,CUP,2,,,,,,\n"
    "1002,TENT,1,,,,,,\n"
    "1003,TENT,2,Cy Cooper,cy@example.com,3 Pine Rd,Ogdenville,34567,US\n"
)


def add_acme_and_bins(**client_fields) -> None:
    """Client ACME ("Acme Outdoor Co.", plus ``client_fields``) and the ``BINS``, zone = first letter."""
    from app import catalog
    from app.ledger import locations

    catalog.add_client("ACME", "Acme Outdoor Co.", **client_fields)
    for i, code in enumerate(BINS):
        locations.add_location(code, zone=code[0], seq=(i + 1) * 10)
