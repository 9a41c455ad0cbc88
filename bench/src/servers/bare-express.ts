/** Row `bare-express`: Express 5 with `express.json()`, no authentication. */
import express from 'express';
import { REPLY, serve } from './shared.js';

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.post('/v1/messages', express.json(), (_req, res) => {
  res.json(REPLY);
});

await serve(app);
