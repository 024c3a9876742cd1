// The property panel of the selected component: attributes from its real schema (rjsf), translation,
// post-processing rules, and the raw YAML of the node, all kept in sync.
import { describeType, envNames } from '@designer/shared';
import { TabStrip } from './TabStrip';
import type { IChangeEvent } from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { memo, useEffect, useMemo, useState } from 'react';
import { categoryStyle } from '../canvas/category-style';
import { AssetKeyFields } from '../forms/AssetKeyField';
import { formSchemaOf } from '../forms/validation';
import { NO_INJECTED_DEFAULTS, uiSchemaFor } from '../forms/schema';
import { LazyForm, preloadForm } from '../forms/LazyForm';
import { preloadCodeEditor } from '../editor/CodeEditor';
import { loadSchema } from '../project/catalog-actions';
import { designerStore, useDesigner } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { NodeCode, hasNodeCode } from './NodeCode';
import { NodeNameField } from './NodeNameField';
import { NodeYamlEditor } from './NodeYamlEditor';
import { PythonDefsPanel } from './PythonDefsPanel';
import { SchedulePanel } from './SchedulePanel';
import { ChecksTab } from '../checks/ChecksTab';
import { AutomationTab } from './AutomationTab';
import { ProjectPathChooser } from './ProjectPathChooser';
import { selectedNodeMemo } from './node-content';
import { pressedOnNode } from '../canvas/nodes/pressed';

const TRANSLATION_SCHEMA: RJSFSchema = {
  type: 'object',
  properties: {
    key_prefix: {
      type: 'string',
      title: 'Asset key prefix',
      description: 'Prepended to every asset key, e.g. "analytics" → analytics/orders.',
    },
    group_name: { type: 'string', title: 'Group', pattern: '^[A-Za-z0-9_]+$' },
    description: { type: 'string', title: 'Description' },
    owners: {
      type: 'array',
      title: 'Owners',
      items: { type: 'string', title: 'Owner (email or team:name)' },
    },
    tags: { type: 'object', title: 'Tags', additionalProperties: { type: 'string' } },
  },
};
const TRANSLATION_UI: UiSchema = {
  'ui:submitButtonOptions': { norender: true },
  description: { 'ui:widget': 'textarea' },
};

const POST_PROCESSING_SCHEMA: RJSFSchema = {
  type: 'object',
  properties: {
    assets: {
      type: 'array',
      title: 'Rules',
      items: {
        type: 'object',
        required: ['target'],
        properties: {
          target: { type: 'string', title: 'Target (asset selection)', default: '*' },
          operation: { type: 'string', title: 'Operation', enum: ['merge', 'replace'], default: 'merge' },
          attributes: {
            type: 'object',
            title: 'Attributes',
            properties: {
              group_name: { type: 'string', title: 'Group' },
              description: { type: 'string', title: 'Description' },
              tags: { type: 'object', title: 'Tags', additionalProperties: { type: 'string' } },
              kinds: { type: 'array', title: 'Kinds', items: { type: 'string' } },
            },
          },
        },
      },
    },
  },
};
const POST_PROCESSING_UI: UiSchema = { 'ui:submitButtonOptions': { norender: true } };

type Section = 'attributes' | 'code' | 'translation' | 'automation' | 'checks' | 'advanced';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

