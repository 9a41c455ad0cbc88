import { Body, Controller, Get, NotFoundException, Post } from '@nestjs/common';
// KeyManager must be a value import: it is the injection token, read from decorator metadata.
// eslint-disable-next-line @typescript-eslint/consistent-type-imports
import { KeyManager } from '@claude-auth/core';
import { AdminOnly, ClaudeAuth, Public, RequirePermissions, Workspace } from '../../src/index.js';

/** Routes exercising every decorator; keys are created through the injected KeyManager. */
@Controller()
export class TestAppController {
  // No @Inject(): the KeyManager class itself is the injection token (decorator metadata).
  constructor(private readonly keys: KeyManager) {}

  @Public()
  @Get('health')
  health(): { ok: true } {
    return { ok: true };
  }

  @Public()
  @Post('setup/keys')
  async createKey(
    @Body()
    body: {
      name: string;
      permissions?: string[];
      workspaceId?: string;
      kind?: 'api' | 'admin';
    },
  ): Promise<{ id: string; secret: string }> {
    const { secret, key } = await this.keys.createKey(body);
    return { id: key.id, secret };
  }

  @Public()
  @Get('public/whoami')
  publicWhoami(@ClaudeAuth() auth: ClaudeAuth): { keyId: string } {
    return { keyId: auth.keyId };
  }

  @Get('v1/whoami')
  whoami(
    @ClaudeAuth() auth: ClaudeAuth,
    @ClaudeAuth('keyHint') hint: string,
  ): { keyId: string; hint: string; workspaceId: string | null; requestId: string } {
    return { keyId: auth.keyId, hint, workspaceId: auth.workspaceId, requestId: auth.requestId };
  }

  @RequirePermissions('messages:write')
  @Post('v1/messages')
  createMessage(@Body() body: unknown): { echo: unknown } {
    return { echo: body };
  }

  @Workspace({ param: 'workspaceId' })
  @Get('v1/workspaces/:workspaceId/usage')
  usage(@ClaudeAuth('workspaceId') workspaceId: string | null): { workspaceId: string | null } {
    return { workspaceId };
  }

  @AdminOnly()
  @Get('v1/admin')
  admin(): { admin: true } {
    return { admin: true };
  }

  @Get('v1/boom')
  boom(): never {
    throw new Error('database password hunter2 leaked at /srv/app/internal.ts:42');
  }

  @Get('v1/missing')
  missing(): never {
    throw new NotFoundException('No such thing');
  }
}
