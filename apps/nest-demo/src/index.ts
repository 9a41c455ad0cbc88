// The NestJS demo's modules, for tests and for copying from.
export { createApp, type DemoApp, type DemoPlatform } from './app.js';
export { AppModule } from './app.module.js';
export { MessagesController } from './messages.controller.js';
export { ModelsController } from './models.controller.js';
export { SummarizeController } from './summarize.controller.js';
export { serverOn, startFastifyServer, startServer } from './server.js';