function AttributesForm({ node }: { node: DesignerNode }) {
  const entry = useDesigner((s) => s.schemas[node.data.component_type]);
  useEffect(() => {
    void loadSchema(node.data.component_type);
  }, [node.data.component_type]);
  const schema = useMemo(
    () => (entry && entry !== 'loading' && !('error' in entry) ? formSchemaOf(entry.schema) : null),
    [entry],
  );
  const uiSchema = useMemo(
    () => (schema ? (uiSchemaFor(schema as Record<string, unknown>) as UiSchema) : {}),
    [schema],
  );
  const formContext = useMemo(() => ({ nodeId: node.id }), [node.id]);
  if (entry === undefined || entry === 'loading')
    return (
      <div className="muted pad">
        <span className="spinner" /> Loading the schema of {node.data.component_type}…
      </div>
    );
  if ('error' in entry) return <div className="error-box">The schema could not be loaded: {entry.error}</div>;
  return (
    <LazyForm
      schema={schema!}
      uiSchema={uiSchema}
      formData={node.data.attributes}
      validation="union"
      extras="attributes"
      formContext={formContext}
      liveValidate="onChange"
      showErrorList={false}
      noHtml5Validate
      experimental_defaultFormStateBehavior={NO_INJECTED_DEFAULTS}
      idPrefix={`attr_${node.id}`}
      onChange={(e: IChangeEvent) => {
        const attributes = (e.formData ?? {}) as Record<string, unknown>;
        if (same(attributes, node.data.attributes)) return;
        designerStore.getState().updateNode(node.id, { attributes }, `attributes:${node.id}`);
        const refs = [...envNames(attributes)];
        if (refs.length > 0) designerStore.getState().addEnvRefs(refs);
      }}
    />
  );
}

function ObjectForm({
  node,
  field,
  schema,
  uiSchema,
}: {
  node: DesignerNode;
  field: 'translation' | 'post_processing';
  schema: RJSFSchema;
  uiSchema: UiSchema;
}) {
  return (
    <LazyForm
      schema={schema}
      uiSchema={uiSchema}
      formData={node.data[field] ?? {}}
      liveValidate="onChange"
      showErrorList={false}
      noHtml5Validate
      experimental_defaultFormStateBehavior={NO_INJECTED_DEFAULTS}
      idPrefix={`${field}_${node.id}`}
      onChange={(e: IChangeEvent) => {
        const value = (e.formData ?? {}) as Record<string, unknown>;
        if (same(value, node.data[field])) return;
        designerStore.getState().updateNode(node.id, { [field]: value }, `${field}:${node.id}`);
      }}
    />
  );
}

function NodeHeader({ node }: { node: DesignerNode }) {
  const { name, category, module } = describeType(node.data.component_type);
  const style = categoryStyle(category);
  const description = useDesigner(
    (s) => s.catalog?.find((c) => c.type === node.data.component_type)?.summary,
  );
  return (
    <div className="props-header">
      <div className="props-title">
        <span className="palette-badge" style={{ background: style.color }}>
          {style.badge}
        </span>
        <div>
          <div className="props-type">{name}</div>
          <div className="muted small">{module}</div>
        </div>
      </div>
      <NodeNameField
        node={node}
        caption={
          node.data.defined_at
            ? `Name (its YAML is in defs/${node.data.defined_at.path})`
            : 'Name (also its folder under defs/)'
        }
      />
      {description && <p className="muted small">{description}</p>}
    </div>
  );
}

