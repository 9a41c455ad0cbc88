/** Row `peer-nest-express`: NestJS (Express platform) + @nestjs/throttler + an API-key guard. */
import { startNest } from './nest-app.js';
import { PeerNestModule } from './peer-nest.js';

await startNest(PeerNestModule, 'express');
