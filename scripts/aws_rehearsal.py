"""`make aws-rehearsal`: the zip of `make package`, run the way AWS Managed Flink runs it.

A stock Flink 1.20 (the wheel's lib/, none of our jars) on free loopback ports; the zip unpacked
and started with the run options of deploy/application_properties.json (main.py as driver, the
jarfile as the one user jar, pyFiles on the workers' path) and its property groups with
DEPLOYMENT_ENV=aws; S3 Tables (MiniStack: table bucket ARN as warehouse, SigV4-signed REST
catalog); a local Kafka broker (KAFKA_IAM_AUTH=false: MSK's IAM SASL cannot be emulated).
It publishes valid orders and one bad record, then reads the rows through the S3 Tables catalog
and the bad record from the DLQ. Exits non-zero with the reason when any of it fails; stops
everything it started, whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fixtures import paths
from fixtures.aws import properties
from fixtures.aws.rehearsal_checks import RehearsalFailed, check_dlq, check_rows, s3tables_catalog
from fixtures.aws.runtime import (
    AWS_ENV,
    S3TablesServer,
    StockFlinkConfig,
    clean_env,
    ensure_table_bucket,
    msf_python,
)
from fixtures.declaration import load_declaration
from fixtures.flink_rest import FlinkRest, JobFailed
from fixtures.flink_submit import SubmitError, run_submit
from fixtures.local.components import Component, FlinkJobManager, FlinkTaskManager, KafkaBroker, Ports
from fixtures.machine import machine
from fixtures.ports import free_port
from fixtures.process import alive, spawn, tail, terminate
from fixtures.tables import ensure_table
from fixtures.topics import ensure_topic
from fixtures.waits import Probe, WaitTimeout, wait_for
from producer.generate import generate_orders
from producer.publisher import OrderPublisher

RUN = paths.REPO_ROOT / ".run" / "aws-rehearsal"
RESULTS = paths.REPO_ROOT / "bench" / "results"
TABLE_BUCKET = "orderflow-rehearsal"
TABLE = "analytics.orders"
VALID_ORDERS = 20
# Generous: CI machines are shared (a JVM took 60 s to boot here at a load of 18 on 2 cores).
BOOT_TIMEOUT = 240.0
SUBMIT_TIMEOUT = 600.0  # `flink run` of a Python job starts a JVM and a Python driver
BAD_RECORD = b'{"rehearsal": "a bad record", "order_amount": "not a number"'
console = Console(stderr=True)


def say(message: str) -> None:
    console.print(f"[bold]\\[aws-rehearsal][/bold] {message}")


class Cluster:
    """The processes of one rehearsal, started in order and stopped in reverse, always."""

    def __init__(self, run: Path, python: Path) -> None:
        self.ports = Ports(*(free_port() for _ in range(6)))
        self.flink_config = StockFlinkConfig(run, self.ports, python)
        self.s3tables = S3TablesServer(run, self.ports)
        self.kafka = KafkaBroker(run, self.ports)
        self.jobmanager = FlinkJobManager(run, self.ports, self.flink_config)
        self.taskmanager = FlinkTaskManager(run, self.ports, self.flink_config)
        self.pids: dict[str, int] = {}

    def start(self) -> None:
        # S3 Tables, Kafka and the JobManager boot side by side; the TaskManager needs the last.
        for wave in ((self.s3tables, self.kafka, self.jobmanager), (self.taskmanager,)):
            for component in wave:
                component.prepare()
                self.pids[component.name] = spawn(
                    component.command(), log=component.log, env=component.env(), cwd=component.home
                )
            for component in wave:
                self._await(component)
                say(f"{component.name} up at {component.address}")

    def _await(self, component: Component) -> None:
        pid = self.pids[component.name]

        def healthy() -> Probe:
            if not alive(pid):
                raise RehearsalFailed(f"{component.name} exited during start-up:\n{tail(component.log)}")
            return component.probe()

        try:
            wait_for(component.name, healthy, timeout=BOOT_TIMEOUT, fatal=(RehearsalFailed,))
        except WaitTimeout as exc:
            raise RehearsalFailed(f"{component.name} did not start: {exc}\n{tail(component.log)}") from None

    def stop(self) -> None:
        for name in reversed(list(self.pids)):
            terminate(self.pids.pop(name), name=name)


def application_properties(cluster: Cluster, warehouse: str) -> properties.Groups:
    """The deploy file's groups with the emulator's addresses, and one group of keys only the
    rehearsal sets: IAM auth off, the emulator's catalog and S3 endpoints, fast checkpoints."""
    return properties.filled(
        properties.load(),
        {
            "KAFKA_BOOTSTRAP_SERVERS": cluster.kafka.address,
            "ICEBERG_CATALOG_WAREHOUSE": warehouse,
            "ICEBERG_CATALOG_REGION": AWS_ENV["AWS_REGION"],
        },
        {
            "orderflow.rehearsal": {
                "KAFKA_IAM_AUTH": "false",
                "ICEBERG_CATALOG_URI": cluster.s3tables.iceberg_uri,
                "ICEBERG_CATALOG_S3_ENDPOINT": cluster.s3tables.address,
                "CHECKPOINT_INTERVAL_MS": "2000",
            }
        },
    )


