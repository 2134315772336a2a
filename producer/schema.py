"""The committed JSON Schema of Order Created v1, generated from the model, for non-Python producers.

python -m producer.schema --write    # regenerate producer/schemas/order_created_v1.json
python -m producer.schema --check    # exit 1 when the committed file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from producer.contract import MAX_PAYLOAD_BYTES, OrderCreatedV1

SCHEMA_PATH = Path(__file__).with_name("schemas") / "order_created_v1.json"
SCHEMA_ID = "https://orderflow.example/schemas/order_created_v1.json"


def json_schema() -> dict[str, Any]:
    schema = OrderCreatedV1.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "description": (
            f"{schema.get('description', '')} Payloads above {MAX_PAYLOAD_BYTES} bytes are rejected. "
            "Generated from producer/contract.py (python -m producer.schema --write); do not edit."
        ).strip(),
    }


def rendered() -> str:
    """The file's exact text: sorted keys and a final newline, so the diff of a change is minimal."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m producer.schema", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help=f"write {SCHEMA_PATH.name}")
    action.add_argument("--check", action="store_true", help="exit 1 when the committed file differs")
    args = parser.parse_args(argv)
    text = rendered()
    if args.write:
        SCHEMA_PATH.parent.mkdir(exist_ok=True)
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
    elif args.check:
        if not SCHEMA_PATH.exists() or SCHEMA_PATH.read_text(encoding="utf-8") != text:
            print(f"{SCHEMA_PATH} is out of date: run python -m producer.schema --write", file=sys.stderr)
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
