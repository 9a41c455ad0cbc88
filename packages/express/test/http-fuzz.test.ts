import { runHttpFuzz } from '../../testing/src/index.js';
import { startExpressContractServer } from './contract-server.js';

runHttpFuzz('express', startExpressContractServer);