function NodeAssets({ nodeId }: { nodeId: string }) {
  const preview = useDesigner((s) => s.preview);
  const assets = useMemo(() => preview.assets.filter((a) => a.nodeId === nodeId), [preview.assets, nodeId]);
  if (preview.status === 'idle') return null;
  return (
    <div className="node-asset-list">
      <div className="muted small">Assets at the last preview</div>
      {assets.length === 0 ? (
        <div className="muted small">None.</div>
      ) : (
        <ul>
          {assets.map((a) => (
            <li key={a.key} title={a.description}>
              <span className="mono">{a.key}</span>
              {a.deps.length > 0 && <span className="muted small"> ← {a.deps.join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The rjsf id of an attribute path: "execution.path" → attr_<node>_execution_path. */
export const fieldId = (nodeId: string, path: string) => `attr_${nodeId}_${path.replace(/\./g, '_')}`;

const NodeProperties = memo(function NodeProperties({ node }: { node: DesignerNode }) {
  const [section, setSection] = useState<Section>('attributes');
  const focus = useDesigner((s) => (s.focusField?.nodeId === node.id ? s.focusField : null));
  useEffect(() => {
    if (!focus) return;
    if (focus.section) {
      setSection(focus.section);
      designerStore.getState().setFocusField(null);
      return;
    }
    setSection('attributes');
    // The form renders after the schema loads: try for a moment, then give up quietly.
    let tries = 0;
    const timer = setInterval(() => {
      tries += 1;
      let el: HTMLElement | null = null;
      for (
        let path = focus.path;
        path && !el;
        path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : ''
      ) {
        el = document.getElementById(fieldId(node.id, path));
      }
      if (el || tries > 20) {
        clearInterval(timer);
        el?.scrollIntoView({ block: 'center' });
        (el?.matches('input, select, textarea')
          ? el
          : el?.querySelector<HTMLElement>('input, select, textarea')
        )?.focus();
        designerStore.getState().setFocusField(null);
      }
    }, 100);
    return () => clearInterval(timer);
  }, [focus, node.id]);
  const sections: Array<[Section, string]> = [
    ['attributes', 'Attributes'],
    ...(hasNodeCode(node) ? ([['code', 'Code']] as Array<[Section, string]>) : []),
    // Translation and post-processing both shape the asset specs: one tab, so the tabs fit on one row.
    ['translation', 'Translation'],
    ['automation', 'Automation'],
    ['checks', 'Checks'],
    ['advanced', 'YAML'],
  ];
  return (
    <>
      <NodeHeader node={node} />
      <AssetKeyFields node={node} />
      <NodeAssets nodeId={node.id} />
      <TabStrip tabs={sections} active={section} onSelect={setSection} />
      <div className="props-body">
        {section === 'attributes' && <ProjectPathChooser node={node} />}
        {section === 'attributes' && <AttributesForm node={node} />}
        {section === 'code' && <NodeCode node={node} />}
        {section === 'translation' && (
          <>
            <ObjectForm
              node={node}
              field="translation"
              schema={TRANSLATION_SCHEMA}
              uiSchema={TRANSLATION_UI}
            />
            <h3 className="props-subhead">Post-processing</h3>
            <ObjectForm
              node={node}
              field="post_processing"
              schema={POST_PROCESSING_SCHEMA}
              uiSchema={POST_PROCESSING_UI}
            />
          </>
        )}
        {section === 'automation' && <AutomationTab node={node} />}
        {section === 'checks' && <ChecksTab node={node} />}
        {section === 'advanced' && <NodeYamlEditor node={node} />}
      </div>
    </>
  );
});

export function PropertyPanel() {
  useEffect(() => {
    // The form's and the editor's code, fetched once the canvas is drawn and the page is idle: not on the opening
    // path, yet there before the first node is opened (no "Loading the form…" then).
    if (typeof window.requestIdleCallback !== 'function') return;
    const id = window.requestIdleCallback(
      () => {
        preloadForm().catch(() => undefined); // a form shown later tries again and says so
        preloadCodeEditor().catch(() => undefined);
      },
      { timeout: 5000 },
    );
    return () => window.cancelIdleCallback(id);
  }, []);
  // The same node object while it is only moved or resized: a drag does not render the panel again. (Not deferred
  // with useDeferredValue: for the frames the new panel took to build, the previous node's panel took the keys and
  // clicks meant for the new one, and a controlled field of the node being edited lagged one render behind.)
  const [selectedOf] = useState(() => selectedNodeMemo<DesignerNode>(pressedOnNode));
  const selected = useDesigner((s) => selectedOf(s.nodes));
  const project = useDesigner((s) => s.project);
  return (
    <aside className="properties" aria-label="Properties">
      {selected === null && (
        <div className="props-empty">
          <h2>{project?.name ?? 'No project'}</h2>
          {project?.description && <p>{project.description}</p>}
          <p className="muted">
            Select a component to edit its attributes. Drag from its right handle to another component to make
            that one depend on it.
          </p>
        </div>
      )}
      {selected === 'many' && (
        <div className="props-empty muted">
          Several components are selected. Copy, duplicate, delete or tidy them up together.
        </div>
      )}
      {selected && selected !== 'many' && selected.type === 'python' && (
        <PythonDefsPanel key={selected.id} node={selected} />
      )}
      {selected && selected !== 'many' && selected.type === 'schedule' && (
        <SchedulePanel key={selected.id} node={selected} />
      )}
      {selected && selected !== 'many' && selected.type !== 'python' && selected.type !== 'schedule' && (
        <NodeProperties key={selected.id} node={selected} />
      )}
    </aside>
  );
}
