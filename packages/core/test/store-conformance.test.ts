import { LocalInvalidationBus, MemoryKeyStore } from '@claude-auth/core/store';
import {
  runInvalidationBusConformance,
  runSpendLedgerConformance,
} from '../../testing/src/index.js';

runSpendLedgerConformance('MemoryKeyStore', async () => ({ ledger: new MemoryKeyStore() }));

runInvalidationBusConformance('LocalInvalidationBus', async () => {
  const bus = new LocalInvalidationBus();
  return { publisher: bus, subscriber: bus };
});
