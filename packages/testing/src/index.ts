export {
  runKeyStoreConformance,
  sampleKeyRecord,
  sampleWorkspaceRecord,
  type KeyStoreFixture,
} from './key-store-conformance.js';
