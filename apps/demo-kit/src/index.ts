// @claude-auth/demo-kit: what the demo services share. Re-exports only, by name.
export { MODELS, listModels, type ModelInfo, type ModelList } from './models.js';
export { parseMessagesRequest, type MessagesRequest } from './messages-request.js';
export {
  PRICE_PER_MILLION,
  answerMessages,
  costUsd,
  echoMessage,
  echoText,
  echoUsage,
  type MessagesResponse,
  type Usage,
} from './echo-message.js';
export {
  messageStreamEvents,
  sendMessage,
  writeMessageStream,
  type MessageStreamEvent,
} from './message-stream.js';
export { MAX_BODY_BYTES, readJsonBody } from './read-json-body.js';
export {
  startDemoServer,
  type BuildDemoApp,
  type DemoApp,
  type RunningServer,
  type StartServer,
  type StartServerOptions,
} from './start-demo-server.js';
export { runService, type RunServiceOptions } from './run-service.js';
export {
  SUMMARY_MODEL,
  claudeOnDemand,
  parseSummarizeRequest,
  summarize,
  type MessagesClient,
  type SummarizeRequest,
  type Summary,
} from './summarize.js';
