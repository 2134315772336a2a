"""A scenario's run scope: every id a scenario writes carries its run id, so it can find its own
rows among everyone else's, and the feature files still read `ord-1` and `usr-alice`.

- Prefixed columns (`order_id`, `user_id`): `ord-1` is stored as `ord-<run>-1`, the producer's own
  convention (`producer.factories.OrderProfile.order_prefix`), so generated and hand-written orders
  of a run share one prefix.
- UUID columns (`event_id`): a label such as `e-1` becomes a UUID derived from the run id and the
  label: the same label gives the same UUID within a run (that is how a feature says "the same
  event"), and never the same UUID in another run.
- Instants (`@event_time` features): every instant the feature writes moves by the scope's event
  time shift, zero unless the jobs' event time had already passed the feature's dates
  (steps/support/event_clock.py); a stored instant is shown shifted back.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

DEFAULT_PREFIXES: Mapping[str, str] = {"order_id": "ord-", "user_id": "usr-"}
DEFAULT_UUID_COLUMNS: tuple[str, ...] = ("event_id",)
MARKER_LABEL = "settle-"  # ids of the marker events `settle` publishes (never asserted on)
_NAMESPACE = uuid.UUID("6f0a54b4-6e3a-4a2f-9a59-0d1a1b0e7a11")
_DATE_FIRST = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})(?P<rest>T.*)", re.DOTALL)


@dataclass
class RunScope:
    run_id: str
    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PREFIXES))
    uuid_columns: tuple[str, ...] = DEFAULT_UUID_COLUMNS
    event_time_shift: timedelta = timedelta(0)
    _labels: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def key_column(self) -> str:
        """The column whose run prefix selects this run's rows."""
        return next(iter(self.prefixes))

    def run_prefix(self, column: str | None = None) -> str:
        column = column or self.key_column
        return f"{self.prefixes[column]}{self.run_id}-"

    @staticmethod
    def _base(column: str) -> str:
        return column.rsplit(".", 1)[-1]  # "payload.order_id" is scoped as "order_id"

    def is_scoped(self, column: str) -> bool:
        base = self._base(column)
        return base in self.prefixes or base in self.uuid_columns

    def scoped(self, column: str, written: str) -> str:
        """What a value written in a feature is stored as."""
        base = self._base(column)
        if base in self.prefixes:
            prefix = self.prefixes[base]
            if written.startswith(self.run_prefix(base)):
                return written
            stored = f"{self.run_prefix(base)}{written.removeprefix(prefix)}"
            self._labels[stored] = written  # `big-1` is shown as written, not as `ord-big-1`
            return stored
        if base in self.uuid_columns:
            value = str(uuid.uuid5(_NAMESPACE, f"{self.run_id}/{written}"))
            self._labels[value] = written
            return value
        return written

    def unscoped(self, column: str, stored: str) -> str:
        """How a stored value is shown next to the feature's own values."""
        base = self._base(column)
        if stored in self._labels:
            return self._labels[stored]
        if base in self.prefixes:
            own = self.run_prefix(base)
            return self.prefixes[base] + stored[len(own) :] if stored.startswith(own) else stored
        return stored

    def owns(self, column: str, stored: object) -> bool:
        return isinstance(stored, str) and stored.startswith(self.run_prefix(self._base(column)))

    def stored_instant(self, written: datetime) -> datetime:
        """An instant the feature writes, as this scenario publishes, awaits and expects it."""
        return written + self.event_time_shift

    def written_instant(self, stored: datetime) -> datetime:
        return stored - self.event_time_shift

    def written_date(self, stored: date) -> date:
        return stored - timedelta(days=self.event_time_shift.days)

    def stored_instant_text(self, written: str) -> str:
        """An instant published as text: only its date moves (the shift is whole days), so the
        offset, precision and form stay as written; text that is not an instant stays as it is."""
        shape = _DATE_FIRST.fullmatch(written)
        if not self.event_time_shift or shape is None:
            return written
        try:
            day = date.fromisoformat(shape["date"])
        except ValueError:
            return written
        return f"{day + timedelta(days=self.event_time_shift.days):%Y-%m-%d}{shape['rest']}"

    @property
    def marker_prefix(self) -> str:
        return self.run_prefix() + MARKER_LABEL

    def is_marker(self, key: object) -> bool:
        """A marker row or record of `settle` (keyed by the key column)."""
        if isinstance(key, bytes):
            key = key.decode("utf-8", "replace")
        return isinstance(key, str) and key.startswith(self.marker_prefix)
