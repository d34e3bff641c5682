"""Opt-in: the build job's steps on a Dask cluster, through dagster-dask (issue 13).

Set `DISCLOSURE_DASK_SCHEDULER=tcp://host:8786` and `make run` (python -m pipelines.build run)
executes the same `build_warehouse` assets, step by step, on the workers of that scheduler
instead of in its own process. Off by default: without the variable nothing here is used.

Each step runs in a Dask worker, which rebuilds the job by importing this module
(`dagster.reconstructable(build_job)`), so every worker needs the repo's environment and the
same `DISCLOSURE_RAW`, `DISCLOSURE_WAREHOUSE` and `DAGSTER_HOME` (a shared filesystem). DuckDB
has one writer: dagster-dask submits steps that do not depend on each other at the same time
(an asset check on `extract.cells` beside the dbt build), so `SerialDaskExecutor` makes each
step's Dask future depend on the one before it as well, except for steps tagged as never
opening the database: the extraction steps (`extract/shard_<k>`, `DISCLOSURE_EXTRACT_SHARDS`)
run side by side on whichever workers are free, each with a process pool over its worker's
cores (pipelines/workers.py), and write Parquet to the staging store; the next database step
waits for all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dagster as dg
import dask.distributed
from dagster import multiple_process_executor_requirements
from dagster._core.definitions.executor_definition import executor
from dagster._core.events import DagsterEvent
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster_dask.executor import (
    DaskExecutor,
    get_dask_resource_requirements,
    query_on_dask_worker,
)

from pipelines.assets.extraction import NO_DATABASE_TAG
from pipelines.automation import BUILD_JOB
from pipelines.settings import Settings


class SerialDaskExecutor(DaskExecutor):
    """dagster-dask's executor on an existing scheduler, one step at a time (single writer)."""

    def execute(
        self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan
    ) -> Iterator[DagsterEvent]:
        """Submit every step as a Dask future after the previous database step (and, for a database
        step, after the database-free steps since then); yield the steps' events."""
        if not plan_context.instance.is_persistent:
            msg = "Dask execution needs a persistent Dagster instance (DAGSTER_HOME)"
            raise dg.DagsterInvariantViolationError(msg)
        address = self.cluster_configuration["address"]
        with dask.distributed.Client(address) as client:
            futures: list[Any] = []
            # The last step that opens the database, and the database-free steps since it.
            writer: list[Any] = []
            side_by_side: list[Any] = []
            for level in execution_plan.get_steps_to_execute_by_level():
                finished_before = list(side_by_side)
                for step in level:
                    free = step.tags.get(NO_DATABASE_TAG) == "true"
                    after = writer + (finished_before if free else side_by_side)
                    if free:
                        # Wait here instead of passing the futures: a task holding them as
                        # arguments is placed beside their results, all on one worker.
                        dask.distributed.wait(after)
                        after = []
                    futures.append(
                        client.submit(
                            query_on_dask_worker,
                            after,
                            plan_context.reconstructable_job,
                            plan_context.dagster_run,
                            plan_context.run_config,
                            [step.key],
                            plan_context.instance.get_ref(),
                            execution_plan.known_state,
                            key=f"{plan_context.job_name}.{step.key}.{plan_context.run_id}",
                            resources=get_dask_resource_requirements(step.tags),
                        )
                    )
                    if free:
                        side_by_side.append(futures[-1])
                    else:
                        writer, side_by_side = futures[-1:], []
            for _future, events in dask.distributed.as_completed(futures, with_results=True):
                yield from events


@executor(
    name="serial_dask",
    requirements=multiple_process_executor_requirements(),
    config_schema={"address": str},
)
def serial_dask_executor(init_context: dg.InitExecutorContext) -> SerialDaskExecutor:
    """The build's Dask executor: `address` of an existing scheduler."""
    return SerialDaskExecutor("existing", {"address": init_context.executor_config["address"]})


def build_job() -> dg.JobDefinition:
    """Return `build_warehouse` with the Dask executor (module level: workers rebuild it)."""
    from pipelines import definitions

    settings = Settings.from_env()
    # Workers run dbt too: its profile reads the build database path from the environment.
    settings.export_env()
    job = dg.define_asset_job(
        BUILD_JOB,
        selection=dg.AssetSelection.all(),
        executor_def=serial_dask_executor.configured(
            {"address": settings.dask_scheduler or "tcp://127.0.0.1:8786"}
        ),
    )
    base = definitions.defs
    return dg.Definitions(
        assets=list(base.assets or []),
        asset_checks=list(base.asset_checks or []),
        jobs=[job],
        resources=base.resources,
    ).resolve_job_def(BUILD_JOB)


def execute(run_config: dict[str, Any]) -> dg.ExecutionResult:
    """Run the build job on the Dask scheduler of the settings; return its result."""
    return dg.execute_job(
        dg.reconstructable(build_job),
        instance=dg.DagsterInstance.get(),
        run_config=run_config,
        raise_on_error=False,
    )


def dask_setup(worker: object) -> None:
    """Dask's preload hook (`dask worker --preload pipelines.dask_build`): build the job once
    when the worker starts, so its first step does not pay for importing Dagster, dbt and the
    definitions."""
    del worker
    build_job()
