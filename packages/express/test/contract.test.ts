import { runContractTable } from '@claude-auth/testing';
import { startExpressContractServer } from './contract-server.js';

runContractTable('express', startExpressContractServer);
