// The CI file `dg plus deploy configure serverless` writes for a project at the top of its repository, for a project
// with a Dagster+ deployment: GitHub Actions (.github/workflows/dagster-plus-deploy.yml) or GitLab CI
// (.gitlab-ci.yml). Rendered from the templates of the dagster-dg-cli installed in the project's own venv, with the
// substitutions of its configure_ci.py (serverless, fast PEX deploys, its default), so the file is dg's own.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Deployment } from '@designer/shared';

export interface CiFile {
  name: string;
  data: string;
  mode: number;
}

/** GitLab when the remote's host says so (as the team's repository is), GitHub otherwise. */
export function ciProvider(remote: string): 'github' | 'gitlab' {
  const host =
    /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)/i.exec(remote)?.[1] ?? /^[^@]+@([^:]+):/.exec(remote)?.[1];
  return host && /(^|\.)gitlab\./i.test(host) ? 'gitlab' : 'github';
}

/** dagster_dg_cli's folder in the project's venv, or null when it is not installed there. */
async function dgCliDir(root: string): Promise<string | null> {
  const lib = path.join(root, '.venv', 'lib');
  const pythons = await fs.readdir(lib).catch(() => [] as string[]);
  for (const p of pythons.filter((n) => n.startsWith('python')).sort()) {
    const dir = path.join(lib, p, 'site-packages', 'dagster_dg_cli');
    if (await fs.stat(path.join(dir, 'templates')).catch(() => null)) return dir;
  }
  return null;
}

/** The rendered CI file for a Dagster+ deployment, or null when dg's templates are not in the venv. */
export async function plusCiFile(
  root: string,
  deployment: Pick<Deployment, 'url' | 'organization' | 'deployment'>,
  remote: string,
): Promise<CiFile | null> {
  const dir = await dgCliDir(root);
  if (!dir || !deployment.organization || !deployment.deployment) return null;
  const provider = ciProvider(remote);
  const template = await fs
    .readFile(
      path.join(dir, 'templates', `serverless-${provider}-${provider === 'github' ? 'action' : 'ci'}.yaml`),
      'utf8',
    )
    .catch(() => null);
  if (template === null) return null;
  const version = /__version__\s*=\s*"([^"]+)"/.exec(
    await fs.readFile(path.join(dir, 'version.py'), 'utf8').catch(() => ''),
  )?.[1];
  // get_cli_version_or_main: a released dg pins the action to its own version.
  const actionVersion = !version || version.endsWith('+dev') ? 'main' : `v${version}`;
  const data = template
    .replaceAll('TEMPLATE_ORGANIZATION_NAME', deployment.organization)
    .replaceAll('TEMPLATE_DAGSTER_CLOUD_URL', deployment.url.replace(/\/+$/, ''))
    .replaceAll('TEMPLATE_DEFAULT_DEPLOYMENT_NAME', deployment.deployment)
    .replaceAll('TEMPLATE_PROJECT_DIR', '.')
    .replaceAll('TEMPLATE_DAGSTER_CLOUD_ACTION_VERSION', actionVersion)
    .replaceAll('TEMPLATE_ENABLE_FAST_DEPLOYS', 'true');
  return {
    name: provider === 'github' ? '.github/workflows/dagster-plus-deploy.yml' : '.gitlab-ci.yml',
    data,
    mode: 0o644,
  };
}
