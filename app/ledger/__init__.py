"""The stock ledger: bins, moves between locations, balances and the invariant check."""

from __future__ import annotations

from app.ledger.balances import (
    STOCK_SORT_COLUMNS,
    BinBalance,
    MoveRow,
    StockRow,
    available,
    balances,
    moves_for,
    on_hand,
    reserved,
    stock_count,
    stock_rows,
)
from app.ledger.check import CheckReport, check
from app.ledger.locations import (
    BinRow,
    LocationRow,
    add_location,
    bins_overview,
    get_location,
    import_locations,
    list_locations,
    set_bin_open,
)
from app.ledger.lots import LotBalance, check_lot, lot_expiry, lots_in, register_lot
from app.ledger.moves import (
    apply_move,
    find_product,
    reverse_move,
    reverse_move_in_tx,
    sku_of,
)
from app.store.places import LocationRef, clear_caches, location, location_by_id

__all__ = [
    "LotBalance",
    "check_lot",
    "lot_expiry",
    "lots_in",
    "register_lot",
    "BinBalance",
    "CheckReport",
    "LocationRef",
    "BinRow",
    "LocationRow",
    "MoveRow",
    "STOCK_SORT_COLUMNS",
    "StockRow",
    "add_location",
    "bins_overview",
    "apply_move",
    "available",
    "balances",
    "check",
    "clear_caches",
    "find_product",
    "get_location",
    "import_locations",
    "list_locations",
    "set_bin_open",
    "location",
    "location_by_id",
    "moves_for",
    "on_hand",
    "reserved",
    "reverse_move",
    "reverse_move_in_tx",
    "sku_of",
    "stock_count",
    "stock_rows",
]
