// The project's deployments: add, change or remove a Dagster OSS webserver or a Dagster+ deployment, give its
// token (sent once to the server, which keeps it in memory only), and test the connection with a clear answer.
import {
  deploymentProblem,
  type ConnectionTest,
  type Deployment,
  type DeploymentInput,
} from '@designer/shared';
import { useState } from 'react';
import { Modal } from '../ui/Modal';
import { TextField } from '../ui/TextField';
import { reportError } from '../project/project-actions';
import { designerStore } from '../store';
import {
  loadDeployments,
  openDeploymentsDialog,
  removeDeployment,
  saveDeployment,
  testDeployment,
  useDeployments,
} from './deployment-store';
import './deployments.css';

type Draft = DeploymentInput & { token: string };

const blank = (): Draft => ({
  name: '',
  kind: 'oss',
  url: '',
  auth: 'none',
  tokenFrom: 'memory',
  token: '',
});

const draftOf = (d: Deployment): Draft => ({
  name: d.name,
  kind: d.kind,
  url: d.url,
  auth: d.auth,
  tokenFrom: d.tokenFrom,
  ...(d.organization !== undefined ? { organization: d.organization } : {}),
  ...(d.deployment !== undefined ? { deployment: d.deployment } : {}),
  ...(d.headerName !== undefined ? { headerName: d.headerName } : {}),
  token: '',
});

/** The input the server takes: fields of the other kind or auth left out. */
function inputOf(draft: Draft): DeploymentInput {
  const plus = draft.kind === 'plus';
  const auth = plus ? 'plus' : draft.auth === 'plus' ? 'none' : draft.auth;
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    url: draft.url.trim(),
    auth,
    tokenFrom: auth === 'none' ? 'memory' : draft.tokenFrom,
    ...(plus ? { organization: draft.organization ?? '', deployment: draft.deployment ?? '' } : {}),
    ...(auth === 'header' ? { headerName: draft.headerName ?? '' } : {}),
  };
}

