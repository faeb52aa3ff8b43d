"""The picking station's scan router: what a scanned code is at this step of the walk, and what it does.

The screen keeps the step (pick list, bin, item, tote) and the list as it last showed it;
``station_scan`` decides from that state, or from one-row queries, whether the code opens a
list, is the stop's bin, an item to take there, one more of the item in hand or the tote it
goes into (a confirmed pick: one transaction). The screen only applies the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.scan import resolve
from app.kernel.actor import Actor
from app.kernel.commands import station_command
from app.kernel.errors import InvalidTransition, PrepDeskError, UnknownBarcode, ValidationError
from app.kernel.states import label
from app.picking.confirm import PickResult, confirm_pick
from app.picking.lines import check_lot, describe_scan, match_item, open_lines, scanned_bin
from app.picking.picklist import OPEN_STATUSES, LinesDropped, WrongScan, parse_tote, shown
from app.picking.view import PickListView, Stop, picklist_view

STEPS = ("list", "bin", "item", "tote")


@dataclass(frozen=True)
class ItemMatch:
    """The item scanned at a stop: which stop it is, and how many units one scan of it stands for."""

    stop: Stop
    pack_qty: int
    lot: str | None = None  # the lot a GS1 code named (None: a plain code, the allocated lot)


@dataclass(frozen=True)
class ScanContext:
    """What the picking screen holds when a code arrives."""

    step: str  # one of STEPS
    view: PickListView | None = None  # the open list as the screen shows it
    bin_code: str = ""  # the bin scanned at this stop (steps item and tote)
    item_code: str = ""  # the item scanned (step tote)
    qty: int = 1  # scans of that item so far, or keyed


@dataclass(frozen=True)
class PickScan:
    """What one scan meant, for the screen to apply.

    kind: ``open`` (open pick list ``number``), ``bin`` (the stop's bin: ``stop``), ``item``
    (an item to take here: ``item``), ``more`` (the item in hand once more), ``picked`` (a
    confirmed pick: ``pick``), ``dropped`` (the stop's reservation was gone: lines closed,
    nothing picked, the screen reloads the list), ``command`` (``message`` is a command of
    the station's sheet: QTY n, CANCEL, ACK). After ``picked`` with ``in_hand`` above 0
    the picker still holds that many scans of the item: the screen stays at the tote step.
    """

    kind: str
    message: str = ""
    number: str = ""
    stop: Stop | None = None
    item: ItemMatch | None = None
    pick: PickResult | None = None
    in_hand: int = 0  # picked: scans of the item still in hand for the stop's other totes


def station_scan(code: str, context: ScanContext, *, actor: Actor) -> PickScan:
    """Route one scan at the picking station.

    Args:
        code: what was scanned (or typed).
        context: the screen's step and the list it shows.
        actor: who picks.

    Returns:
        The outcome to apply; a refusal is raised and changes nothing.

    Raises:
        WrongScan: not a pick list, wrong bin, item or tote.
        ValidationError: more than the tote needs; bad quantity.
        InvalidTransition: the list is finished or cancelled.
    """
    code = (code or "").strip()
    command = station_command(code, "picking")
    if command is not None:  # QTY n, CANCEL, ACK from the station's sheet
        return PickScan("command", command)
    view = context.view
    if context.step == "list" or view is None:
        return PickScan("open", number=_picklist_number(code))
    if context.step == "bin":
        try:
            stop = check_bin(view, code)
        except PrepDeskError:
            number = _other_list(code, view.id)
            if number is None:
                raise
            return PickScan("open", number=number)
        lots = f" {stop.lot_text()}" if stop.lots else ""
        return PickScan("bin", f"{stop.bin_code}: take {stop.remaining} × {stop.sku}{lots}", stop=stop)
    if context.step == "item":
        item = check_item(view, bin_code=context.bin_code, scan_code=code)
        split = ", ".join(f"T{t.tote} × {t.remaining}" for t in item.stop.totes if t.remaining)
        case = f" (case of {item.pack_qty})" if item.pack_qty > 1 else ""
        return PickScan("item", f"{item.stop.sku}{case}: put into {split}", item=item)
    if code == context.item_code:  # the same code again: one more
        return PickScan("more")
    item = check_item(view, bin_code=context.bin_code, scan_code=context.item_code)
    if _one_more(code, item, context.qty):  # another code of the same units: one more
        return PickScan("more")
    return _into_tote(code, context, view, item, actor=actor)


def _one_more(code: str, held: ItemMatch, in_hand: int) -> bool:
    """Whether ``code`` is one more of the units in hand: the same product by any of its
    codes (UPC, FNSKU, SKU, GS1), as many units a scan, and the same lot where the stop has
    lots. False when it is not that product at all (a tote, say).

    Raises:
        WrongScan: that product, but a case where singles are in hand (or the other way
            round), or another lot: the units in hand go into a tote first.
        ValidationError: a malformed GS1 code.
    """
    stop = held.stop
    scan = match_item(code, {stop.product_id}, {stop.product_id: stop.sku})
    if scan is None:
        return False
    again = ItemMatch(stop, scan.pack_qty, scan.lot)
    them = "it" if in_hand == 1 else "them"
    if again.pack_qty != held.pack_qty:
        one = f"a case of {again.pack_qty}" if again.pack_qty > 1 else "a single unit"
        raise WrongScan(f"that is {one} of {stop.sku}, with {_in_hand(held, in_hand)}: "
                        f"put {them} into a tote first")
    if stop.lots and _lot(again) != _lot(held):
        raise WrongScan(f"that is {stop.sku} {_lot_words(again)}, with {_in_hand(held, in_hand)} of "
                        f"{_lot_words(held)}: put {them} into a tote first")
    return True


def _in_hand(item: ItemMatch, scans: int) -> str:
    """'3 units in hand', '2 cases of 12 in hand'."""
    if item.pack_qty > 1:
        return f"{scans} case{'s' if scans != 1 else ''} of {item.pack_qty} in hand"
    return f"{scans} unit{'s' if scans != 1 else ''} in hand"


def _lot(item: ItemMatch) -> str | None:
    """The lot a scan takes: the one its GS1 code names, else the stop's one open lot (a
    plain code takes the lot allocated), else None."""
    if item.lot is not None:
        return item.lot
    open_lots = [x.lot for x in item.stop.lots if x.remaining > 0]
    return open_lots[0] if len(open_lots) == 1 else None


def _lot_words(item: ItemMatch) -> str:
    lot = _lot(item)
    return f"lot {lot}" if lot is not None else "(no lot named)"


def _into_tote(code: str, context: ScanContext, view: PickListView, item: ItemMatch, *,
               actor: Actor) -> PickScan:
    """A tote scanned with units in hand (``item``): it takes what it needs of them (a split
    stop puts the rest into its other totes, scan by scan); the rest stays in hand."""
    in_hand = context.qty
    take = in_hand
    tote_no = parse_tote(code)
    split = next((t for t in item.stop.totes if t.tote == tote_no and t.remaining > 0), None)
    if split is not None and in_hand * item.pack_qty > split.remaining:
        take = split.remaining // item.pack_qty or 1  # one case too big: confirm_pick says so
    try:
        result = confirm_pick(view.id, bin_code=context.bin_code, scan_code=context.item_code,
                              qty=take, tote=tote_no, actor=actor)
    except LinesDropped as exc:  # the walk changed under the picker: the stop starts over
        return PickScan("dropped", str(exc))
    left = in_hand - take
    picked = f"Picked {result.qty} × {result.sku} → tote {result.tote}."
    if left and result.stop_remaining > 0:
        totes = ", ".join(f"T{t.tote} × {t.remaining}" for t in result.stop.totes if t.remaining)
        units = left * item.pack_qty
        return PickScan("picked", f"{picked} {units} still in hand: scan tote {totes}",
                        pick=result, in_hand=left)
    nxt = result.next_stop
    then = (f"{result.number} is {label(result.picklist_status).lower()}." if nxt is None
            else f"Next: {nxt.bin_code} {nxt.sku}")
    if left:  # more was scanned than the stop needs: it goes back where it came from
        then = f"Put {left * item.pack_qty} back into {result.bin_code}: nothing here needs it. {then}"
    return PickScan("picked", f"{picked} {then}", pick=result)


def check_bin(picklist: PickListView | int | str, bin_code: str) -> Stop:
    """The scanned bin is the current stop's (read-only). Given the list as the screen shows
    it, this is answered from it, with at most a one-row bin lookup to name a wrong scan;
    given an id or number, the list is read first.

    Raises:
        WrongScan: another bin, or not a bin at all.
        InvalidTransition: the list is finished or cancelled.
    """
    view = picklist if isinstance(picklist, PickListView) else picklist_view(picklist)
    current = view.next_stop
    code = (bin_code or "").strip().upper()
    if current is not None and view.status in OPEN_STATUSES and code and code == current.bin_code:
        return current
    loc = scanned_bin(bin_code)
    if view.status not in OPEN_STATUSES:
        raise InvalidTransition(f"pick list {view.number} is {view.status}")
    if current is None:
        raise InvalidTransition(f"pick list {view.number} has nothing left to pick")
    raise WrongScan(f"wrong bin {loc.code}: go to {current.bin_code} for {current.sku}")


def check_item(picklist: PickListView | int | str, *, bin_code: str, scan_code: str) -> ItemMatch:
    """The scanned item is one to take from this (current) bin (read-only): one indexed
    barcode or SKU lookup among the products open there (the list as given, or read first).

    Raises:
        WrongScan: wrong bin or item; WrongLot: a GS1 code of another lot than allocated.
    """
    code = (scan_code or "").strip()
    if not code:
        raise ValidationError("scan the item")
    view = picklist if isinstance(picklist, PickListView) else picklist_view(picklist)
    current = check_bin(view, bin_code)
    here = [s for s in view.stops if s.location_id == current.location_id and not s.done]
    match = match_item(code, {s.product_id for s in here})
    if match is None:
        wanted = ", ".join(sorted({s.sku for s in here}))
        raise WrongScan(f"wrong item {describe_scan(code)}: take {wanted} from {current.bin_code}")
    stop = next(s for s in here if s.product_id == match.product_id)
    if match.lot is not None and stop.lots and match.lot not in {x.lot for x in stop.lots if x.remaining > 0}:
        # another lot than allocated: the open lines say which (WrongLot names both lots)
        check_lot(open_lines(view.id, current.location_id), match, current.bin_code)
    return ItemMatch(stop, match.pack_qty, match.lot)


def _picklist_number(code: str) -> str:
    try:
        return resolve(code, kinds=("picklist",)).label
    except UnknownBarcode:
        raise WrongScan(f"{shown(code)} is not a pick list") from None


def _other_list(code: str, open_id: int) -> str | None:
    """The number of another pick list ``code`` names, if it names one."""
    try:
        match = resolve(code, kinds=("picklist",))
    except PrepDeskError:
        return None
    return match.label if match.id != open_id else None
