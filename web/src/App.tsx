export function App() {
  return <h1>Dagster Designer</h1>;
}
