# ready.d hook (MiniStack runs it once S3 answers): create the buckets in $BUCKETS. On every
# start: MiniStack reloads a persisted bucket only when it holds an object, so a bucket still
# empty would be missing after a restart.
import os
import urllib.error
import urllib.request

port = os.environ.get("GATEWAY_PORT", "4566")
for bucket in filter(None, os.environ.get("BUCKETS", "warehouse").split(",")):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/{bucket.strip()}", method="PUT")
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.HTTPError as exc:
        if exc.code != 409:  # 409: it exists already
            raise
    print(f"[init] bucket {bucket} ready", flush=True)
