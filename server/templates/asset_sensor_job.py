"""An asset sensor that materializes a selection of assets: one asset job, run each time a watched asset is
materialized (by another run, another code location, or by hand), declared in YAML."""

from typing import Literal

import dagster as dg


class AssetSensorJobComponent(dg.Component, dg.Model, dg.Resolvable):
    """Runs the assets of `asset_selection` (Dagster's selection syntax: key:"a/b", group:x, kind:dbt, tag:t, +key)
    when `asset_key` (written a/b) gets a new materialization. Added by Dagster Designer; edit freely."""

    job_name: str
    sensor_name: str
    asset_key: str
    asset_selection: str
    default_status: Literal["RUNNING", "STOPPED"] = "STOPPED"
    minimum_interval_seconds: int | None = None
    description: str | None = None

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        if not self.asset_selection.strip():
            return dg.Definitions()  # no target yet: nothing to run
        job = dg.define_asset_job(
            name=self.job_name,
            selection=dg.AssetSelection.from_string(self.asset_selection),
            description=self.description,
        )

        @dg.asset_sensor(
            asset_key=dg.AssetKey.from_user_string(self.asset_key),
            job=job,
            name=self.sensor_name,
            minimum_interval_seconds=self.minimum_interval_seconds,
            default_status=dg.DefaultSensorStatus[self.default_status],
            description=self.description,
        )
        def _on_materialization(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
            # One run per materialization seen: the run key is the event's storage id (the sensor's cursor).
            yield dg.RunRequest(run_key=context.cursor)

        return dg.Definitions(jobs=[job], sensors=[_on_materialization])
