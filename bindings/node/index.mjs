// The ESM entry point: index.js itself, its exports as named exports too.
export * from './index.js';
export { default } from './index.js';
