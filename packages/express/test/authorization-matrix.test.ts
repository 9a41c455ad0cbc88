import { runAuthorizationMatrix } from '../../testing/src/index.js';
import { startExpressContractServer } from './contract-server.js';

runAuthorizationMatrix('express', startExpressContractServer);
