// The Express demo's modules, for tests and for copying from.
export { createApp, type DemoApp } from './app.js';
export { startServer } from './server.js';
