"""The canonical wire form of Order Created v1 as one regular expression: the pipeline's fast lane.

`OrderCreatedV1.to_json()` writes every event the same way: fields in declaration order, no
spaces, lower-case UUID, UTC `Z` time, the amount as a two-decimal string. A payload of exactly
that shape, with values inside the narrow ranges below, is valid by construction, so the Flink
job can accept it with one JVM regex and take its values from the regex's capture groups (one
per field, in order) — no Python per record. Everything else (other field orders, offsets, numbers, escapes, Feb 29, anything
invalid) takes the slow lane: the full contract in Python, which alone decides rejections.

The expression is therefore *sound, not complete*: a match implies the contract accepts the
payload and yields the same values (tests/unit/producer/test_canonical.py proves it on random and
mutated payloads); a non-match says nothing. It is built from the contract's own constants and
written in the subset where Java's and Python's regex dialects agree: ASCII classes, no `\\d`
(Unicode digits in Python), no `.`, no negated classes, no named groups, no escapes inside
values. Being ASCII-only, it can be matched against a payload's bytes read as Latin-1 (what the
job's `match_groups` does): a byte outside ASCII, from UTF-8 or not, never matches.

It is also *bounded*: every repetition has a finite maximum, so the longest text it can match is
a few hundred bytes (far below the contract's MAX_PAYLOAD_BYTES) and a matcher's work and stack
depth are bounded whatever the input (tests/unit/producer/test_canonical.py checks both).
"""

from __future__ import annotations

from typing import Final

from producer.contract import MAX_AMOUNT, MAX_ID_LENGTH, SALES_CHANNEL_TEXT, SCHEMA_VERSION
from producer.iso4217 import ISO_4217

_DIGIT = "[0-9]"
_HEX = "[0-9a-f]"  # lower case only: the table stores str(UUID), which is lower case
UUID_TEXT: Final = f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"

# Real calendar days without leap-year arithmetic: days 29-31 only in months that always have
# them, so Feb 29 (valid or not) is left to the contract. Years 1000-9999, seconds 00-59.
_DATE = (
    f"[1-9]{_DIGIT}{{3}}-(?:"
    f"(?:0[1-9]|1[0-2])-(?:0[1-9]|1{_DIGIT}|2[0-8])"
    "|(?:0[13-9]|1[0-2])-(?:29|30)"
    "|(?:0[13578]|1[02])-31)"
)
_TIME = f"(?:[01]{_DIGIT}|2[0-3]):[0-5]{_DIGIT}:[0-5]{_DIGIT}(?:\\.{_DIGIT}{{3}}|\\.{_DIGIT}{{6}})?"
EVENT_TIME_TEXT: Final = f"{_DATE}T{_TIME}Z"

# Printable ASCII without `"` and `\` (so no JSON escapes), not starting with a space (so never
# blank), at most MAX_ID_LENGTH characters (ASCII: characters and UTF-16 units agree).
_ID_CHAR = "[ !#-\\[\\]-~]"
IDENTIFIER_TEXT: Final = f"[!#-\\[\\]-~]{_ID_CHAR}{{0,{MAX_ID_LENGTH - 1}}}"

_INTEGER_DIGITS = len(str(int(MAX_AMOUNT)))  # 10: any such amount is <= MAX_AMOUNT
AMOUNT_TEXT: Final = f"(?:0|[1-9]{_DIGIT}{{0,{_INTEGER_DIGITS - 1}}})\\.{_DIGIT}{{2}}"
CURRENCY_TEXT: Final = "(?:" + "|".join(sorted(ISO_4217)) + ")"
# Bounded on purpose: an unbounded repetition of a group recurses once per repeat in Java's
# regex engine, so a version of a few thousand parts overflowed the stack and killed the job.
# Longer versions are valid all the same: they take the slow lane.
VERSION_PARTS: Final = 4
VERSION_TEXT: Final = f"{SCHEMA_VERSION}(?:\\.{_DIGIT}{{1,9}}){{0,{VERSION_PARTS - 1}}}"

# (field, pattern of its value) in the order to_json() writes them
CANONICAL_FIELDS: Final = (
    ("event_id", UUID_TEXT),
    ("event_time", EVENT_TIME_TEXT),
    ("order_id", IDENTIFIER_TEXT),
    ("user_id", IDENTIFIER_TEXT),
    ("order_amount", AMOUNT_TEXT),
    ("currency", CURRENCY_TEXT),
    ("order_status", "CREATED"),
    ("schema_version", VERSION_TEXT),
)

# The contract's optional fields (v1.1 on), each written after them only when present: an
# optional group whose capture is NULL when the field is absent.
OPTIONAL_FIELDS: Final = (("sales_channel", SALES_CHANNEL_TEXT),)
ALL_FIELDS: Final = CANONICAL_FIELDS + OPTIONAL_FIELDS

# Each value is a capture group: group n (from 1) is the n-th field of ALL_FIELDS.
CANONICAL_PATTERN: Final = (
    "^\\{"
    + ",".join(f'"{name}":"({value})"' for name, value in CANONICAL_FIELDS)
    + "".join(f'(?:,"{name}":"({value})")?' for name, value in OPTIONAL_FIELDS)
    + "\\}$"
)


def group_of(field: str) -> int:
    """The capture group (from 1) holding `field`'s value in CANONICAL_PATTERN."""
    return 1 + [name for name, _ in ALL_FIELDS].index(field)
