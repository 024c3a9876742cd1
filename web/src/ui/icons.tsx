// The schedule and sensor icons, drawn in SVG (emoji fonts are not everywhere): on the canvas node and in its panel.

/** A clock: a schedule. */
export function ClockIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6">
      <circle cx="8" cy="8" r="6.2" />
      <path d="M8 4.5V8l2.4 1.6" strokeLinecap="round" />
    </svg>
  );
}

/** A radar sweep: a sensor. */
export function SensorIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6">
      <circle cx="8" cy="8" r="1.6" />
      <path d="M4.6 11.4a4.8 4.8 0 0 1 0-6.8M11.4 4.6a4.8 4.8 0 0 1 0 6.8" strokeLinecap="round" />
      <path d="M2.4 13.6a7.9 7.9 0 0 1 0-11.2M13.6 2.4a7.9 7.9 0 0 1 0 11.2" strokeLinecap="round" />
    </svg>
  );
}
