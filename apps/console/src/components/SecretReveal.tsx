import { useState, type ReactNode } from 'react';

/**
 * A new secret, shown this once: a read-only field, a Copy button and the warning. The parent
 * drops the secret from its state on close, so it leaves the page with the dialog.
 */
export function SecretReveal(props: { secret: string; onDone: () => void }): ReactNode {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="secret">
      <p className="warning" role="alert">
        Copy this key now. You won&apos;t be able to see it again.
      </p>
      <label htmlFor="new-secret">New API key</label>
      <div className="copy-row">
        <input
          id="new-secret"
          readOnly
          value={props.secret}
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p className="hint" role="status">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'The browser refused the clipboard: select the key and copy it.'}
      </p>
      <div className="actions">
        <button type="button" onClick={props.onDone}>
          I have copied it, close
        </button>
      </div>
    </div>
  );
}
