"""When the warehouse rebuilds: nightly, and whenever the raw folder changes."""

import hashlib
import json

import dagster as dg

from pipelines.inventory import stat_signature
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
