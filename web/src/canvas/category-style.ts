// One look per component library, used by the palette and the nodes alike.
export const CATEGORY_STYLE: Record<string, { badge: string; color: string }> = {
  dagster: { badge: 'DG', color: '#4f43dd' },
  dbt: { badge: 'dbt', color: '#ff694a' },
  sling: { badge: 'SL', color: '#0d9488' },
  dlt: { badge: 'dlt', color: '#c026d3' },
  fivetran: { badge: 'FT', color: '#2563eb' },
  duckdb: { badge: 'DK', color: '#ca8a04' },
  project: { badge: 'PY', color: '#64748b' },
};

export const categoryStyle = (category: string) =>
  CATEGORY_STYLE[category] ?? { badge: category.slice(0, 2).toUpperCase(), color: '#64748b' };