function TestAnswer({ test }: { test: ConnectionTest }) {
  const ok = test.reachable && Boolean(test.servesProject);
  return (
    <div className={`deployment-test ${ok ? 'ok' : 'failed'}`} role="status" data-testid="deployment-test">
      <div>
        {ok ? '✓ ' : '✗ '}
        {test.message}
      </div>
      {test.hint && <div className="muted small">{test.hint}</div>}
      {test.locations.length > 0 && (
        <ul>
          {test.locations.map((l) => (
            <li key={l.name} className="small">
              <span className="mono">{l.name}</span> · {l.status}
              {l.package ? ` · package ${l.package}` : ''}
              {l.name === test.servesProject ? ' · serves this project' : ''}
              {l.error && <div className="muted small">{l.error.split('\n')[0]}</div>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DeploymentForm({
  projectId,
  editing,
  onDone,
}: {
  projectId: string;
  editing: Deployment | null;
  onDone: (saved: Deployment | null) => void;
}) {
  const [draft, setDraft] = useState<Draft>(editing ? draftOf(editing) : blank());
  const [busy, setBusy] = useState(false);
  const change = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const input = inputOf(draft);
  const problem = draft.name || draft.url ? deploymentProblem(input) : null;
  const takesToken = input.auth !== 'none' && input.tokenFrom === 'memory';
  const save = async () => {
    setBusy(true);
    try {
      const token = takesToken && draft.token ? draft.token : undefined;
      onDone(await saveDeployment(projectId, editing ? editing.id : null, input, token));
    } catch (error) {
      reportError(error, 'The deployment was not saved');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="deployment-form">
      <div className="form grid2">
        <TextField
          caption="Name"
          label="Deployment name"
          value={draft.name}
          onChange={(name) => change({ name })}
          placeholder="prod"
        />
        <label className="field">
          <span>Kind</span>
          <select
            aria-label="Deployment kind"
            value={draft.kind}
            onChange={(e) => {
              const kind = e.target.value as Draft['kind'];
              change({ kind, auth: kind === 'plus' ? 'plus' : 'none' });
            }}
          >
            <option value="oss">Dagster OSS (webserver)</option>
            <option value="plus">Dagster+</option>
          </select>
        </label>
        <TextField
          wide
          caption={draft.kind === 'plus' ? 'Organization URL' : 'Webserver URL (GraphQL at <url>/graphql)'}
          label="Deployment URL"
          value={draft.url}
          onChange={(url) => change({ url })}
          placeholder={draft.kind === 'plus' ? 'https://acme.dagster.cloud' : 'http://dagster.internal:3000'}
        />
        {draft.kind === 'plus' ? (
          <>
            <TextField
              caption="Organization"
              label="Organization"
              value={draft.organization ?? ''}
              onChange={(organization) => change({ organization })}
              placeholder="acme"
            />
            <TextField
              caption="Deployment"
              label="Dagster+ deployment"
              value={draft.deployment ?? ''}
              onChange={(deployment) => change({ deployment })}
              placeholder="prod"
            />
          </>
        ) : (
          <label className="field">
            <span>Auth (a proxy in front of the webserver)</span>
            <select
              aria-label="Auth"
              value={draft.auth}
              onChange={(e) => change({ auth: e.target.value as Draft['auth'] })}
            >
              <option value="none">None</option>
              <option value="bearer">Bearer token (Authorization header)</option>
              <option value="header">Token in a header of its own</option>
            </select>
          </label>
        )}
        {input.auth === 'header' && (
          <TextField
            caption="Header name"
            label="Header name"
            value={draft.headerName ?? ''}
            onChange={(headerName) => change({ headerName })}
            placeholder="X-Api-Key"
          />
        )}
        {input.auth !== 'none' && (
          <label className="field">
            <span>Token from</span>
            <select
              aria-label="Token from"
              value={draft.tokenFrom ?? 'memory'}
              onChange={(e) => change({ tokenFrom: e.target.value as Draft['tokenFrom'] })}
            >
              <option value="memory">Entered here (memory only)</option>
              <option value="env">DAGSTER_CLOUD_API_TOKEN of the server</option>
            </select>
          </label>
        )}
        {takesToken && (
          <TextField
            wide
            caption="Token (kept in the designer server's memory only: never written to disk, a log, an export or a commit; enter it again after a restart)"
            label="Deployment token"
            type="password"
            autoComplete="off"
            value={draft.token}
            onChange={(token) => change({ token })}
            placeholder={editing?.tokenSet ? 'set for this session; leave empty to keep it' : ''}
          />
        )}
      </div>
      {problem && (
        <div className="field-error" role="alert">
          {problem.message}
        </div>
      )}
      <div className="actions">
        <button onClick={() => onDone(null)}>Cancel</button>
        <button
          className="primary"
          disabled={busy || !draft.name || !draft.url || problem !== null}
          onClick={() => void save()}
        >
          {busy ? 'Saving…' : editing ? 'Save deployment' : 'Add deployment'}
        </button>
      </div>
    </div>
  );
}

export function DeploymentsDialog() {
  const open = useDeployments((d) => d.dialogOpen);
  const projectId = useDeployments((d) => d.projectId);
  const list = useDeployments((d) => d.list);
  const [editing, setEditing] = useState<Deployment | 'new' | null>(null);
  const [tests, setTests] = useState<Record<string, ConnectionTest | 'testing'>>({});
  if (!open || !projectId) return null;
  const close = () => {
    setEditing(null);
    openDeploymentsDialog(false);
  };
  const test = async (d: Deployment) => {
    setTests((t) => ({ ...t, [d.id]: 'testing' }));
    try {
      const answer = await testDeployment(projectId, d.id);
      setTests((t) => ({ ...t, [d.id]: answer }));
    } catch (error) {
      setTests((t) => {
        const { [d.id]: _, ...rest } = t;
        return rest;
      });
      reportError(error, `Test of ${d.name}`);
    }
  };
  const remove = async (d: Deployment) => {
    if (
      !window.confirm(
        `Remove the deployment "${d.name}" from this project? (Nothing changes on the deployment.)`,
      )
    )
      return;
    try {
      await removeDeployment(projectId, d.id);
    } catch (error) {
      reportError(error, 'Remove failed');
    }
  };
  return (
    <Modal title="Deployments" onClose={close} wide>
      <p className="muted small">
        The team&apos;s own Dagster: a Dagster OSS webserver (with an optional token for a proxy in front of
        it) or a Dagster+ deployment. With one picked in the top bar, nodes show its state and Run launches
        there.
      </p>
      {editing === null && (
        <>
          <ul className="deployment-list" aria-label="Deployments of this project">
            {list.map((d) => {
              const t = tests[d.id];
              return (
                <li key={d.id} data-testid={`deployment-${d.name}`}>
                  {/* The name and address take what the buttons leave (a long URL wraps there), so the buttons
                      stay on one row. */}
                  <div className="deployment-about">
                    <span className="name">{d.name}</span>
                    <span className="muted small">
                      {d.kind === 'plus' ? 'Dagster+' : 'OSS'} · <span className="mono">{d.url}</span>
                      {d.auth !== 'none' &&
                        ` · token ${d.tokenFrom === 'env' ? 'from DAGSTER_CLOUD_API_TOKEN' : ''}${d.tokenSet ? ' set' : ' not set'}`}
                    </span>
                  </div>
                  <div className="deployment-buttons">
                    <button className="small" onClick={() => void test(d)} disabled={t === 'testing'}>
                      {t === 'testing' ? 'Testing…' : 'Test connection'}
                    </button>
                    <button className="small" onClick={() => setEditing(d)}>
                      Edit
                    </button>
                    <button className="small danger" onClick={() => void remove(d)}>
                      Remove
                    </button>
                  </div>
                  {t && t !== 'testing' && (
                    <div className="deployment-answer">
                      <TestAnswer test={t} />
                    </div>
                  )}
                </li>
              );
            })}
            {list.length === 0 && <li className="muted small">No deployment yet.</li>}
          </ul>
          <div className="actions">
            <button onClick={close}>Close</button>
            <button className="primary" onClick={() => setEditing('new')}>
              Add deployment
            </button>
          </div>
        </>
      )}
      {editing !== null && (
        <DeploymentForm
          projectId={projectId}
          editing={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (!saved) return;
            void loadDeployments(projectId).then(() => void test(saved));
            designerStore
              .getState()
              .toast('info', `Deployment "${saved.name}" saved; testing the connection…`);
          }}
        />
      )}
    </Modal>
  );
}
