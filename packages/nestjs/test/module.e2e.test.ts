import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createAuthenticator,
  KeyManager,
  type Authenticator,
  type RouteRequirements,
} from '@claude-auth/core';
import { ApiKeyGuard, CLAUDE_AUTHENTICATOR, ClaudeAuth, ClaudeAuthModule } from '../src/index.js';
import { PLATFORMS, authHeaders, startApp, type StartedApp } from './support/platforms.js';

const SETTINGS = Symbol('settings');
interface Settings {
  environment: string;
}

@Module({
  providers: [{ provide: SETTINGS, useValue: { environment: 'test' } satisfies Settings }],
  exports: [SETTINGS],
})
class SettingsModule {}

@UseGuards(ApiKeyGuard)
@Controller('guarded')
class GuardedController {
  @Get()
  get(@ClaudeAuth('environment') environment: string): { environment: string } {
    return { environment };
  }
}

@Controller('open')
class OpenController {
  @Get()
  get(): { open: true } {
    return { open: true };
  }
}

/** A subclass using the protected hooks: every route under /strict needs `strict:use`. */
@Injectable()
class StrictGuard extends ApiKeyGuard {
  protected override getRequirements(context: ExecutionContext): RouteRequirements {
    const base = super.getRequirements(context);
    const strict = this.getRequest(context).url?.startsWith('/strict') === true;
    return strict ? { ...base, permissions: [...(base.permissions ?? []), 'strict:use'] } : base;
  }
}

@UseGuards(StrictGuard)
@Controller('strict')
class StrictController {
  @Get()
  get(@ClaudeAuth('keyName') keyName: string): { keyName: string } {
    return { keyName };
  }
}

@Injectable()
class KeyService {
  constructor(@Inject(KeyManager) readonly keys: KeyManager) {}
}

@Module({ providers: [KeyService], exports: [KeyService] })
class FeatureModule {}

let started: StartedApp | undefined;
afterEach(async () => {
  await started?.app.close();
  started = undefined;
});

describe.each(PLATFORMS)('ClaudeAuthModule on %s', (platform) => {
  it('forRootAsync with useFactory + inject configures the authenticator; @UseGuards guards one controller', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        FeatureModule,
        ClaudeAuthModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: Settings) => ({
            environment: settings.environment,
            failedAuth: false,
          }),
        }),
      ],
      controllers: [GuardedController, OpenController],
    }).compile();
    started = await startApp(moduleRef, platform);

    const authenticator = started.app.get<Authenticator>(CLAUDE_AUTHENTICATOR);
    expect(authenticator.options.environment).toBe('test');
    // isGlobal defaults to true: a feature module injects KeyManager without importing the module.
    const { keys } = started.app.get(KeyService);
    expect(keys).toBe(authenticator.keys);

    // Not global: the unguarded controller needs no key.
    expect((await fetch(`${started.url}/open`)).status).toBe(200);

    // Without the filter, Nest's default handler still answers with the contract body, and the
    // guard has already set the request-id header.
    const refused = await fetch(`${started.url}/guarded`, { headers: authHeaders() });
    expect(refused.status).toBe(401);
    const requestId = refused.headers.get('request-id');
    expect(requestId).toMatch(/^req_/);
    expect(await refused.json()).toEqual({
      type: 'error',
      error: {
        type: 'authentication_error',
        message:
          'Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>',
      },
      request_id: requestId,
    });

    const { secret } = await keys.createKey({ name: 'env-test', environment: 'test' });
    const ok = await fetch(`${started.url}/guarded`, { headers: authHeaders(secret) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ environment: 'test' });
  });
});

describe.each(PLATFORMS)('ApiKeyGuard subclass on %s', (platform) => {
  it('applies requirements added by an overridden getRequirements()', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ClaudeAuthModule.forRoot({ failedAuth: false })],
      controllers: [StrictController],
    }).compile();
    started = await startApp(moduleRef, platform);
    const keys = started.app.get(KeyManager);
    const plain = (await keys.createKey({ name: 'plain', permissions: ['other'] })).secret;
    const strict = (await keys.createKey({ name: 'strict', permissions: ['strict:use'] })).secret;
    const denied = await fetch(`${started.url}/strict`, { headers: authHeaders(plain) });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('request-id')).toMatch(/^req_/);
    const ok = await fetch(`${started.url}/strict`, { headers: authHeaders(strict) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ keyName: 'strict' });
  });
});

describe('ClaudeAuthModule lifecycle', () => {
  it('closes the authenticator it created on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ClaudeAuthModule.forRoot({})],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const close = vi.spyOn(app.get<Authenticator>(CLAUDE_AUTHENTICATOR), 'close');
    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('uses a supplied authenticator as is and leaves closing it to its owner', async () => {
    const authenticator = createAuthenticator({ failedAuth: false });
    const close = vi.spyOn(authenticator, 'close');
    const moduleRef = await Test.createTestingModule({
      imports: [ClaudeAuthModule.forRoot({ authenticator })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(app.get(CLAUDE_AUTHENTICATOR)).toBe(authenticator);
    expect(app.get(KeyManager)).toBe(authenticator.keys);
    await app.close();
    expect(close).not.toHaveBeenCalled();
    await authenticator.close();
  });

  it('rejects an invalid option at start-up with a ConfigurationError', async () => {
    await expect(
      Test.createTestingModule({
        imports: [ClaudeAuthModule.forRoot({ environment: 'NOT VALID!' })],
      }).compile(),
    ).rejects.toMatchObject({ name: 'ConfigurationError' });
  });
});
