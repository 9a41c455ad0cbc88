import { runContractTable } from '@claude-auth/testing';
import { startNestContractServer } from './support/contract-server.js';

runContractTable('nestjs-express', (context) => startNestContractServer(context, 'express'));
runContractTable('nestjs-fastify', (context) => startNestContractServer(context, 'fastify'));
