// Templates of new projects (issue 18): what "New project" offers, each a working pipeline built in one step.
import { Type, type Static } from '@sinclair/typebox';

export const PIPELINE_TEMPLATE_ID = '^[a-z][a-z0-9-]*$';

export const PipelineTemplateSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  /** One line: what the pipeline does. */
  description: Type.String(),
  /** The node labels it starts with, in order. */
  nodes: Type.Array(Type.String()),
  /** The integration libraries it adds to the project (e.g. dagster_dbt). */
  requires: Type.Array(Type.String()),
});
export type PipelineTemplateSummary = Static<typeof PipelineTemplateSummary>;
