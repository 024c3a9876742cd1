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
        schedule = dg.ScheduleDefinition(
            name=self.schedule_name or f"{self.job_name}_schedule",
            job=job,
            cron_schedule=self.cron_schedule,
            execution_timezone=self.execution_timezone,
            default_status=dg.DefaultScheduleStatus[self.default_status],
            description=self.description,
        )
        return dg.Definitions(jobs=[job], schedules=[schedule])
