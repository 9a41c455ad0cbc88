import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiKey, CostRow, Workspace } from '../api.js';
import { Dialog, refocusIfLost } from '../components/Dialog.js';
import { Field, InputField } from '../components/Field.js';
import {
  ConfirmDialog,
  DialogActions,
  FormError,
  RenameDialog,
} from '../components/FormDialogs.js';
import { SecretReveal } from '../components/SecretReveal.js';
import { useConsole } from '../context.js';
import { fieldErrors } from '../errors.js';
import { ageDays, count, exactTime, relativeTime, usd } from '../format.js';
import { BASE, navigate } from '../router.js';
import { loadRotationDays, saveRotationDays } from '../session.js';
import {
  costUsd,
  isOwnKey,
  keyOf,
  keyWorkspaceId,
  monthToDate,
  needsRotation,
  ORGANIZATION_WIDE,
  secretOf,
} from '../shapes.js';

interface MonthUsage {
  requests: number;
  costUsd: number;
}

type Action =
  | { kind: 'create' }
  | { kind: 'rename'; key: ApiKey }
  | { kind: 'regenerate'; key: ApiKey }
  | { kind: 'delete'; key: ApiKey }
  | { kind: 'secret'; title: string; secret: string };

/** Why Deactivate and Delete are off on the console's own key (the gateway would refuse them). */
const OWN_KEY_REASON = 'Not available on the key you are signed in with';

const STATUSES = ['active', 'inactive', 'expired', 'archived'] as const;

