"""A schedule that materializes a selection of assets: one asset job plus its cron schedule, declared in YAML."""

from typing import Literal

import dagster as dg


class ScheduledJobComponent(dg.Component, dg.Model, dg.Resolvable):
    """Runs the assets of `asset_selection` (Dagster's selection syntax: key:"a/b", group:x, kind:dbt, tag:t, +key)
    on `cron_schedule` in `execution_timezone`. Added by Dagster Designer; edit freely."""

    job_name: str
    cron_schedule: str
    asset_selection: str
    execution_timezone: str = "UTC"
    default_status: Literal["RUNNING", "STOPPED"] = "STOPPED"
    schedule_name: str | None = None
    description: str | None = None

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        if not self.asset_selection.strip():
            return dg.Definitions()  # no target yet: nothing to run
        job = dg.define_asset_job(
            name=self.job_name,
            selection=dg.AssetSelection.from_string(self.asset_selection),
            description=self.description,
        )
        job_name = self.job_name

        def evaluate(context: dg.ScheduleEvaluationContext):
            # Time-partitioned assets: each tick runs the partition that has just ended at the tick, as Dagster's
            # build_schedule_from_partitioned_job does, but on this schedule's own cron. Otherwise one plain run.
            partitions_def = context.repository_def.get_job(job_name).partitions_def
            if isinstance(partitions_def, dg.TimeWindowPartitionsDefinition):
                with dg.partition_loading_context(effective_dt=context.scheduled_execution_time):
                    key = partitions_def.get_last_partition_key()
                if key is None:
                    return dg.SkipReason("No partition of the selection has ended yet at this tick.")
                return dg.RunRequest(partition_key=key)
            return dg.RunRequest()

        schedule = dg.ScheduleDefinition(
            name=self.schedule_name or f"{self.job_name}_schedule",
            job=job,
            cron_schedule=self.cron_schedule,
            execution_timezone=self.execution_timezone,
            default_status=dg.DefaultScheduleStatus[self.default_status],
            description=self.description,
            execution_fn=evaluate,
        )
        return dg.Definitions(jobs=[job], schedules=[schedule])
