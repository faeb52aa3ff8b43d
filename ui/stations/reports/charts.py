"""The Reports tab's trend charts (QtCharts): fulfillment and on-time rate per day, median
processing time per day, orders received vs shipped complete per day, back-order aging bars.

Plain figures in (the services' ``DayFigures`` and age buckets), series out; no query here.
A rate or a median exists only on a day with orders: its dots are joined day to day, never
across a day without one (a line there would show a figure nobody measured).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt, QTime
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QWidget

from app.kernel import clock

COLORS = ("#0d47a1", "#e65100", "#1b5e20", "#6a1b9a")


def day_msecs(day: dt.date) -> int:
    """A day as the chart's x value (local midnight, milliseconds)."""
    return QDateTime(day, QTime(0, 0)).toMSecsSinceEpoch()


def _axis_font() -> QFont:
    font = QFont()
    font.setPointSize(10)
    return font


def _pen(index: int) -> QPen:
    pen = QPen(QColor(COLORS[index % len(COLORS)]))
    pen.setWidth(3)
    return pen


def _dots(name: str, index: int) -> QScatterSeries:
    """A series of dots in the colour ``index`` (the legend's entry; lines join them)."""
    dots = QScatterSeries(name=name)
    color = QColor(COLORS[index % len(COLORS)])
    dots.setColor(color)
    dots.setBorderColor(color)
    dots.setMarkerSize(9)
    return dots


def runs(points: Sequence[tuple[float, float]], step: float) -> list[list[tuple[float, float]]]:
    """``points`` (by x) cut where the next one is more than ``step`` further on."""
    out: list[list[tuple[float, float]]] = []
    for point in points:
        if out and point[0] - out[-1][-1][0] <= step:
            out[-1].append(point)
        else:
            out.append([point])
    return out


def _count_axis(axis: QValueAxis, top: float, *, whole: bool) -> None:
    """0 to a little above ``top`` in about four steps; counts step by whole numbers (no
    "1, 1, 2" labels)."""
    step = top / 4 if not whole else float(max(1, math.ceil(top / 4)))
    if not whole:
        magnitude = 10 ** math.floor(math.log10(step)) if step > 0 else 1
        step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= step)
    end = step * (math.floor(top / step) + 1)
    axis.setRange(0, end)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)