/** The API keys page: table, filters, rotation marker, this month's usage, row actions. */
export function KeysPage(): ReactNode {
  const { api, handle, ownKeyHint } = useConsole();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [usage, setUsage] = useState<Map<string, MonthUsage>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [workspaceFilter, setWorkspaceFilter] = useState('');
  const [statusFilter, setStatusFilter] = useState('');
  const [rotationDays, setRotationDays] = useState(loadRotationDays);
  const [action, setAction] = useState<Action | null>(null);

  const load = useCallback(async () => {
    try {
      const [list, spaces, cost] = await Promise.all([
        api.listKeys({
          ...(statusFilter ? { status: statusFilter } : {}),
          ...(workspaceFilter && workspaceFilter !== 'org'
            ? { workspace_id: workspaceFilter }
            : {}),
        }),
        api.listWorkspaces(true),
        api
          .report<CostRow>('cost', { ...monthToDate(), group_by: ['api_key_id'] })
          .catch(() => [] as CostRow[]),
      ]);
      const month = new Map<string, MonthUsage>();
      for (const row of cost) {
        const id = row.group.api_key_id;
        if (!id) continue;
        const entry = month.get(id) ?? { requests: 0, costUsd: 0 };
        entry.requests += row.cost.requests ?? 0;
        entry.costUsd += costUsd(row);
        month.set(id, entry);
      }
      setKeys(
        workspaceFilter === 'org' ? list.filter((key) => keyWorkspaceId(key) === null) : list,
      );
      setWorkspaces(spaces);
      setUsage(month);
      setError(null);
    } catch (caught) {
      setError(handle(caught));
    }
  }, [api, handle, statusFilter, workspaceFilter]);

  useEffect(() => {
    void load();
  }, [load]);

  const workspaceName = (id: string | null): string =>
    id === null ? ORGANIZATION_WIDE : (workspaces.find((w) => w.id === id)?.name ?? id);

  const setStatus = async (key: ApiKey, status: 'active' | 'inactive'): Promise<void> => {
    try {
      await api.updateKey(key.id, { status });
      setNotice(`${key.name} is now ${status}.`);
      await load();
    } catch (caught) {
      setError(handle(caught));
    }
  };

  // After a delete or archive the row that opened the dialog is gone: focus the heading.
  const refocusAfterLoad = useRef(false);
  useEffect(() => {
    if (!refocusAfterLoad.current) return;
    refocusAfterLoad.current = false;
    refocusIfLost();
  }, [keys]);

  const close = useCallback(() => setAction(null), []);
  const showSecret = (title: string, created: unknown, name: string): void => {
    const secret = secretOf(created);
    if (secret) setAction({ kind: 'secret', title, secret });
    else {
      setAction(null);
      setError(`The gateway did not return the secret for ${name}.`);
    }
    void load();
  };

  return (
    <section aria-labelledby="keys-title">
      <div className="page-head">
        <h1 id="keys-title">API keys</h1>
        <button type="button" onClick={() => setAction({ kind: 'create' })}>
          Create key
        </button>
      </div>
      <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="filter-workspace">Workspace</label>
          <select
            id="filter-workspace"
            value={workspaceFilter}
            onChange={(event) => setWorkspaceFilter(event.target.value)}
          >
            <option value="">All</option>
            <option value="org">{ORGANIZATION_WIDE}</option>
            {workspaces.map((workspace) => (
              <option key={workspace.id} value={workspace.id}>
                {workspace.name}
                {workspace.archived_at ? ' (archived)' : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={statusFilter}
            onChange={(event) => setStatusFilter(event.target.value)}
          >
            <option value="">All</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="rotation-days">Rotate after (days)</label>
          <input
            id="rotation-days"
            type="number"
            min={1}
            step={1}
            value={rotationDays}
            onChange={(event) => {
              const days = Number(event.target.value);
              if (Number.isInteger(days) && days > 0) {
                setRotationDays(days);
                saveRotationDays(days);
              }
            }}
          />
        </div>
      </form>
      {error && (
        <div className="banner error" role="alert">
          {error}{' '}
          <button type="button" className="secondary" onClick={() => void load()}>
            Retry
          </button>
        </div>
      )}
      {notice && (
        <p className="banner" role="status">
          {notice}
        </p>
      )}
      {keys === null && !error && <p aria-busy="true">Loading keys…</p>}
      {keys !== null && keys.length === 0 && <p>No keys match these filters.</p>}
      {keys !== null && keys.length > 0 && (
        <div className="table-wrap">
          <table className="keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Workspace</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Requests (month)</th>
                <th scope="col">Cost (month)</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => {
                const month = usage.get(key.id);
                const rotate = needsRotation(key, rotationDays);
                const own = isOwnKey(key, ownKeyHint);
                const ownNote = own ? `own-key-${key.id}` : undefined;
                return (
                  <tr key={key.id} data-key-id={key.id}>
                    <td data-label="Name">
                      <a
                        href={`${BASE}keys/${encodeURIComponent(key.id)}`}
                        onClick={(event) => {
                          event.preventDefault();
                          navigate(`keys/${encodeURIComponent(key.id)}`);
                        }}
                      >
                        {key.name}
                      </a>
                      {key.kind === 'admin' && <span className="badge">admin</span>}
                      {own && (
                        <small className="own-note" id={ownNote}>
                          the key you are signed in with
                        </small>
                      )}
                      {rotate && (
                        <span
                          className="badge warn"
                          title={`Created ${ageDays(key.created_at)} days ago: rotate keys every ${rotationDays} days`}
                        >
                          Rotate
                        </span>
                      )}
                    </td>
                    <td data-label="Key">
                      <code>{key.partial_key_hint ?? '—'}</code>
                    </td>
                    <td data-label="Workspace">{workspaceName(keyWorkspaceId(key))}</td>
                    <td data-label="Status">
                      <span className={`badge status-${key.status}`}>{key.status}</span>
                    </td>
                    <td data-label="Created">
                      <time dateTime={key.created_at} title={exactTime(key.created_at)}>
                        {relativeTime(key.created_at)}
                      </time>
                    </td>
                    <td data-label="Last used" className="last-used">
                      {key.last_used_at ? (
                        <time dateTime={key.last_used_at} title={exactTime(key.last_used_at)}>
                          {relativeTime(key.last_used_at)}
                        </time>
                      ) : (
                        'never'
                      )}
                    </td>
                    <td data-label="Requests (month)" className="num">
                      {count(month?.requests ?? 0)}
                    </td>
                    <td data-label="Cost (month)" className="num">
                      {usd(month?.costUsd ?? 0)}
                    </td>
                    <td data-label="Actions" className="actions-cell">
                      <div className="row-actions">
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Rename ${key.name}`}
                          disabled={key.status === 'archived'}
                          onClick={() => setAction({ kind: 'rename', key })}
                        >
                          Rename
                        </button>
                        {key.status === 'inactive' ? (
                          <button
                            type="button"
                            className="secondary"
                            aria-label={`Activate ${key.name}`}
                            onClick={() => void setStatus(key, 'active')}
                          >
                            Activate
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="secondary"
                            aria-label={`Deactivate ${key.name}`}
                            aria-describedby={ownNote}
                            title={own ? OWN_KEY_REASON : undefined}
                            disabled={key.status !== 'active' || own}
                            onClick={() => void setStatus(key, 'inactive')}
                          >
                            Deactivate
                          </button>
                        )}
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Regenerate ${key.name}`}
                          disabled={key.status === 'archived'}
                          onClick={() => setAction({ kind: 'regenerate', key })}
                        >
                          Regenerate
                        </button>
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Delete ${key.name}`}
                          aria-describedby={ownNote}
                          title={own ? OWN_KEY_REASON : undefined}
                          disabled={own}
                          onClick={() => setAction({ kind: 'delete', key })}
                        >
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {action?.kind === 'create' && (
        <CreateKeyDialog
          workspaces={workspaces.filter((w) => !w.archived_at)}
          onClose={close}
          onCreated={(created, name) => showSecret(`Key “${name}” created`, created, name)}
        />
      )}
      {action?.kind === 'rename' && (
        <RenameDialog
          fieldId="rename-name"
          current={action.key.name}
          rename={(name) => api.updateKey(action.key.id, { name }).then((key) => key.name)}
          onClose={close}
          onDone={(name) => {
            setAction(null);
            setNotice(`Renamed to ${name}.`);
            void load();
          }}
        />
      )}
      {action?.kind === 'regenerate' && (
        <RegenerateDialog
          keyRecord={action.key}
          onClose={close}
          onDone={(created) =>
            showSecret(`Key “${action.key.name}” regenerated`, created, action.key.name)
          }
        />
      )}
      {action?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${action.key.name}?`}
          warning="Every request with this key is refused from now on. This cannot be undone."
          confirmLabel="Delete key"
          confirm={() => api.deleteKey(action.key.id)}
          onClose={close}
          onDone={() => {
            setAction(null);
            setNotice(`${action.key.name} deleted: it is refused from now on.`);
            refocusAfterLoad.current = true;
            void load();
          }}
        />
      )}
      {action?.kind === 'secret' && (
        <Dialog title={action.title} onClose={close} className="secret-dialog">
          <SecretReveal secret={action.secret} onDone={close} />
        </Dialog>
      )}
    </section>
  );
}

function CreateKeyDialog(props: {
  workspaces: Workspace[];
  onClose: () => void;
  onCreated: (created: unknown, name: string) => void;
}): ReactNode {
  const { api, handle } = useConsole();
  const [name, setName] = useState('');
  // Organization-wide by default, as the CLI and the API create keys.
  const [workspace, setWorkspace] = useState('');
  const [permissions, setPermissions] = useState('');
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ 'key-name': 'A name is required.' });
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const list = permissions
        .split(/[\s,]+/)
        .map((p) => p.trim())
        .filter(Boolean);
      const created = await api.createKey({
        name: name.trim(),
        workspace_id: workspace || null,
        ...(list.length ? { permissions: list } : {}),
        ...(expires ? { expires_at: new Date(`${expires}T00:00:00Z`).toISOString() } : {}),
      });
      props.onCreated(created, keyOf(created)?.name ?? name.trim());
    } catch (caught) {
      const found = fieldErrors(caught, {
        name: 'key-name',
        workspace_id: 'key-workspace',
        permissions: 'key-permissions',
        permission: 'key-permissions',
        expires_at: 'key-expires',
      });
      setErrors(found.fields);
      setFormError(found.form ? handle(caught) : null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Create key" onClose={props.onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <InputField
          id="key-name"
          label="Name (required)"
          error={errors['key-name']}
          value={name}
          autoComplete="off"
          required
          onValue={setName}
        />
        <Field id="key-workspace" label="Workspace" error={errors['key-workspace']}>
          {(a) => (
            <select {...a} value={workspace} onChange={(event) => setWorkspace(event.target.value)}>
              <option value="">{ORGANIZATION_WIDE} (every workspace)</option>
              {props.workspaces.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <InputField
          id="key-permissions"
          label="Permissions"
          hint="Comma-separated, e.g. messages:write; * grants all. Empty: none, so the key passes only routes that require no permission."
          error={errors['key-permissions']}
          value={permissions}
          autoComplete="off"
          onValue={setPermissions}
        />
        <InputField
          id="key-expires"
          label="Expires on"
          hint="Optional (UTC midnight)."
          error={errors['key-expires']}
          type="date"
          value={expires}
          onValue={setExpires}
        />
        <FormError message={formError} />
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            Create key
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RegenerateDialog(props: {
  keyRecord: ApiKey;
  onClose: () => void;
  onDone: (created: unknown) => void;
}): ReactNode {
  const { api, handle } = useConsole();
  const [minutes, setMinutes] = useState('0');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const value = Number(minutes);
    if (!Number.isFinite(value) || value < 0) {
      setError('The grace period is a number of minutes, 0 or more.');
      return;
    }
    try {
      props.onDone(await api.regenerateKey(props.keyRecord.id, Math.round(value * 60)));
    } catch (caught) {
      const found = fieldErrors(caught, {
        grace_period_seconds: 'grace-minutes',
        grace: 'grace-minutes',
      });
      setError(found.fields['grace-minutes']);
      setFormError(found.form ? handle(caught) : null);
    }
  };
  return (
    <Dialog title={`Regenerate ${props.keyRecord.name}`} onClose={props.onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <p>
          A new secret replaces the current one. With a grace period the old secret keeps working
          that long, so callers can switch over; with none it stops at once.
        </p>
        <InputField
          id="grace-minutes"
          label="Grace period (minutes)"
          error={error}
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          value={minutes}
          onValue={setMinutes}
        />
        <FormError message={formError} />
        <DialogActions submitLabel="Regenerate" onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
