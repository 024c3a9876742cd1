// Temporary: app.ts still imports GitPublisher from here while another change to app.ts is under way; the class
// lives in services/git/publisher.ts. Removed once app.ts imports it from there.
export { GitPublisher } from './git/publisher.js';
