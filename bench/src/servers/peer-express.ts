/**
 * Row `peer-express`: the usual hand-assembled Express stack: passport-headerapikey checking one
 * static key in constant time, express-rate-limit (memory store, limit never reached, standard
 * headers), `express.json()`.
 */
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import passport from 'passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { benchApiKey, keyMatches, REPLY, serve } from './shared.js';

const expected = benchApiKey();
passport.use(
  new HeaderAPIKeyStrategy({ header: 'x-api-key', prefix: '' }, false, (apiKey, done) => {
    done(null, keyMatches(apiKey, expected) ? { id: 'bench' } : false);
  }),
);

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(passport.initialize());
app.post(
  '/v1/messages',
  passport.authenticate('headerapikey', { session: false }),
  rateLimit({ windowMs: 60_000, limit: 1e9, standardHeaders: 'draft-7', legacyHeaders: false }),
  express.json(),
  (_req, res) => {
    res.json(REPLY);
  },
);

await serve(app);
