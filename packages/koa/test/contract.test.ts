import { runContractTable } from '@claude-auth/testing';
import { startKoaContractServer } from './contract-server.js';

runContractTable('koa', startKoaContractServer);
