import { describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { deploymentRoot, loadErrorProblems } from './deploy.js';
import { pythonErrorText } from './observe.js';

const project = {
  package_name: 'shop',
  graph: {
    nodes: [
      {
        id: 'a',
        type: 'component',
        position: { x: 0, y: 0 },
        data: { label: 'extract', component_type: 'dagster.PythonScriptComponent', attributes: {} },
      },
      {
        id: 'b',
        type: 'component',
        position: { x: 0, y: 0 },
        data: { label: 'report', component_type: 'dagster.PythonScriptComponent', attributes: {} },
      },
    ],
    edges: [],
  },
} as unknown as ProjectFile;

describe('deploymentRoot', () => {
  it.each([
    [
      'a traceback frame',
      '  File "/srv/code/checkout/src/shop/defs/report/assets.py", line 3, in <module>',
      '/srv/code/checkout',
    ],
    ['a YAML location', 'at /opt/dagster/app/src/shop/defs/extract/defs.yaml:4', '/opt/dagster/app'],
    ['a venv frame only', '  File "/srv/.venv/lib/python3.11/site-packages/dagster/x.py", line 1', undefined],
    ['another package', '  File "/srv/src/other/defs/a.py", line 1', undefined],
  ])('%s', (_, text, root) => {
    expect(deploymentRoot(text, 'shop')).toBe(root);
  });
});

describe('loadErrorProblems', () => {
  it('puts a Python error of the deployment on the node whose module raised it, at its line', () => {
    const text = pythonErrorText({
      message:
        'dagster._core.errors.DagsterUserCodeLoadError: Error occurred during the loading of Dagster definitions',
      stack: [
        '  File "/srv/.venv/lib/python3.11/site-packages/dagster/_grpc/server.py", line 400, in __init__\n',
      ],
      causes: [
        {
          message: 'ValueError: the report table is missing\n',
          stack: ['  File "/srv/team/checkout/src/shop/defs/report/assets.py", line 7, in <module>\n'],
        },
      ],
    });
    const [problem, ...rest] = loadErrorProblems(project, 'Team OSS', text);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      severity: 'error',
      nodeId: 'b',
      file: 'src/shop/defs/report/assets.py',
      line: 7,
    });
    expect(problem!.message).toBe('report: On "Team OSS": ValueError: the report table is missing');
  });
});
