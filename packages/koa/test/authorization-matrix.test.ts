import { runAuthorizationMatrix } from '../../testing/src/index.js';
import { startKoaContractServer } from './contract-server.js';

runAuthorizationMatrix('koa', startKoaContractServer);
