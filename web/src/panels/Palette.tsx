// The component palette: every installable component, grouped by library, searchable; drag onto the
// canvas or press Enter to add at the view centre.
import type { ComponentSummary } from '@designer/shared';
import { memo, useMemo, useRef, useState } from 'react';
import { DRAG_MIME } from '../canvas/Canvas';
import { categoryStyle } from '../canvas/category-style';
import { viewCentre } from '../commands/registry';
import { designerStore, useDesigner } from '../store';
import { loadCatalog } from '../project/catalog-actions';
import { withScheduleEntry } from './schedule-palette';
import { SnippetSection } from '../snippets/SnippetSection';

// The project's own components (category "project") come first: they are what this project is built from.
const CATEGORY_ORDER = ['automation', 'project', 'dagster', 'dbt', 'sling', 'dlt', 'fivetran', 'duckdb'];
const CATEGORY_TITLE: Record<string, string> = { project: 'this project' };

export function filterComponents(components: readonly ComponentSummary[], query: string): ComponentSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...components];
  return components.filter((c) => {
    const haystack = `${c.name} ${c.type} ${c.summary} ${c.category}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export function groupByCategory(
  components: readonly ComponentSummary[],
): Array<[string, ComponentSummary[]]> {
  const groups = new Map<string, ComponentSummary[]>();
  for (const c of components) groups.set(c.category, [...(groups.get(c.category) ?? []), c]);
  const rank = (c: string) => (CATEGORY_ORDER.indexOf(c) === -1 ? 99 : CATEGORY_ORDER.indexOf(c));
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

const add = (c: ComponentSummary) =>
  designerStore.getState().addComponent({ type: c.type, name: c.name }, viewCentre());

const PaletteItem = memo(function PaletteItem({
  component,
  active,
}: {
  component: ComponentSummary;
  active: boolean;
}) {
  const style = categoryStyle(component.category);
  return (
    <li
      className={`palette-item${active ? ' active' : ''}`}
      draggable
      tabIndex={0}
      role="option"
      aria-selected={active}
      data-testid={`palette-${component.type}`}
      title={component.description ?? component.summary}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_MIME, JSON.stringify({ type: component.type, name: component.name }));
        e.dataTransfer.effectAllowed = 'copy';
      }}
      onDoubleClick={() => add(component)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') add(component);
      }}
    >
      <span className="palette-badge" style={{ background: style.color }}>
        {style.badge}
      </span>
      <span className="palette-text">
        <span className="palette-name">{component.name}</span>
        <span className="palette-library">{component.module}</span>
        <span className="palette-summary">{component.summary}</span>
      </span>
    </li>
  );
});

export function Palette() {
  const components = useDesigner((s) => s.catalog);
  const packageName = useDesigner((s) => s.project?.package_name);
  const catalog = useMemo(
    () => (components ? withScheduleEntry(components, packageName) : components),
    [components, packageName],
  );
  const error = useDesigner((s) => s.catalogError);
  const query = useDesigner((s) => s.paletteQuery);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const filtered = useMemo(() => filterComponents(catalog ?? [], query), [catalog, query]);
  const groups = useMemo(() => groupByCategory(filtered), [filtered]);
  const flat = useMemo(() => groups.flatMap(([, items]) => items), [groups]);

  return (
    <aside className="palette" aria-label="Components">
      <div className="panel-header">
        <h2>Components</h2>
        {catalog && <span className="count">{catalog.length}</span>}
      </div>
      <input
        id="palette-search"
        className="search"
        type="search"
        placeholder="Search components  ( / )"
        aria-label="Search components"
        value={query}
        onChange={(e) => {
          designerStore.getState().setPaletteQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(flat.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
          else if (e.key === 'Enter' && flat[active]) add(flat[active]!);
          else if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          else return;
          e.preventDefault();
        }}
      />
      {!catalog && !error && (
        <div className="muted pad">
          <span className="spinner" /> Loading the installed components…
        </div>
      )}
      {!catalog && error && (
        <div className="muted pad" role="status">
          {error}{' '}
          <button className="link" onClick={() => void loadCatalog()}>
            Retry
          </button>
        </div>
      )}
      {catalog && flat.length === 0 && <div className="muted pad">No component matches “{query}”.</div>}
      <ul className="palette-list" role="listbox" ref={listRef} aria-label="Installed components">
        {groups.map(([category, items]) => (
          <li key={category} className="palette-group">
            <div className="palette-group-title">
              {CATEGORY_TITLE[category] ?? category} <span className="count">{items.length}</span>
            </div>
            <ul>
              {items.map((c) => (
                <PaletteItem
                  key={c.type}
                  component={c}
                  active={flat[active]?.type === c.type && query !== ''}
                />
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <SnippetSection position={viewCentre} />
    </aside>
  );
}
