import type { Problem } from '@designer/shared';
import { describe, expect, it } from 'vitest';
import { notePreviewedAttributes, standingProblems } from './validation';

// What a preview answered for a Daily partition without its start date: sync's schema check (one line per union
// branch), Dagster's pydantic error, and a problem that has nothing to do with the attributes.
const attributes = { assets: [{ key: 'orders', partitions_def: { type: 'daily' } }] };
const problems: Problem[] = [
  {
    severity: 'error',
    nodeId: 'n1',
    message: "orders: attributes.assets.0.partitions_def 'start_date' is a required property",
    field: 'assets.0.partitions_def',
  },
  {
    severity: 'error',
    nodeId: 'n1',
    message: 'orders: attributes.assets.0.partitions_def.type must be equal to constant',
  },
  {
    severity: 'error',
    nodeId: 'n1',
    message: 'orders: attributes.assets.0.partitions_def.type must be equal to constant',
  },
  {
    severity: 'error',
    nodeId: 'n1',
    message:
      'orders: pydantic_core._pydantic_core.ValidationError: 13 validation errors for PythonScriptComponentModel assets…',
  },
  {
    severity: 'error',
    nodeId: 'n1',
    message: 'orders: orders.py line 3: invalid syntax',
    file: 'orders.py',
    line: 3,
  },
  { severity: 'warning', message: 'Two components write different DuckDB files.' },
];
const formError: Problem = {
  severity: 'error',
  nodeId: 'n1',
  message: 'orders: assets.0.partitions_def.start_date Start Date is required',
};
const messages = (list: Problem[]) => list.map((p) => p.message);

describe('standingProblems', () => {
  it('leaves the schema problems to the form (said once, in its words) and keeps the others', () => {
    notePreviewedAttributes(problems, new Map([['n1', attributes]]));
    const left = standingProblems(problems, () => attributes, { n1: [formError] });
    expect(messages(left)).toEqual([
      'orders: orders.py line 3: invalid syntax',
      'Two components write different DuckDB files.',
    ]);
  });

  it("drops Dagster's validation error once the attributes changed since the preview (the cause is gone)", () => {
    notePreviewedAttributes(problems, new Map([['n1', attributes]]));
    const fixed = {
      assets: [{ key: 'orders', partitions_def: { type: 'daily', start_date: '2024-01-01' } }],
    };
    const left = standingProblems(problems, () => fixed, { n1: [] });
    expect(messages(left).some((m) => /ValidationError|attributes\./.test(m))).toBe(false);
    expect(messages(left)).toContain('orders: orders.py line 3: invalid syntax');
  });

  it("keeps Dagster's error when the form finds nothing and nothing changed (the form cannot see it)", () => {
    notePreviewedAttributes(problems, new Map([['n1', attributes]]));
    const left = standingProblems(problems, () => attributes, { n1: [] });
    expect(messages(left).filter((m) => /ValidationError/.test(m))).toHaveLength(1);
  });

  it("keeps sync's schema problems for a node the form has not checked yet, each once", () => {
    const left = standingProblems(problems, () => attributes, {});
    expect(messages(left).filter((m) => /must be equal to constant/.test(m))).toHaveLength(1);
  });

  it('drops the problems of a node that is gone', () => {
    const left = standingProblems(problems, () => undefined, {});
    expect(messages(left)).toEqual(['Two components write different DuckDB files.']);
  });
});
