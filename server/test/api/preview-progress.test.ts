// The preview's progress stream: a snapshot of the steps, ending at once when no preview runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('GET /projects/:id/preview/events', () => {
  it('answers the last state and ends when no preview is running', async () => {
    const project = (
      await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Idle' } })
    ).json();
    const res = await t.app.inject({ url: `/api/projects/${project.id}/preview/events` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.body).toBe(`event: end\ndata: ${JSON.stringify({ running: false, steps: [] })}\n\n`);
  });

  it('is a 404 for a project that does not exist', async () => {
    const res = await t.app.inject({
      url: '/api/projects/00000000-0000-4000-8000-000000000000/preview/events',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBeDefined();
  });
});
