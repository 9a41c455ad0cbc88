import { runHttpFuzz } from '../../testing/src/index.js';
import { startKoaContractServer } from './contract-server.js';

runHttpFuzz('koa', startKoaContractServer);
