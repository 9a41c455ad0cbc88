import type { Command } from 'commander';
import type { ApiKeyView } from '@claude-auth/core';
import type { CommandContext } from '../command-context.js';
import { InvalidInputError } from '../exit-codes.js';
import { formatKeyDetails, formatKeyTable } from '../format.js';
import {
  parseDurationOption,
  parseKeyKind,
  parseKeyStatus,
  parsePermissions,
  parsePositiveInteger,
  parseRateLimitOptions,
} from '../parse-input.js';

const SECRET_WARNING =
  'This is the only time the secret is shown: store it now (e.g. in a secret manager). Only its hint is kept.';

/**
 * Registers `claude-auth keys …`: create, list, get, rename, deactivate, activate, revoke,
 * regenerate, set-rate-limit.
 *
 * @example
 * ```ts
 * registerKeyCommands(program, new CommandContext(io, () => program.opts()));
 * ```
 */
export function registerKeyCommands(program: Command, ctx: CommandContext): void {
  const keys = program.command('keys').description('Create, list, revoke and regenerate API keys');

  keys
    .command('create')
    .description('Create a key; the secret is printed once, on stdout')
    .requiredOption('--name <name>', 'a name, e.g. "Production"')
    .option('--workspace <id>', 'the workspace the key belongs to (default: organization-wide)')
    .option('--permissions <list>', 'comma-separated permissions, e.g. messages:write,models:read')
    .option('--kind <kind>', 'api or admin', 'api')
    .option('--environment <env>', 'the environment the key works in (default: from config)')
    .option('--expires <duration>', 'expire after this long, e.g. 30d, 12h')
    .action(
      async (opts: {
        name: string;
        workspace?: string;
        permissions?: string;
        kind: string;
        environment?: string;
        expires?: string;
      }) => {
        const { name } = opts;
        const kind = parseKeyKind(opts.kind);
        const permissions =
          opts.permissions === undefined ? undefined : parsePermissions(opts.permissions);
        if (opts.environment !== undefined && !/^[a-z0-9]{1,16}$/.test(opts.environment)) {
          throw new InvalidInputError('--environment must be 1 to 16 lower-case letters or digits');
        }
        const expiresInMs =
          opts.expires === undefined ? undefined : parseDurationOption(opts.expires, '--expires');
        if (expiresInMs === 0) throw new InvalidInputError('--expires must be longer than zero');
        const created = await ctx.withKeys((manager) =>
          manager.createKey({
            name,
            kind,
            workspaceId: opts.workspace ?? null,
            createdBy: 'cli',
            ...(permissions === undefined ? {} : { permissions }),
            ...(opts.environment === undefined ? {} : { environment: opts.environment }),
            ...(expiresInMs === undefined ? {} : { expiresAt: new Date(Date.now() + expiresInMs) }),
          }),
        );
        printSecret(ctx, 'Created', created);
      },
    );

  keys
    .command('list')
    .description('List keys, newest first (hints only, never secrets)')
    .option('--workspace <id>', 'only keys of this workspace')
    .option('--status <status>', 'active, inactive, archived or expired')
    .option('--limit <n>', 'at most this many keys (1-1000)', '100')
    .option('--after <cursor>', 'continue after this cursor (printed when there are more)')
    .action(
      async (opts: { workspace?: string; status?: string; limit: string; after?: string }) => {
        const limit = parsePositiveInteger(opts.limit, '--limit', 1000);
        const status = opts.status === undefined ? undefined : parseKeyStatus(opts.status);
        const page = await ctx.withKeys((manager) =>
          manager.listKeys({
            limit,
            ...(opts.workspace === undefined ? {} : { workspaceId: opts.workspace }),
            ...(status === undefined ? {} : { status }),
            ...(opts.after === undefined ? {} : { after: opts.after }),
          }),
        );
        ctx.print(formatKeyTable(page.data), page);
        if (!ctx.json && page.hasMore && page.nextCursor !== null) {
          ctx.notice(`More keys: add --after ${page.nextCursor}`);
        }
      },
    );

  keys
    .command('get')
    .description('Show one key (hint only)')
    .argument('<id>', 'key id')
    .action(async (id: string) => {
      printKey(ctx, await ctx.withKeys((manager) => manager.getKey(id)));
    });

  keys
    .command('rename')
    .description('Rename a key')
    .argument('<id>', 'key id')
    .argument('<name>', 'the new name')
    .action(async (id: string, name: string) => {
      printKey(ctx, await ctx.withKeys((manager) => manager.renameKey(id, name)));
    });

  keys
    .command('deactivate')
    .description('Stop a key from working until it is activated again')
    .argument('<id>', 'key id')
    .action(async (id: string) => {
      printKey(ctx, await ctx.withKeys((manager) => manager.setKeyStatus(id, 'inactive')));
    });

  keys
    .command('activate')
    .description('Let a deactivated key work again')
    .argument('<id>', 'key id')
    .action(async (id: string) => {
      printKey(ctx, await ctx.withKeys((manager) => manager.setKeyStatus(id, 'active')));
    });

  keys
    .command('revoke')
    .description('Revoke (archive) a key for good')
    .argument('<id>', 'key id')
    .action(async (id: string) => {
      printKey(ctx, await ctx.withKeys((manager) => manager.archiveKey(id)));
    });

  keys
    .command('regenerate')
    .description("Replace a key's secret (same id, metadata, limits); prints the new secret once")
    .argument('<id>', 'key id')
    .option('--grace <duration>', 'keep the old secret working this long, e.g. 10m', '0s')
    .action(async (id: string, opts: { grace: string }) => {
      const graceMs = parseDurationOption(opts.grace, '--grace');
      const regenerated = await ctx.withKeys((manager) => manager.regenerateKey(id, { graceMs }));
      printSecret(ctx, 'Regenerated', regenerated);
    });

  keys
    .command('set-rate-limit')
    .description("Set a key's own rate limit (requests per minute)")
    .argument('<id>', 'key id')
    .option('--rpm <n>', 'requests per minute')
    .option('--burst <n>', 'requests allowed at once (default: rpm)')
    .option('--clear', 'go back to the configured default')
    .action(async (id: string, opts: { rpm?: string; burst?: string; clear?: boolean }) => {
      const policy = parseRateLimitOptions(opts);
      printKey(ctx, await ctx.withKeys((manager) => manager.setKeyRateLimit(id, policy)));
    });
}

function printKey(ctx: CommandContext, key: ApiKeyView): void {
  ctx.print(formatKeyDetails(key), key);
}

function printSecret(
  ctx: CommandContext,
  verb: 'Created' | 'Regenerated',
  result: { secret: string; key: ApiKeyView },
): void {
  ctx.notice(`${verb} key ${result.key.id} (${result.key.name}). ${SECRET_WARNING}`);
  ctx.print(`${result.secret}\n`, { secret: result.secret, key: result.key });
}