class _Chart(QChartView):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle(title)
        font = QFont(chart.titleFont())
        font.setPointSize(12)
        font.setBold(True)
        chart.setTitleFont(font)
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.setBackgroundRoundness(0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        legend_font = QFont(chart.legend().font())
        legend_font.setPointSize(10)
        chart.legend().setFont(legend_font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(200, 150)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class TrendCharts(QWidget):
    """Four charts in a 2 x 2 grid; ``show_days`` and ``show_aging`` replace their series."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.rates_view = _Chart("Fulfillment and on-time rate per day (%)")
        self.median_view = _Chart("Median processing time per day (hours)")
        self.volume_view = _Chart("Orders received and shipped complete per day")
        self.aging_view = _Chart("Back-orders by age (days)")
        grid.addWidget(self.rates_view, 0, 0)
        grid.addWidget(self.median_view, 0, 1)
        grid.addWidget(self.volume_view, 1, 0)
        grid.addWidget(self.aging_view, 1, 1)
        self.fulfillment = _dots("Fulfillment rate", 0)
        self.on_time = _dots("On-time rate", 1)
        self.median = _dots("Median hours (received to shipped)", 2)
        # each dotted series' lines, one per run of days in a row (replaced with the figures)
        self.joins: dict[QScatterSeries, list[QLineSeries]] = {
            self.fulfillment: [], self.on_time: [], self.median: []}
        self.received = QLineSeries(name="Received")
        self.shipped = QLineSeries(name="Shipped complete")
        self.received.setPen(_pen(0))
        self.shipped.setPen(_pen(2))
        for s in (self.received, self.shipped):
            s.setPointsVisible(True)
        self._attach(self.rates_view, (self.fulfillment, self.on_time))
        self._attach(self.median_view, (self.median,))
        self._attach(self.volume_view, (self.received, self.shipped))
        self.aging_units = QBarSet("Units short")
        self.aging_units.setColor(QColor(COLORS[1]))
        self.aging_orders = QBarSet("Orders")
        self.aging_orders.setColor(QColor(COLORS[0]))
        self.aging = QBarSeries()
        self.aging.append(self.aging_orders)
        self.aging.append(self.aging_units)
        self.aging.setLabelsVisible(True)
        chart = self.aging_view.chart()
        chart.addSeries(self.aging)
        self.aging_axis_x = QBarCategoryAxis()
        self.aging_axis_y = QValueAxis()
        self.aging_axis_y.setLabelFormat("%.0f")
        for axis in (self.aging_axis_x, self.aging_axis_y):
            axis.setLabelsFont(_axis_font())
        chart.addAxis(self.aging_axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.aging_axis_y, Qt.AlignmentFlag.AlignLeft)
        self.aging.attachAxis(self.aging_axis_x)
        self.aging.attachAxis(self.aging_axis_y)

    def _attach(self, view: QChartView, series: Sequence[QLineSeries | QScatterSeries]) -> None:
        chart = view.chart()
        x = QDateTimeAxis()
        x.setFormat("MM-dd")
        y = QValueAxis()
        y.setLabelFormat("%.1f" if view is self.median_view else "%.0f")
        for axis in (x, y):
            axis.setLabelsFont(_axis_font())
            axis.setLabelsVisible(False)  # until the first figures: no 1970's "01-01" ticks
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for s in series:
            chart.addSeries(s)
            s.attachAxis(x)
            s.attachAxis(y)

    def show_days(self, days: Sequence[object]) -> None:
        """``days``: objects with ``day``, ``received``, ``shipped_complete``, ``fulfillment_rate``,
        ``on_time_rate`` and ``median_hours`` (rates as fractions; ``None``: no point that day)."""
        def points(attr: str, scale: Decimal = Decimal(1)) -> list[tuple[float, float]]:
            out = []
            for d in days:
                value = getattr(d, attr)
                if value is not None:
                    out.append((float(day_msecs(d.day)), float(Decimal(value) * scale)))  # type: ignore[attr-defined]
            return out

        series = {self.fulfillment: points("fulfillment_rate", Decimal(100)),
                  self.on_time: points("on_time_rate", Decimal(100)),
                  self.median: points("median_hours"),
                  self.received: points("received"),
                  self.shipped: points("shipped_complete")}
        for s, pts in series.items():
            s.clear()
            for x, y in pts:
                s.append(x, y)
        for dots, view, colour in ((self.fulfillment, self.rates_view, 0), (self.on_time, self.rates_view, 1),
                                   (self.median, self.median_view, 2)):
            self._join(view, dots, series[dots], _pen(colour))
        first = days[0].day if days else clock.local_today()  # type: ignore[attr-defined]
        last = days[-1].day if days else first  # type: ignore[attr-defined]
        for view, top in ((self.rates_view, 100.0), (self.median_view, None), (self.volume_view, None)):
            chart = view.chart()
            x_axis = chart.axes(Qt.Orientation.Horizontal)[0]
            y_axis = chart.axes(Qt.Orientation.Vertical)[0]
            start = QDateTime(first, QTime(0, 0))
            end = QDateTime(last, QTime(0, 0))
            if first == last:
                start, end = start.addDays(-1), end.addDays(1)
            x_axis.setRange(start, end)
            x_axis.setTickCount(min(8, max(2, (last - first).days + 1)))
            x_axis.setLabelsVisible(True)
            y_axis.setLabelsVisible(True)
            values = [p.y() for s in chart.series() for p in s.points()]
            if top is not None:
                y_axis.setRange(0, top)
            else:
                _count_axis(y_axis, max([1.0, *values]), whole=view is self.volume_view)

    def _join(self, view: QChartView, dots: QScatterSeries, points: list[tuple[float, float]],
              pen: QPen) -> None:
        """Lines between ``dots`` on days in a row (none across a day without a figure)."""
        chart = view.chart()
        for line in self.joins[dots]:
            chart.removeSeries(line)
        self.joins[dots] = []
        x_axis = chart.axes(Qt.Orientation.Horizontal)[0]
        y_axis = chart.axes(Qt.Orientation.Vertical)[0]
        day = 24 * 3600 * 1000 * 1.1  # (a day of 25 hours, when the clocks go back, is still "in a row")
        for run in runs(points, day):
            if len(run) < 2:
                continue
            line = QLineSeries()
            line.setPen(pen)
            for x, y in run:
                line.append(x, y)
            chart.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
            for marker in chart.legend().markers(line):
                marker.setVisible(False)  # the dots' entry names it
            self.joins[dots].append(line)
        chart.removeSeries(dots)  # the dots over their lines
        chart.addSeries(dots)
        dots.attachAxis(x_axis)
        dots.attachAxis(y_axis)

    def show_aging(self, buckets: Sequence[object]) -> None:
        """``buckets``: objects with ``bucket`` (its words), ``orders`` and ``units``."""
        self.aging_units.remove(0, self.aging_units.count())
        self.aging_orders.remove(0, self.aging_orders.count())
        self.aging_axis_x.clear()
        self.aging_axis_x.append([str(b.bucket) for b in buckets])  # type: ignore[attr-defined]
        for b in buckets:
            self.aging_units.append(float(b.units))  # type: ignore[attr-defined]
            self.aging_orders.append(float(b.orders))  # type: ignore[attr-defined]
        top = max([1.0, *(float(b.units) for b in buckets), *(float(b.orders) for b in buckets)])  # type: ignore[attr-defined]
        _count_axis(self.aging_axis_y, top, whole=True)
