import { runContractTable } from '../../testing/src/index.js';
import { startKoaContractServer } from './contract-server.js';

runContractTable('koa', startKoaContractServer);
