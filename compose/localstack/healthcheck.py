"""Healthy = S3 is available and every bucket of $BUCKETS exists (the ready.d hook ran)."""

import json
import os
import sys
import urllib.request

port = os.environ.get("GATEWAY_PORT", "4566")
base = f"http://127.0.0.1:{port}"
try:
    with urllib.request.urlopen(f"{base}/_localstack/health", timeout=3) as response:
        s3 = json.load(response).get("services", {}).get("s3")
    if s3 not in ("available", "running"):
        sys.exit(f"s3 is {s3}")
    for bucket in filter(None, os.environ.get("BUCKETS", "warehouse").split(",")):
        urllib.request.urlopen(urllib.request.Request(f"{base}/{bucket}", method="HEAD"), timeout=3).close()
except Exception as exc:
    sys.exit(f"not healthy: {exc}")
