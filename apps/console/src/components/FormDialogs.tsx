import { useState, type FormEvent, type ReactNode } from 'react';
import { useConsole } from '../context.js';
import { fieldErrors } from '../errors.js';
import { Dialog } from './Dialog.js';
import { InputField } from './Field.js';

/** A form's error that belongs to no one field (announced). */
export function FormError(props: { message: string | null }): ReactNode {
  return (
    props.message && (
      <p className="field-error" role="alert">
        {props.message}
      </p>
    )
  );
}

/** A dialog's Cancel and submit buttons. */
export function DialogActions(props: { submitLabel: string; onCancel: () => void }): ReactNode {
  return (
    <div className="actions">
      <button type="button" className="secondary" onClick={props.onCancel}>
        Cancel
      </button>
      <button type="submit">{props.submitLabel}</button>
    </div>
  );
}

/**
 * Renames a key or a workspace: one "New name" field, the API's `name` error shown next to it.
 *
 * @example
 * ```tsx
 * <RenameDialog fieldId="rename-name" current={key.name}
 *   rename={(name) => api.updateKey(key.id, { name }).then((k) => k.name)}
 *   onClose={close} onDone={(name) => setNotice(`Renamed to ${name}.`)} />
 * ```
 */
export function RenameDialog(props: {
  /** The input's id (tests and labels find it by this). */
  fieldId: string;
  current: string;
  /** Saves the new name and resolves with the name the API stored. */
  rename: (name: string) => Promise<string>;
  onClose: () => void;
  onDone: (name: string) => void;
}): ReactNode {
  const { handle } = useConsole();
  const [name, setName] = useState(props.current);
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    try {
      props.onDone(await props.rename(name.trim()));
    } catch (caught) {
      const found = fieldErrors(caught, { name: props.fieldId });
      setError(found.fields[props.fieldId]);
      setFormError(found.form ? handle(caught) : null);
    }
  };
  return (
    <Dialog title={`Rename ${props.current}`} onClose={props.onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <InputField
          id={props.fieldId}
          label="New name"
          error={error}
          value={name}
          autoComplete="off"
          onValue={setName}
        />
        <FormError message={formError} />
        <DialogActions submitLabel="Rename" onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}

/**
 * Asks before an action that cannot be undone (delete a key, archive a workspace); the API's
 * refusal is shown in the dialog. Cancel has the focus.
 *
 * @example
 * ```tsx
 * <ConfirmDialog title={`Delete ${key.name}?`} warning="Every request with this key is refused."
 *   confirmLabel="Delete key" confirm={() => api.deleteKey(key.id)} onClose={close} onDone={reload} />
 * ```
 */
export function ConfirmDialog(props: {
  title: string;
  warning: string;
  confirmLabel: string;
  confirm: () => Promise<unknown>;
  onClose: () => void;
  onDone: () => void;
}): ReactNode {
  const { handle } = useConsole();
  const [error, setError] = useState<string | null>(null);
  const run = async (): Promise<void> => {
    try {
      await props.confirm();
      props.onDone();
    } catch (caught) {
      setError(handle(caught));
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p className="warning">{props.warning}</p>
      <FormError message={error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void run()}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
