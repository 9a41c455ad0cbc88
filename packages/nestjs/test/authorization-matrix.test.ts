import { runAuthorizationMatrix } from '@claude-auth/testing';
import { startNestContractServer } from './support/contract-server.js';

runAuthorizationMatrix('nestjs-express', (context) => startNestContractServer(context, 'express'));
runAuthorizationMatrix('nestjs-fastify', (context) => startNestContractServer(context, 'fastify'));
