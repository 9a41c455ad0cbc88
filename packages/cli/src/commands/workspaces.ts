import type { Command } from 'commander';
import type { WorkspaceRecord } from '@claude-auth/core';
import type { CommandContext } from '../command-context.js';
import { InvalidInputError } from '../exit-codes.js';
import { formatUsage, formatWorkspaceDetails, formatWorkspaceTable } from '../format.js';
import { parsePositiveInteger, parseRateLimitOptions, parseUsd } from '../parse-input.js';

/**
 * Registers `claude-auth workspaces …`: create, list, get, rename, archive, set-limit,
 * set-rate-limit, usage.
 *
 * @example
 * ```ts
 * registerWorkspaceCommands(program, new CommandContext(io, () => program.opts()));
 * ```
 */
export function registerWorkspaceCommands(program: Command, ctx: CommandContext): void {
  const workspaces = program
    .command('workspaces')
    .description('Create workspaces, set their spend and rate limits, see their usage');

  workspaces
    .command('create')
    .description('Create a workspace')
    .requiredOption('--name <name>', 'a name, e.g. "Research"')
    .option('--monthly-usd <amount>', 'monthly spend limit in US dollars')
    .action(async (opts: { name: string; monthlyUsd?: string }) => {
      const { name } = opts;
      const monthlySpendLimitUsd =
        opts.monthlyUsd === undefined ? undefined : parseUsd(opts.monthlyUsd, '--monthly-usd');
      const ws = await ctx.withKeys((manager) =>
        manager.createWorkspace({
          name,
          ...(monthlySpendLimitUsd === undefined ? {} : { monthlySpendLimitUsd }),
        }),
      );
      printWorkspace(ctx, ws);
    });

  workspaces
    .command('list')
    .description('List workspaces')
    .option('--all', 'include archived workspaces')
    .option('--limit <n>', 'at most this many (1-1000)', '100')
    .option('--after <cursor>', 'continue after this cursor')
    .action(async (opts: { all?: boolean; limit: string; after?: string }) => {
      const limit = parsePositiveInteger(opts.limit, '--limit', 1000);
      const page = await ctx.withKeys((manager) =>
        manager.listWorkspaces({
          limit,
          includeArchived: opts.all === true,
          ...(opts.after === undefined ? {} : { after: opts.after }),
        }),
      );
      ctx.print(formatWorkspaceTable(page.data), page);
      if (!ctx.json && page.hasMore && page.nextCursor !== null) {
        ctx.notice(`More workspaces: add --after ${page.nextCursor}`);
      }
    });

  workspaces
    .command('get')
    .description('Show one workspace')
    .argument('<id>', 'workspace id')
    .action(async (id: string) => {
      printWorkspace(ctx, await ctx.withKeys((manager) => manager.getWorkspace(id)));
    });

  workspaces
    .command('rename')
    .description('Rename a workspace')
    .argument('<id>', 'workspace id')
    .argument('<name>', 'the new name')
    .action(async (id: string, name: string) => {
      printWorkspace(ctx, await ctx.withKeys((manager) => manager.renameWorkspace(id, name)));
    });

  workspaces
    .command('archive')
    .description('Archive a workspace and revoke all of its keys')
    .argument('<id>', 'workspace id')
    .action(async (id: string) => {
      printWorkspace(ctx, await ctx.withKeys((manager) => manager.archiveWorkspace(id)));
    });

  workspaces
    .command('set-limit')
    .description('Set the monthly spend limit (US dollars)')
    .argument('<id>', 'workspace id')
    .option('--monthly-usd <amount>', 'the limit, e.g. 100')
    .option('--clear', 'remove the limit')
    .action(async (id: string, opts: { monthlyUsd?: string; clear?: boolean }) => {
      if (opts.clear === true && opts.monthlyUsd !== undefined) {
        throw new InvalidInputError('--clear cannot be combined with --monthly-usd');
      }
      if (opts.clear !== true && opts.monthlyUsd === undefined) {
        throw new InvalidInputError('--monthly-usd is required (or --clear)');
      }
      const usd = opts.monthlyUsd === undefined ? null : parseUsd(opts.monthlyUsd, '--monthly-usd');
      printWorkspace(ctx, await ctx.withKeys((manager) => manager.setWorkspaceSpendLimit(id, usd)));
    });

  workspaces
    .command('set-rate-limit')
    .description('Set the workspace-wide rate limit (requests per minute)')
    .argument('<id>', 'workspace id')
    .option('--rpm <n>', 'requests per minute')
    .option('--burst <n>', 'requests allowed at once (default: rpm)')
    .option('--clear', 'go back to the configured default')
    .action(async (id: string, opts: { rpm?: string; burst?: string; clear?: boolean }) => {
      const policy = parseRateLimitOptions(opts);
      printWorkspace(
        ctx,
        await ctx.withKeys((manager) => manager.setWorkspaceRateLimit(id, policy)),
      );
    });

  workspaces
    .command('usage')
    .description("Show this month's spend against the limit, and this month's requests")
    .argument('<id>', 'workspace id')
    .action(async (id: string) => {
      const usage = await ctx.withKeys((manager) => manager.getWorkspaceUsage(id));
      ctx.print(formatUsage(usage), usage);
    });
}

function printWorkspace(ctx: CommandContext, ws: WorkspaceRecord): void {
  ctx.print(formatWorkspaceDetails(ws), ws);
}
