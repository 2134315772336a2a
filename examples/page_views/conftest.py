"""What this repo tells the orderflow step library about its own events; nothing else is needed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from steps.support.scope import RunScope
from steps.support.values import FieldValue


@pytest.fixture
def run_scoped_columns() -> Mapping[str, str]:
    """Pages and users carry the scenario's run id, so each scenario finds its own rows; the
    feature files still read `/home` and `u-1`."""
    return {"page": "/", "user_id": "u-"}


@pytest.fixture
def default_event() -> object:
    def page_view(scope: RunScope, n: int) -> dict[str, FieldValue]:
        return {
            "view_id": f"{scope.run_id}-{n}",
            "page": scope.scoped("page", "/home"),
            "user_id": scope.scoped("user_id", "u-1"),
            "viewed_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }

    return page_view
