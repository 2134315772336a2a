# LocalStack ready.d hook (run inside LocalStack once S3 answers): create the buckets in $BUCKETS.
# LocalStack community keeps nothing across restarts, so the bucket must be made on every start;
# doing it here ties its life to LocalStack's own. (exec'd by LocalStack: no __main__ guard.)
import os
import urllib.error
import urllib.request

port = os.environ.get("GATEWAY_LISTEN", "0.0.0.0:4566").rsplit(":", 1)[-1]
for bucket in filter(None, os.environ.get("BUCKETS", "warehouse").split(",")):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/{bucket.strip()}", method="PUT")
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.HTTPError as exc:
        if exc.code != 409:  # 409: it exists already
            raise
    print(f"[init] bucket {bucket} ready", flush=True)
