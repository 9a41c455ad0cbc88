import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../src/run.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  dir: string;
  dbFile: string;
  storeUrl: string;
  /** Runs the CLI in-process against the temp store (`CLAUDE_AUTH_STORE_URL`). */
  cli(...args: string[]): Promise<CliResult>;
  /** Runs it and parses stdout as JSON (adds `--json`); fails the test on a non-zero exit. */
  json<T>(...args: string[]): Promise<T>;
  /** Every output the harness has seen so far, stdout and stderr. */
  transcript: string[];
  cleanup(): Promise<void>;
}

/** A temp directory with a SQLite store and an in-process `claude-auth`. */
export async function createHarness(): Promise<CliHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'claude-auth-cli-'));
  const dbFile = path.join(dir, 'keys.db');
  const storeUrl = `sqlite:${dbFile}`;
  const transcript: string[] = [];
  const cli = async (...args: string[]): Promise<CliResult> => {
    let stdout = '';
    let stderr = '';
    const code = await run(args, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { CLAUDE_AUTH_STORE_URL: storeUrl },
      cwd: dir,
    });
    transcript.push(stdout, stderr);
    return { code, stdout, stderr };
  };
  return {
    dir,
    dbFile,
    storeUrl,
    cli,
    transcript,
    json: async <T>(...args: string[]): Promise<T> => {
      const result = await cli(...args, '--json');
      if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The JSON of a key as the CLI prints it. */
export interface KeyJson {
  id: string;
  name: string;
  hint: string;
  status: string;
  kind: string;
  environment: string;
  workspaceId: string | null;
  permissions: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  rateLimit: { rpm: number; burst?: number } | null;
}

export interface WorkspaceJson {
  id: string;
  name: string;
  status: string;
  monthlySpendLimitMicros: number | null;
  rateLimit: { rpm: number; burst?: number } | null;
}
