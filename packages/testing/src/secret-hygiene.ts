/**
 * Secret hygiene for the adversarial suites: a logger that keeps every line it is given, and a
 * scanner that looks for key material (the published `KEY_PATTERN`) in logs and HTTP responses.
 */
import { KEY_PATTERN, type Logger } from '@claude-auth/core';

/** Everything a suite saw: log lines and raw responses (status line, headers, body). */
export interface SecretCapture {
  /** Pass to the authenticator: every call is kept, as text, with its metadata. */
  readonly logger: Logger;
  /** Keeps one more text to scan (e.g. a response). */
  record(source: string, text: string): void;
  /** The sources whose text matches `KEY_PATTERN` (or contains one of `secrets`), with the position. */
  findings(secrets?: readonly string[]): string[];
  /** How many texts were kept. */
  readonly size: number;
}

/**
 * Creates a {@link SecretCapture}. The scan uses the published key pattern, plus the tail of each
 * known secret (so a key cut or re-encoded by a bug is still found).
 *
 * @example
 * ```ts
 * const capture = createSecretCapture();
 * const authenticator = createAuthenticator({ store, logger: capture.logger });
 * capture.record('GET /v1/models', responseText);
 * expect(capture.findings([secret])).toEqual([]);
 * ```
 */
export function createSecretCapture(): SecretCapture {
  const texts: { source: string; text: string }[] = [];
  const line =
    (level: string) =>
    (message: string, meta?: Record<string, unknown>): void => {
      let extra = '';
      try {
        extra = meta === undefined ? '' : ` ${JSON.stringify(meta)}`;
      } catch {
        extra = ' [unserialisable meta]';
      }
      texts.push({ source: `log.${level}`, text: `${message}${extra}` });
    };
  const logger: Logger = {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  };
  const pattern = new RegExp(KEY_PATTERN.source, 'g');
  return {
    logger,
    get size() {
      return texts.length;
    },
    record(source, text) {
      texts.push({ source, text });
    },
    findings(secrets = []) {
      const found: string[] = [];
      const tails = secrets.filter((s) => s.length >= 16).map((s) => s.slice(-12));
      for (const { source, text } of texts) {
        const match = pattern.exec(text);
        pattern.lastIndex = 0;
        const tail = tails.find((t) => text.includes(t));
        // The position only: a finding must not print the key material it found.
        if (match !== null) found.push(`${source} (key pattern at ${match.index})`);
        else if (tail !== undefined)
          found.push(`${source} (a known secret at ${text.indexOf(tail)})`);
      }
      return found;
    },
  };
}
