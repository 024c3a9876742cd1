// A row of tabs (role="tablist"): the panels' sections and the import dialog's sources.
export function TabStrip<T extends string>({
  tabs,
  active,
  onSelect,
}: {
  tabs: ReadonlyArray<readonly [T, string]>;
  active: T;
  onSelect: (id: T) => void;
}) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map(([id, label]) => (
        <button
          type="button"
          key={id}
          role="tab"
          aria-selected={active === id}
          className={active === id ? 'active' : ''}
          onClick={() => onSelect(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
