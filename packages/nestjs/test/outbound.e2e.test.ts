import 'reflect-metadata';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, MissingApiKeyError } from '@claude-auth/core';
import {
  ANTHROPIC_CLIENT,
  ClaudeAuthModule,
  ClaudeClientModule,
  ClaudeHeadersProvider,
  InjectAnthropic,
} from '../src/index.js';
import { loadAnthropicSdk } from '../src/load-anthropic-sdk.js';
import {
  startStandInClaudeApi,
  type StandInClaudeApi,
} from '../../testing/src/stand-in-claude-api.js';

const KEY_A = 'sk-ant-api03-nest-outbound-first-key';
const KEY_B = 'sk-ant-api03-nest-outbound-rotated-key';
const params = {
  model: 'claude-haiku-4-5',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'Hello' }],
};

@Injectable()
class SummaryService {
  constructor(@InjectAnthropic() readonly claude: Anthropic) {}

  async summarize(): Promise<string> {
    const message = await this.claude.messages.create(params);
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  }
}

let api: StandInClaudeApi;
let dir: string;
beforeAll(async () => {
  api = await startStandInClaudeApi();
  dir = await mkdtemp(path.join(tmpdir(), 'claude-auth-nest-outbound-'));
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

async function compile(imports: NonNullable<Parameters<typeof Module>[0]['imports']>) {
  const moduleRef = await Test.createTestingModule({
    imports,
    providers: [SummaryService],
  }).compile();
  return moduleRef;
}

describe('ClaudeClientModule', () => {
  it("injects the official SDK client configured from ClaudeAuthModule's outbound options", async () => {
    const moduleRef = await compile([
      ClaudeAuthModule.forRoot({
        environment: 'test',
        outbound: { baseUrl: api.baseUrl, apiKey: KEY_A, env: {}, workspaceId: 'wrkspc_01nest' },
      }),
      ClaudeClientModule.forRoot({ clientOptions: { maxRetries: 0 } }),
    ]);
    try {
      const service = moduleRef.get(SummaryService);
      expect(service.claude).toBeInstanceOf(Anthropic);
      expect(moduleRef.get(ANTHROPIC_CLIENT)).toBe(service.claude);
      expect(await service.summarize()).toBe('Hi there');
      expect(api.last()).toMatchObject({
        'x-api-key': KEY_A,
        'anthropic-version': '2023-06-01',
        'anthropic-workspace-id': 'wrkspc_01nest',
      });
      expect(api.last().authorization).toBeUndefined();
    } finally {
      await moduleRef.close();
    }
  });

  it('uses a rotated ANTHROPIC_API_KEY_FILE on the next call, without a restart', async () => {
    const file = path.join(dir, 'anthropic-key');
    await writeFile(file, `${KEY_A}\n`);
    const moduleRef = await compile([
      ClaudeAuthModule.forRoot({
        environment: 'test',
        outbound: { baseUrl: api.baseUrl, env: { ANTHROPIC_API_KEY_FILE: file } },
      }),
      ClaudeClientModule.forRoot(),
    ]);
    try {
      const service = moduleRef.get(SummaryService);
      await service.summarize();
      expect(api.last()['x-api-key']).toBe(KEY_A);
      await writeFile(file, `${KEY_B}\n`);
      const later = new Date(Date.now() + 5000);
      await utimes(file, later, later);
      await service.summarize();
      expect(api.last()['x-api-key']).toBe(KEY_B);
    } finally {
      await moduleRef.close();
    }
  });

  it("forRootAsync: a factory's options lay over the shared ones (bearer scheme here)", async () => {
    const SETTINGS = Symbol('settings');
    @Module({
      providers: [{ provide: SETTINGS, useValue: { scheme: 'bearer' } }],
      exports: [SETTINGS],
    })
    class SettingsModule {}
    const moduleRef = await compile([
      ClaudeAuthModule.forRoot({
        environment: 'test',
        outbound: { baseUrl: api.baseUrl, apiKey: async () => KEY_B, env: {} },
      }),
      ClaudeClientModule.forRootAsync({
        imports: [SettingsModule],
        inject: [SETTINGS],
        useFactory: (settings: { scheme: 'bearer' }) => ({ authScheme: settings.scheme }),
      }),
    ]);
    try {
      await moduleRef.get(SummaryService).summarize();
      expect(api.last().authorization).toBe(`Bearer ${KEY_B}`);
      expect(api.last()['x-api-key']).toBeUndefined();
    } finally {
      await moduleRef.close();
    }
  });

  it('works without ClaudeAuthModule, from its own options and the environment given', async () => {
    const moduleRef = await compile([
      ClaudeClientModule.forRoot({
        env: { ANTHROPIC_API_KEY: KEY_A, ANTHROPIC_BASE_URL: api.baseUrl },
        version: '2026-10-21',
      }),
    ]);
    try {
      await moduleRef.get(SummaryService).summarize();
      expect(api.last()).toMatchObject({ 'x-api-key': KEY_A, 'anthropic-version': '2026-10-21' });
    } finally {
      await moduleRef.close();
    }
  });

  it('a bad outbound option fails start-up with a ConfigurationError; a missing key fails the call', async () => {
    await expect(
      compile([
        ClaudeAuthModule.forRoot({ environment: 'test', outbound: { workspaceId: 'ws-1' } }),
        ClaudeClientModule.forRoot(),
      ]),
    ).rejects.toBeInstanceOf(ConfigurationError);

    const moduleRef = await compile([
      ClaudeClientModule.forRoot({ env: {}, baseUrl: api.baseUrl }),
    ]);
    try {
      const before = api.requests.length;
      await expect(moduleRef.get(SummaryService).summarize()).rejects.toBeInstanceOf(
        MissingApiKeyError,
      );
      expect(api.requests.length).toBe(before);
    } finally {
      await moduleRef.close();
    }
  });

  it('names @anthropic-ai/sdk when it is not installed', async () => {
    const missing = '@anthropic-ai/not-installed-sdk';
    const error: unknown = await loadAnthropicSdk(() =>
      import(missing).catch((cause: unknown) => {
        const e = cause as Error & { code?: string };
        throw Object.assign(new Error(e.message.replace(missing, '@anthropic-ai/sdk')), {
          code: e.code,
        });
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'CLAUDE_AUTH_DRIVER_MISSING' });
    expect((error as Error).message).toContain('npm install @anthropic-ai/sdk');
  });
});

describe('ClaudeHeadersProvider', () => {
  it('returns the outbound headers with a freshly resolved key, and the base URL', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ClaudeAuthModule.forRoot({
          environment: 'test',
          outbound: {
            baseUrl: `${api.baseUrl}/`,
            apiKey: KEY_A,
            authScheme: 'bearer',
            betas: ['prompt-caching-2024-07-31'],
          },
        }),
      ],
    }).compile();
    try {
      const provider = moduleRef.get(ClaudeHeadersProvider);
      expect(provider.baseUrl).toBe(api.baseUrl);
      expect(await provider.headers({ workspaceId: 'wrkspc_01abc' })).toEqual({
        authorization: `Bearer ${KEY_A}`,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        'anthropic-beta': 'prompt-caching-2024-07-31',
        'anthropic-workspace-id': 'wrkspc_01abc',
      });
      const response = await fetch(`${provider.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: await provider.headers(),
        body: JSON.stringify(params),
      });
      expect(response.status).toBe(200);
      expect(api.last().authorization).toBe(`Bearer ${KEY_A}`);
    } finally {
      await moduleRef.close();
    }
  });

  it('without a key: MissingApiKeyError naming where it looked, never a value', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ClaudeAuthModule.forRoot({ environment: 'test', outbound: { env: {} } })],
    }).compile();
    try {
      const error: unknown = await moduleRef
        .get(ClaudeHeadersProvider)
        .headers()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingApiKeyError);
      expect((error as Error).message).toContain('ANTHROPIC_API_KEY_FILE');
    } finally {
      await moduleRef.close();
    }
  });
});
