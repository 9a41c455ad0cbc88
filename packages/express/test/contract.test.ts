import { runContractTable } from '../../testing/src/index.js';
import { startExpressContractServer } from './contract-server.js';

runContractTable('express', startExpressContractServer);
