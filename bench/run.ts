// `npm run bench [name…]`: prints figures; never fails on a slow number.
import { benchCanvas } from './canvas.js';
import { benchCatalog } from './catalog.js';
import { benchCrash } from './crash.js';
import { benchMemory } from './memory.js';
import { benchPreview } from './preview.js';
import { benchRuns } from './runs.js';
import { benchSchedules } from './schedules.js';
import { benchStore } from './store.js';

const all: Record<string, () => Promise<void>> = {
  catalog: benchCatalog,
  store: benchStore,
  canvas: benchCanvas,
  preview: benchPreview,
  runs: benchRuns,
  schedules: benchSchedules,
  crash: benchCrash,
  memory: benchMemory,
};
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : Object.keys(all)) {
  const bench = all[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}" (${Object.keys(all).join(', ')})`);
    process.exit(2);
  }
  await bench();
}
