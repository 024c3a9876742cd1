export * from './names.js';
export * from './graph.js';
export * from './api.js';
export * from './project-file/schema.js';
export * from './project-file/migrations.js';
export * from './component-types.js';
export * from './defs-mapping.js';
export * from './run-config.js';
