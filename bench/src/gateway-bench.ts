/**
 * Gateway rows: client → mock upstream directly; client → a minimal node:http pass-through proxy
 * (pooled keep-alive agent, no auth: the physical limit); client → gateway → mock. Each target
 * runs in its own process; the load is `POST /v1/messages` (JSON). Open-loop at fixed rates
 * (autocannon `overallRate`, default 1000 and 3000 requests/s) and closed-loop for peak
 * throughput. Prints a markdown table with p50/p99 and achieved rate, and the gateway's added
 * p50 over the minimal proxy's.
 *
 * GATEWAY_BENCH_SECONDS (default 10), GATEWAY_BENCH_RATES (default 1000,3000),
 * GATEWAY_BENCH_CONNECTIONS (default 100 open-loop, 50 closed-loop).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const seconds = Number(process.env.GATEWAY_BENCH_SECONDS ?? 10);
const rates = (process.env.GATEWAY_BENCH_RATES ?? '1000,3000').split(',').map(Number);
const connections = Number(process.env.GATEWAY_BENCH_CONNECTIONS ?? 100);
const log = (message: string): void => void process.stderr.write(`${message}\n`);

const BODY = JSON.stringify({
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Hello, Claude' }],
});

/** Starts `script` with node+tsx and resolves once it prints a listening line. */
function start(name: string, script: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/listening on/.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${output}`)));
  });
}

interface Row {
  target: string;
  mode: string;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function load(url: string, key: string, rate?: number): Promise<Omit<Row, 'target'>> {
  const result = await autocannon({
    url: `${url}/v1/messages`,
    method: 'POST',
    headers: {
      'x-api-key': key,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: BODY,
    duration: seconds,
    connections: rate === undefined ? Math.min(connections, 50) : connections,
    ...(rate === undefined ? {} : { overallRate: rate }),
  });
  return {
    mode: rate === undefined ? 'closed-loop peak' : `open-loop ${rate}/s`,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

const children: ChildProcess[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'gateway-bench-'));
try {
  const mockPort = 18_181;
  const proxyPort = 18_182;
  const gatewayPort = 18_183;
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const storeUrl = `sqlite:${path.join(dir, 'bench.db')}`;
  children.push(await start('mock', 'apps/gateway/src/mock-main.ts', { PORT: String(mockPort) }));
  children.push(
    await start('minimal-proxy', 'bench/src/servers/minimal-proxy.ts', {
      PORT: String(proxyPort),
      UPSTREAM: mockUrl,
    }),
  );
  const created = spawnSync(
    process.execPath,
    ['packages/cli/dist/cli.js', 'keys', 'create', '--name', 'bench'],
    { cwd: ROOT, env: { ...process.env, CLAUDE_AUTH_STORE_URL: storeUrl }, encoding: 'utf8' },
  );
  const key = created.stdout.trim().split('\n').at(-1) ?? '';
  if (!key.startsWith('cla_')) throw new Error(`could not create a key: ${created.stderr}`);
  children.push(
    await start('gateway', 'apps/gateway/src/main.ts', {
      PORT: String(gatewayPort),
      CLAUDE_AUTH_STORE_URL: storeUrl,
      CLAUDE_AUTH_RATE_LIMIT_RPM: 'off',
      CLAUDE_AUTH_LOG_LEVEL: 'warn',
      ANTHROPIC_BASE_URL: mockUrl,
      ANTHROPIC_API_KEY: 'mock-upstream-key',
    }),
  );
  const targets: Array<[string, string, string]> = [
    ['mock direct', mockUrl, 'mock-upstream-key'],
    ['minimal proxy → mock', `http://127.0.0.1:${proxyPort}`, 'mock-upstream-key'],
    ['gateway → mock', `http://127.0.0.1:${gatewayPort}`, key],
  ];
  const rows: Row[] = [];
  for (const rate of [...rates, undefined]) {
    for (const [target, url, apiKey] of targets) {
      await load(url, apiKey, 100); // warm-up (JIT, pools)
      const row = { target, ...(await load(url, apiKey, rate)) };
      log(
        `${row.target} ${row.mode}: p50 ${row.p50} ms, p99 ${row.p99} ms, ${Math.round(row.rps)} req/s, ${row.errors} errors`,
      );
      rows.push(row);
    }
  }
  console.log(`\n### Gateway (${seconds} s per row, POST /v1/messages JSON)\n`);
  console.log('| target | load | p50 ms | p99 ms | req/s | errors |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.target} | ${r.mode} | ${r.p50} | ${r.p99} | ${Math.round(r.rps)} | ${r.errors} |`,
    );
  }
  const find = (target: string, mode: string) =>
    rows.find((r) => r.target === target && r.mode === mode);
  for (const mode of new Set(rows.map((r) => r.mode))) {
    const mock = find('mock direct', mode);
    const proxy = find('minimal proxy → mock', mode);
    const gateway = find('gateway → mock', mode);
    if (!mock || !proxy || !gateway) continue;
    console.log(
      `- ${mode}: minimal proxy adds ${(proxy.p50 - mock.p50).toFixed(2)} ms p50, the gateway ${(gateway.p50 - mock.p50).toFixed(2)} ms` +
        (mode.startsWith('closed')
          ? `; peak ${(gateway.rps / proxy.rps).toFixed(2)}× the minimal proxy's`
          : ''),
    );
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
