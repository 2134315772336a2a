"""The alerting rules of order_alerts_job: one YAML file (pipeline/alerting_rules.yaml), validated
here when the job starts. A bad file stops the job before it reads a record, with one line per
problem naming the rule, the field and the value (`RulesError`), never halfway through a window.

pydantic and PyYAML only, no pyflink: the harness env (unit tests) imports it as well.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from producer.iso4217 import ISO_4217

DEFAULT_RULES_FILE = Path(__file__).resolve().parent.parent / "alerting_rules.yaml"
Severity = Literal["low", "medium", "high", "critical"]
Amount = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]


class RulesError(ValueError):
    """The rules file cannot be used; the message names the file, the rule, the field and the value."""


class _Rule(BaseModel):
    # A misspelt key (`threshold` for `thresholds`) would otherwise be ignored silently.
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    severity: Severity


class LargeOrder(_Rule):
    thresholds: dict[str, Amount] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_currencies(self) -> LargeOrder:
        unknown = sorted(set(self.thresholds) - set(ISO_4217))
        if unknown:
            # A threshold for a currency the contract rejects could never fire: a typo, say so.
            raise ValueError(f"thresholds: {unknown[0]!r} is no ISO-4217 currency the contract accepts")
        return self


class OrdersInWindow(_Rule):
    """≥ min_orders orders of one user within within_minutes of event time."""

    min_orders: int = Field(ge=2, le=1000)
    within_minutes: int = Field(ge=1, le=24 * 60)


class RapidOrders(OrdersInWindow):
    min_orders: int = Field(2, ge=2, le=1000)
    within_minutes: int = Field(5, ge=1, le=24 * 60)


class OrderSpike(OrdersInWindow):
    min_orders: int = Field(5, ge=2, le=1000)
    within_minutes: int = Field(60, ge=1, le=24 * 60)


class StatisticalOutlier(_Rule):
    """An amount over mean + sigmas × σ of the user's earlier orders in the same currency, once the
    user has min_history of them (fewer say nothing about what is usual)."""

    sigmas: float = Field(3.0, gt=0, le=100)
    min_history: int = Field(5, ge=2, le=10_000)


class UnusualHour(_Rule):
    from_hour: int = Field(1, ge=0, le=23)
    to_hour: int = Field(5, ge=1, le=24)

    @model_validator(mode="after")
    def _ordered(self) -> UnusualHour:
        if self.to_hour <= self.from_hour:
            raise ValueError(f"to_hour: {self.to_hour} must be after from_hour {self.from_hour}")
        return self


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    large_order: LargeOrder
    rapid_orders: RapidOrders
    unusual_hour: UnusualHour
    order_spike: OrderSpike
    statistical_outlier: StatisticalOutlier

    def enabled(self) -> list[str]:
        return [name for name in type(self).model_fields if getattr(self, name).enabled]


def _problem(error: Any) -> str:
    """One pydantic error as `rule 'x', field 'y', value 'z': what is wrong`."""
    location = [str(part) for part in error["loc"]]
    rule = location[0] if location else "(file)"
    field = ".".join(location[1:]) or "(rule)"
    value = error.get("input")
    shown = "(missing)" if error["type"] == "missing" else repr(value)
    return f"rule {rule!r}, field {field!r}, value {shown}: {error['msg']}"


def parse_rules(document: Any, source: str = "rules") -> Rules:
    if not isinstance(document, dict) or not isinstance(document.get("rules"), dict):
        raise RulesError(f"{source}: expected a mapping `rules:` of rule name → settings")
    try:
        return Rules.model_validate(document["rules"])
    except ValidationError as error:
        problems = "; ".join(_problem(e) for e in error.errors(include_url=False))
        raise RulesError(f"{source}: {problems}") from None


def load_rules(path: Path = DEFAULT_RULES_FILE) -> Rules:
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise RulesError(f"{path}: cannot be read as YAML: {error}") from None
    return parse_rules(document, str(path))
