"""When the warehouse rebuilds: nightly, and whenever the raw folder changes."""

import hashlib
import json
import time

import dagster as dg

from pipelines.inventory import stat_signature
from pipelines.recovery import build_lock_is_free
from pipelines.settings import Settings

BUILD_JOB = "build_warehouse"
# A run in one of these states may still write the build database (CANCELING: its process is
# still cleaning up); run monitoring moves a dead one out of them (pipelines/instance.py).
UNFINISHED_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]

nightly_build = dg.ScheduleDefinition(
    name="nightly_build",
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    job_name=BUILD_JOB,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Rebuild and republish the whole warehouse at 02:00 Beijing time.",
)


@dg.sensor(
    job_name=BUILD_JOB,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a build when a report file in the raw folder appears, changes or goes.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """Compare the raw folder's {path: [size, mtime_ns]} with the cursor; run on any change.

    While a build is unfinished the sensor skips and keeps its cursor, so the change it saw is
    requested again on the first tick after that build ends.
    """
    current = stat_signature(Settings.from_env().raw_dir)
    previous: dict[str, list[int]] = json.loads(context.cursor) if context.cursor else {}
    changed = sorted(
        path for path in current.keys() | previous.keys() if current.get(path) != previous.get(path)
    )
    cursor = json.dumps(current, sort_keys=True)
    if not changed:
        return dg.SensorResult(skip_reason="no raw file changed", cursor=cursor)
    for run_id in fail_dead_build_runs(context.instance, Settings.from_env()):
        context.log.warning(f"build run {run_id} had died (no process held the build lock)")
    running = unfinished_build(context.instance)
    if running is not None:
        return dg.SensorResult(
            skip_reason=(
                f"{len(changed)} raw files changed, but build run {running.run_id} is "
                f"{running.status.value}; they are requested once it ends"
            ),
            cursor=context.cursor,
        )
    change_set = json.dumps({path: current.get(path) for path in changed}, sort_keys=True)
    run_key = hashlib.sha256(change_set.encode()).hexdigest()[:16]
    context.log.info(f"{len(changed)} raw files changed, e.g. {changed[0]}")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"raw_changed": str(len(changed))})],
        cursor=cursor,
    )


def unfinished_build(instance: dg.DagsterInstance) -> dg.DagsterRun | None:
    """Given the Dagster instance, return one run of the build job not yet finished, or None."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(job_name=BUILD_JOB, statuses=UNFINISHED_STATUSES), limit=1
    )
    return runs[0] if runs else None


# A run younger than this may not have taken the build lock yet (it is still loading the code).
DEAD_RUN_GRACE_SECONDS = 600.0


def fail_dead_build_runs(
    instance: dg.DagsterInstance,
    settings: Settings,
    current_run_id: str | None = None,
    grace_seconds: float = DEAD_RUN_GRACE_SECONDS,
) -> list[str]:
    """Mark failed the build runs left STARTING/STARTED by a killed process; return their ids.

    Every live build holds the warehouse's build lock, so a started run is dead when nobody
    holds it (from outside a build) or when the caller is the build holding it
    (`current_run_id`, whose own run is spared). Without this a `kill -9`'d build would hold the
    one-run slot until run monitoring's maximum runtime.
    """
    if current_run_id is None and not build_lock_is_free(settings):
        return []
    records = instance.get_run_records(
        filters=dg.RunsFilter(
            job_name=BUILD_JOB,
            statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
        )
    )
    dead = []
    for record in records:
        run = record.dagster_run
        started = record.start_time or record.create_timestamp.timestamp()
        if run.run_id == current_run_id or time.time() - started < grace_seconds:
            continue
        instance.report_run_failed(
            run, "the build's process is gone (killed): no process held the build lock"
        )
        dead.append(run.run_id)
    return dead
