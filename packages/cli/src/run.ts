import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { CommandContext, type CliIo, type GlobalOptions } from './command-context.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerWorkspaceCommands } from './commands/workspaces.js';
import { EXIT_CODES, describeFailure, type ExitCode } from './exit-codes.js';
import { formatJson } from './format.js';

/**
 * Runs the `claude-auth` command line in-process and resolves to its exit code (see
 * {@link EXIT_CODES}); never calls `process.exit`. `argv` excludes the node and script paths.
 *
 * @example
 * ```ts
 * const code = await run(['keys', 'list', '--json'], {
 *   stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(),
 * });
 * ```
 */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const jsonErrors = wantsJson(argv);
  const program = new Command('claude-auth');
  program
    .description('Manage claude-auth API keys and workspaces')
    .version(packageJson.version, '-V, --version')
    .option(
      '--store <url>',
      'key store: sqlite:<path> or postgres://… (default: CLAUDE_AUTH_STORE_URL, config, sqlite:.claude-auth/claude-auth.db)',
    )
    .option('--json', 'print JSON instead of tables')
    .option('--create-dirs', "create the sqlite: store's directory if it does not exist")
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => {
        write(
          renderError(
            'usage',
            text
              .replace(/^error:\s*/i, '')
              .replace(/\s*\n\s*/g, ' ')
              .trim(),
            jsonErrors,
          ),
        );
      },
    });

  const ctx = new CommandContext(io, () => program.opts<GlobalOptions>());
  registerKeyCommands(program, ctx);
  registerWorkspaceCommands(program, ctx);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    const failure = describeFailure(error);
    io.stderr.write(renderError(failure.type, failure.message, jsonErrors));
    if (failure.code === EXIT_CODES.unexpected && isDebug(io.env) && error instanceof Error) {
      io.stderr.write(`${error.stack ?? error.message}\n`);
    }
    return failure.code;
  }
}

/** Help and version exit 0; every other commander error is a usage error. */
function commanderExitCode(error: CommanderError): ExitCode {
  if (error.exitCode === 0) return EXIT_CODES.ok;
  return EXIT_CODES.usage;
}

function renderError(type: string, message: string, json: boolean): string {
  return json ? formatJson({ error: { type, message } }) : `claude-auth: ${message}\n`;
}

/** `--json` anywhere before a `--` terminator (usage errors happen before options are parsed). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

function isDebug(env: Record<string, string | undefined>): boolean {
  const value = env['CLAUDE_AUTH_DEBUG'];
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
