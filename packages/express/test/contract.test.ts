import express4 from 'express4';
import { runContractTable } from '../../testing/src/index.js';
import { startExpressContractServer } from './contract-server.js';

// Every major the peer range claims (`^4.21.0 || ^5.0.0`), through an npm alias for Express 4.
runContractTable('express', startExpressContractServer);
runContractTable('express 4', (context) => startExpressContractServer(context, express4));