def deploy(cluster: Cluster, app: Path, groups: properties.Groups) -> str:
    """What Managed Flink does with the zip: `flink run` of the run options from the unpacked
    folder, the property groups in a file the job reads (on AWS: /etc/flink/...)."""
    props_file = app.parent / "application_properties.json"
    props_file.write_text(json.dumps(groups, indent=2))
    flink = paths.pyflink_home() / "bin" / "flink"
    command = [
        str(flink),
        "run",
        "-d",
        "-m",
        f"127.0.0.1:{cluster.ports.flink_rest}",
        *properties.run_arguments(groups, app),
    ]
    env = clean_env(**cluster.flink_config.env(), ORDERFLOW_PROPERTIES_FILE=str(props_file))
    return run_submit(command, env, timeout=SUBMIT_TIMEOUT)


def publish(bootstrap: str, topic: str, run_id: str) -> set[str]:
    events = list(generate_orders(VALID_ORDERS, seed=16, run_id=run_id))
    with OrderPublisher(bootstrap, topic) as publisher:
        publisher.publish_many(events)
        publisher.publish_raw(b"rehearsal-bad", BAD_RECORD)
    return {event.order_id for event in events}


def rehearse(package: Path | None, timings: dict[str, float]) -> None:
    started = time.monotonic()
    if package is None:
        from scripts.package import build

        say("building the zip (make package)")
        package = build()
        timings["package_seconds"] = round(time.monotonic() - started, 1)
    shutil.rmtree(RUN, ignore_errors=True)
    app = RUN / "app"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(app)
    say(f"unpacked {package.name} into {app}")
    cluster = Cluster(RUN, msf_python())
    try:
        cluster.start()
        warehouse = ensure_table_bucket(cluster.s3tables.address, TABLE_BUCKET)
        say(f"table bucket {warehouse}")
        groups = application_properties(cluster, warehouse)
        settings = properties.group(groups, properties.APP_GROUP)
        declaration = load_declaration(paths.REPO_ROOT / "orderflow.toml")
        job = declaration.job(settings["ORDERFLOW_JOB"])
        for topic in (*job.reads, *job.writes):  # as the harness (and on AWS, whoever runs MSK) does
            ensure_topic(cluster.kafka.address, topic, declaration.topics[topic].partitions)
        catalog = s3tables_catalog(cluster.s3tables.iceberg_uri, cluster.s3tables.address, warehouse)
        # As the harness does for every declared table. The job would create it too, but
        # MiniStack 1.5.33 takes the Java client's `"location": null` for a location (S3 Tables
        # itself picks one): created here, the job finds it and goes on.
        ensure_table(catalog, TABLE, declaration.table_definition(TABLE))
        job_id = deploy(cluster, app, groups)
        rest = FlinkRest(cluster.jobmanager.address)
        rest.wait_running(job_id, timeout=BOOT_TIMEOUT)
        say(f"job {job_id} running on the stock Flink")
        run_id = f"r{int(time.time())}"
        order_ids = publish(cluster.kafka.address, settings["ORDERS_TOPIC"], run_id)
        say(f"published {len(order_ids)} valid orders and 1 bad record")
        check_rows(rest, job_id, catalog, TABLE, order_ids)
        say(f"{len(order_ids)} rows read back from {TABLE} through the S3 Tables catalog")
        check_dlq(rest, job_id, cluster.kafka.address, settings["DLQ_TOPIC"], BAD_RECORD)
        say(f"the bad record is in {settings['DLQ_TOPIC']}")
    except (
        JobFailed,
        SubmitError,
        subprocess.TimeoutExpired,
    ) as exc:  # the job's own failure: its message is the reason
        raise RehearsalFailed(str(exc)) from None
    finally:
        cluster.stop()
        say("stopped everything it started")
    timings["seconds"] = round(time.monotonic() - started, 1)


def record(timings: dict[str, float], about: dict[str, object]) -> Path:
    """The run's figures, with the machine they were measured on (the README quotes this file)."""
    about["load_at_end"] = os.getloadavg()
    when = datetime.now(UTC)
    out = RESULTS / f"aws-rehearsal-{when.date()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"when": when.isoformat(timespec="seconds"), **timings, "machine": about}, indent=2)
    )
    return out


def main(
    package: Annotated[
        Path | None, typer.Option(help="a zip made by `make package` (default: build it now)")
    ] = None,
) -> None:
    about, timings = machine(), {}
    try:
        rehearse(package, timings)
    except RehearsalFailed as exc:
        console.print(f"[bold red]\\[aws-rehearsal] FAILED[/bold red]: {exc}")
        console.print(f"logs: {RUN}")
        sys.exit(1)
    say(f"[green]passed[/green] in {timings['seconds']:.0f} s (figures in {record(timings, about)})")


if __name__ == "__main__":
    typer.run(main)
