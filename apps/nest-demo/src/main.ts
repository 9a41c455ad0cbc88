import { runService } from '@claude-auth/demo-kit';
import { startServer } from './server.js';

await runService(startServer, { name: 'nest-demo' });
