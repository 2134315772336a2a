"""Write $FLINK_CONF_DIR/config.yaml: our defaults, then env, then FLINK_PROPERTIES lines.

Flat `key: value` lines only, each key once (Flink's YAML parser rejects duplicate keys), so
overrides are merged here instead of appended.
"""

import os
import re
import socket
from pathlib import Path

FLINK_HOME = Path(os.environ["FLINK_HOME"])
PYTHON = "/opt/flink-env/bin/python"
# Thread mode runs Python inside the TaskManager's JVM (pemja) on the base interpreter, which
# knows neither the venv nor the job's code: both come in through python.pythonpath. pemja loads
# parent-first (flink-python is in lib/), so its native library is loaded once per TaskManager,
# not once per job: a second load fails on Java 17 (FLINK-37727).
EMBEDDED_PYTHONPATH = "/opt/flink-env/lib/python3.11/site-packages:/opt/orderflow"


def wheel_java_opts() -> str:
    # Java 17 needs the wheel's --add-opens/--add-exports line; keep it whatever the version.
    text = (FLINK_HOME / "conf" / "config.yaml").read_text()
    match = re.search(r"^\s+all:\s*(--add-.*)$", text, re.MULTILINE)
    return match.group(1).strip() if match else ""


def main() -> None:
    jobmanager = os.environ.get("JOB_MANAGER_RPC_ADDRESS", "jobmanager")
    own_host = os.environ.get("TASK_MANAGER_HOST") or socket.gethostname()
    # No JVM DNS cache: on a Docker network a container's IP is handed to the next container
    # once it is gone. With the default 30 s cache, the JobManager kept dialling a killed
    # TaskManager's name at the IP the fresh TaskManager had just received, and Pekko's
    # remoting wedged both (checked here). Lookups on the network are local and cheap.
    java_opts = f"{wheel_java_opts()} -Dsun.net.inetaddr.ttl=0 -Dsun.net.inetaddr.negative.ttl=0".strip()
    settings: dict[str, str] = {
        "env.java.opts.all": java_opts,
        "env.log.dir": "/opt/flink/log",
        "env.pid.dir": "/opt/flink/tmp",
        "io.tmp.dirs": "/opt/flink/tmp",
        "jobmanager.rpc.address": jobmanager,
        "jobmanager.rpc.port": "6123",
        "jobmanager.bind-host": "0.0.0.0",
        "jobmanager.memory.process.size": "1024m",
        "jobmanager.execution.failover-strategy": "region",
        "taskmanager.bind-host": "0.0.0.0",
        "taskmanager.host": own_host,
        "taskmanager.rpc.port": "6122",
        "taskmanager.data.port": "6121",
        "taskmanager.numberOfTaskSlots": os.environ.get("TASK_MANAGER_NUMBER_OF_TASK_SLOTS", "6"),
        # Room for every declared job at parallelism 1 (fixtures/local/components.py).
        "taskmanager.memory.process.size": "4096m",
        # As the local provider (fixtures/local/components.py): every redeployment loads the
        # job's classes again (Iceberg, the AWS SDK); the 256m default ran out of Metaspace.
        "taskmanager.memory.jvm-metaspace.size": "640m",
        "jobmanager.memory.jvm-metaspace.size": "384m",
        "parallelism.default": "1",
        "rest.address": jobmanager,
        "rest.bind-address": "0.0.0.0",
        "rest.port": "8081",
        "blob.server.port": "6124",
        "state.backend.type": "hashmap",
        "execution.checkpointing.dir": "file:///flink-data/checkpoints",
        "execution.checkpointing.savepoint-dir": "file:///flink-data/savepoints",
        # As the local provider: a cancelled or crashed job's last checkpoint stays, for
        # `submit` to resume from after a JobManager crash (fixtures/redeploy.py).
        "execution.checkpointing.externalized-checkpoint-retention": "RETAIN_ON_CANCELLATION",
        "python.executable": PYTHON,
        "python.client.executable": PYTHON,
        "python.pythonpath": EMBEDDED_PYTHONPATH,
        "classloader.parent-first-patterns.additional": "pemja.",
        "web.cancel.enable": "true",
        "heartbeat.timeout": "20000",
        # Fresh REST metrics and job details (10 s and 3 s by default): the harness's `settle`
        # and watermark steps read a job's progress there (fixtures/progress.py).
        "metrics.fetcher.update-interval": "500",
        "web.refresh-interval": "500",
    }
    for line in os.environ.get("FLINK_PROPERTIES", "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.lstrip().startswith("#"):
            settings[key.strip()] = value.strip()
    conf = Path(os.environ["FLINK_CONF_DIR"]) / "config.yaml"
    conf.write_text("".join(f"{key}: {quote(value)}\n" for key, value in settings.items()))


def quote(value: str) -> str:
    # Plain numbers stay numbers; everything else is a double-quoted YAML string.
    if re.fullmatch(r"-?\d+", value):
        return value
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    main()
