// The Koa demo's modules, for tests and for copying from.
export { createApp, type DemoApp } from './app.js';
export { startServer, type RunningServer } from './server.js';
export {
  MODELS,
  PRICE_PER_MILLION,
  chargeReply,
  costUsd,
  echoMessage,
  listModels,
  parseMessagesRequest,
  type MessagesRequest,
  type MessagesResponse,
  type ModelInfo,
} from './echo-api.js';
export { MAX_BODY_BYTES, readJsonBody } from './read-json-body.js';
