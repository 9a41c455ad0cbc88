import { type InputHTMLAttributes, type ReactNode } from 'react';

/** A labelled control with its hint and its error (announced, and tied by aria-describedby). */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (described: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
  }) => ReactNode;
}): ReactNode {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(props.error ? { 'aria-invalid': true } : {}),
      })}
      {props.hint && (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p className="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The attributes of an amount in US dollars: a non-negative decimal number. */
export const USD_INPUT = {
  type: 'number',
  min: 0,
  step: 'any',
  inputMode: 'decimal',
} as const satisfies InputHTMLAttributes<HTMLInputElement>;

/**
 * A {@link Field} around one `<input>` whose value is a string in the caller's state.
 *
 * @example
 * ```tsx
 * <InputField id="key-name" label="Name" value={name} onValue={setName} autoComplete="off" />
 * ```
 */
export function InputField(
  props: Omit<Parameters<typeof Field>[0], 'children'> & {
    value: string;
    onValue: (value: string) => void;
  } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>,
): ReactNode {
  const { id, label, error, hint, value, onValue, ...input } = props;
  return (
    <Field id={id} label={label} error={error} {...(hint === undefined ? {} : { hint })}>
      {(a) => (
        <input {...a} {...input} value={value} onChange={(event) => onValue(event.target.value)} />
      )}
    </Field>
  );
}
