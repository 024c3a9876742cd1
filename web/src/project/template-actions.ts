// Creating a project from a template (issue 18): the server builds its pipeline and, with the workspace, its files.
import type { PipelineTemplateSummary } from '@designer/shared';
import { templatesApi } from '../api/snippets';
import { designerStore } from '../store';
import { openProject, reportError } from './project-actions';

/** The pipeline templates the New project dialog offers. */
export function listTemplates(): Promise<PipelineTemplateSummary[]> {
  return templatesApi.list();
}

export async function createProjectFromTemplate(
  name: string,
  description: string | undefined,
  template: string,
): Promise<void> {
  try {
    const project = await templatesApi.create(name, description, template);
    await openProject(project.id);
    const nodes = project.graph.nodes.length;
    designerStore
      .getState()
      .toast(
        'success',
        `Created "${project.name}"${nodes ? ` with ${nodes} components` : ''}. Its Dagster project is being set up.`,
      );
  } catch (error) {
    reportError(error, 'Could not create the project');
  }
}
