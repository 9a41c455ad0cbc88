import Koa2 from 'koa2';
import { runContractTable } from '../../testing/src/index.js';
import { startKoaContractServer } from './contract-server.js';

// Every major the peer range claims (`^2.15.0 || ^3.0.0`), through an npm alias for Koa 2.
runContractTable('koa', startKoaContractServer);
runContractTable('koa 2', (context) => startKoaContractServer(context, Koa2));
