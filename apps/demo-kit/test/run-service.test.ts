import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const fixture = path.join(import.meta.dirname, 'support', 'run-service-fixture.ts');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the fixture; `onListening` runs once it prints its "listening on" line. */
function runFixture(env: NodeJS.ProcessEnv, onListening?: (pid: number) => void): Promise<Exit> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (onListening && stdout.includes('listening on')) {
      const callback = onListening;
      onListening = undefined;
      callback(child.pid!);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe('runService', () => {
  it('exits 0 after Ctrl-C, even when the SIGINT arrives twice (terminal and pnpm)', async () => {
    const exit = await runFixture({ PORT: '0' }, (pid) => {
      process.kill(pid, 'SIGINT');
      setTimeout(() => process.kill(pid, 'SIGINT'), 50);
    });
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.stdout.match(/shutting down/g)).toHaveLength(1);
  });

  it('names the busy port and suggests PORT', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const exit = await runFixture({ PORT: String(port) });
      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(`fixture: could not start: port ${port} is already in use`);
      expect(exit.stderr).toContain(`PORT=${port + 1} pnpm start`);
      expect(exit.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
