import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { CostRow, UsageRow, Workspace } from '../api.js';
import { refocusIfLost } from '../components/Dialog.js';
import { InputField, USD_INPUT } from '../components/Field.js';
import { ConfirmDialog, FormError, RenameDialog } from '../components/FormDialogs.js';
import { UsageChart } from '../components/LazyUsageChart.js';
import { useConsole } from '../context.js';
import { fieldErrors } from '../errors.js';
import { count, exactTime, relativeTime, usd } from '../format.js';
import {
  SPEND_LIMIT_FIELD,
  costUsd,
  dailySeries,
  lastDays,
  lastDaysRange,
  monthToDate,
  workspaceLimitUsd,
  workspaceSpentUsd,
  type DailyPoint,
} from '../shapes.js';

interface Month {
  spentUsd: number;
  requests: number;
}

type Action = { kind: 'rename'; workspace: Workspace } | { kind: 'archive'; workspace: Workspace };

/** The workspaces page: create, rename, archive, spend limit and spend bar, 30-day chart. */
export function WorkspacesPage(): ReactNode {
  const { api, handle } = useConsole();
  const [workspaces, setWorkspaces] = useState<Workspace[] | null>(null);
  const [months, setMonths] = useState<Map<string, Month>>(new Map());
  const [showArchived, setShowArchived] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);

  const load = useCallback(async () => {
    try {
      const [list, cost] = await Promise.all([
        api.listWorkspaces(showArchived),
        api
          .report<CostRow>('cost', { ...monthToDate(), group_by: ['workspace_id'] })
          .catch(() => [] as CostRow[]),
      ]);
      const byWorkspace = new Map<string, Month>();
      for (const row of cost) {
        const id = row.group.workspace_id;
        if (!id) continue;
        const month = byWorkspace.get(id) ?? { spentUsd: 0, requests: 0 };
        month.spentUsd += costUsd(row);
        month.requests += row.cost.requests ?? 0;
        byWorkspace.set(id, month);
      }
      setWorkspaces(list);
      setMonths(byWorkspace);
      setError(null);
    } catch (caught) {
      setError(handle(caught));
    }
  }, [api, handle, showArchived]);

  useEffect(() => {
    void load();
  }, [load]);

  // After a delete or archive the row that opened the dialog is gone: focus the heading.
  const refocusAfterLoad = useRef(false);
  useEffect(() => {
    if (!refocusAfterLoad.current) return;
    refocusAfterLoad.current = false;
    refocusIfLost();
  }, [workspaces]);

  const close = useCallback(() => setAction(null), []);

  return (
    <section aria-labelledby="workspaces-title">
      <div className="page-head">
        <h1 id="workspaces-title">Workspaces</h1>
        <label className="inline">
          <input
            type="checkbox"
            checked={showArchived}
            onChange={(event) => setShowArchived(event.target.checked)}
          />{' '}
          Show archived
        </label>
      </div>
      <CreateWorkspaceForm
        onCreated={(workspace) => {
          setNotice(`Workspace ${workspace.name} created.`);
          void load();
        }}
      />
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
      {workspaces === null && !error && <p aria-busy="true">Loading workspaces…</p>}
      {workspaces !== null && workspaces.length === 0 && <p>No workspaces yet.</p>}
      <ul className="cards">
        {workspaces?.map((workspace) => (
          <WorkspaceCard
            key={workspace.id}
            workspace={workspace}
            month={months.get(workspace.id)}
            onChanged={(message) => {
              setNotice(message);
              void load();
            }}
            onAction={setAction}
          />
        ))}
      </ul>
      {action?.kind === 'rename' && (
        <RenameDialog
          fieldId="workspace-rename"
          current={action.workspace.name}
          rename={(name) =>
            api.updateWorkspace(action.workspace.id, { name }).then((workspace) => workspace.name)
          }
          onClose={close}
          onDone={(name) => {
            setAction(null);
            setNotice(`Renamed to ${name}.`);
            void load();
          }}
        />
      )}
      {action?.kind === 'archive' && (
        <ConfirmDialog
          title={`Archive ${action.workspace.name}?`}
          warning="Every key of this workspace stops working at once, and the workspace cannot be used again."
          confirmLabel="Archive workspace"
          confirm={() => api.archiveWorkspace(action.workspace.id)}
          onClose={close}
          onDone={() => {
            setAction(null);
            setNotice(`${action.workspace.name} archived: its keys no longer work.`);
            refocusAfterLoad.current = true;
            void load();
          }}
        />
      )}
    </section>
  );
}

function CreateWorkspaceForm(props: { onCreated: (workspace: Workspace) => void }): ReactNode {
  const { api, handle } = useConsole();
  const [name, setName] = useState('');
  const [limit, setLimit] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ 'workspace-name': 'A name is required.' });
      return;
    }
    setErrors({});
    setFormError(null);
    try {
      const created = await api.createWorkspace({
        name: name.trim(),
        ...(limit.trim() ? { [SPEND_LIMIT_FIELD]: Number(limit) } : {}),
      });
      setName('');
      setLimit('');
      props.onCreated(created);
    } catch (caught) {
      const found = fieldErrors(caught, {
        name: 'workspace-name',
        [SPEND_LIMIT_FIELD]: 'workspace-limit',
      });
      setErrors(found.fields);
      setFormError(found.form ? handle(caught) : null);
    }
  };
  return (
    <form
      className="create-workspace"
      aria-label="Create workspace"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <InputField
        id="workspace-name"
        label="New workspace name"
        error={errors['workspace-name']}
        value={name}
        autoComplete="off"
        onValue={setName}
      />
      <InputField
        id="workspace-limit"
        label="Monthly spend limit (USD, optional)"
        error={errors['workspace-limit']}
        {...USD_INPUT}
        value={limit}
        onValue={setLimit}
      />
      <div className="field submit">
        <button type="submit">Create workspace</button>
      </div>
      <FormError message={formError} />
    </form>
  );
}

function WorkspaceCard(props: {
  workspace: Workspace;
  month: Month | undefined;
  onChanged: (message: string) => void;
  onAction: (action: Action) => void;
}): ReactNode {
  const { api, handle } = useConsole();
  const { workspace } = props;
  const archived = workspace.archived_at !== null;
  const limitUsd = workspaceLimitUsd(workspace);
  const spentUsd = workspaceSpentUsd(workspace) ?? props.month?.spentUsd ?? 0;
  const [limitText, setLimitText] = useState(limitUsd === null ? '' : String(limitUsd));
  const [limitError, setLimitError] = useState<string | undefined>();
  const [chart, setChart] = useState<DailyPoint[] | null>(null);
  const [chartOpen, setChartOpen] = useState(false);
  const [chartError, setChartError] = useState<string | null>(null);
  const idPrefix = `ws-${workspace.id}`;

  useEffect(() => {
    setLimitText(limitUsd === null ? '' : String(limitUsd));
  }, [limitUsd]);

  const saveLimit = async (usdValue: number | null): Promise<void> => {
    setLimitError(undefined);
    if (usdValue !== null && !Number.isFinite(usdValue)) {
      setLimitError('Enter an amount in USD, e.g. 25 or 0.5.');
      return;
    }
    try {
      await api.updateWorkspace(workspace.id, { [SPEND_LIMIT_FIELD]: usdValue });
      props.onChanged(
        usdValue === null
          ? `${workspace.name}: spend limit cleared.`
          : `${workspace.name}: spend limit set to ${usd(usdValue)} a month.`,
      );
    } catch (caught) {
      const found = fieldErrors(caught, { [SPEND_LIMIT_FIELD]: 'limit' });
      setLimitError(found.fields.limit ?? (found.form ? handle(caught) : undefined));
    }
  };

  const toggleChart = async (): Promise<void> => {
    if (chartOpen) {
      setChartOpen(false);
      return;
    }
    setChartOpen(true);
    try {
      const query = {
        ...lastDaysRange(30),
        time_bucket_width: '1d',
        workspace_ids: [workspace.id],
      };
      const [usage, cost] = await Promise.all([
        api.report<UsageRow>('usage', query),
        api.report<CostRow>('cost', query),
      ]);
      setChart(dailySeries(lastDays(30), usage, cost));
      setChartError(null);
    } catch (caught) {
      setChartError(handle(caught));
    }
  };

  // The bar stops at the limit; the figure does not (a forced debit can pass it).
  const percent = limitUsd ? (spentUsd / limitUsd) * 100 : 0;
  return (
    <li className="card" data-workspace-id={workspace.id} aria-labelledby={`${idPrefix}-title`}>
      <div className="card-head">
        <h2 id={`${idPrefix}-title`}>{workspace.name}</h2>
        {archived && <span className="badge status-archived">archived</span>}
      </div>
      <p className="meta">
        <code>{workspace.id}</code> · created{' '}
        <time dateTime={workspace.created_at} title={exactTime(workspace.created_at)}>
          {relativeTime(workspace.created_at)}
        </time>
        {props.month && (
          <>
            {' '}
            · {count(props.month.requests)} request{props.month.requests === 1 ? '' : 's'} this
            month
          </>
        )}
      </p>
      <div className="spend">
        <label htmlFor={`${idPrefix}-bar`}>Spend this month</label>
        {limitUsd !== null ? (
          <>
            <progress
              id={`${idPrefix}-bar`}
              className={percent >= 100 ? 'over' : percent >= 80 ? 'near' : ''}
              max={limitUsd}
              value={Math.min(spentUsd, limitUsd)}
            />
            <p className="spend-text" data-spent-usd={spentUsd}>
              {usd(spentUsd)} of {usd(limitUsd)} ({Math.round(percent)}%)
              {percent >= 100 && ' — limit reached: requests are refused until next month'}
            </p>
          </>
        ) : (
          <p className="spend-text" id={`${idPrefix}-bar`} data-spent-usd={spentUsd}>
            {usd(spentUsd)}, no limit
          </p>
        )}
      </div>
      {!archived && (
        <form
          className="limit-form"
          onSubmit={(event) => {
            event.preventDefault();
            void saveLimit(limitText.trim() === '' ? null : Number(limitText));
          }}
          noValidate
        >
          <InputField
            id={`${idPrefix}-limit`}
            label="Monthly limit (USD)"
            error={limitError}
            {...USD_INPUT}
            value={limitText}
            onValue={setLimitText}
          />
          <div className="field submit">
            <button type="submit" aria-label={`Set spend limit of ${workspace.name}`}>
              Set limit
            </button>
          </div>
          <div className="field submit">
            <button
              type="button"
              className="secondary"
              disabled={limitUsd === null}
              aria-label={`Clear spend limit of ${workspace.name}`}
              onClick={() => void saveLimit(null)}
            >
              Clear limit
            </button>
          </div>
        </form>
      )}
      <div className="row-actions">
        <button
          type="button"
          className="secondary"
          aria-expanded={chartOpen}
          aria-controls={`${idPrefix}-chart`}
          onClick={() => void toggleChart()}
        >
          {chartOpen ? 'Hide' : 'Show'} last 30 days
        </button>
        {!archived && (
          <>
            <button
              type="button"
              className="secondary"
              aria-label={`Rename workspace ${workspace.name}`}
              onClick={() => props.onAction({ kind: 'rename', workspace })}
            >
              Rename
            </button>
            <button
              type="button"
              className="danger"
              aria-label={`Archive workspace ${workspace.name}`}
              onClick={() => props.onAction({ kind: 'archive', workspace })}
            >
              Archive
            </button>
          </>
        )}
      </div>
      {chartOpen && (
        <div id={`${idPrefix}-chart`}>
          {chartError && (
            <p className="field-error" role="alert">
              {chartError}
            </p>
          )}
          {chart && (
            <UsageChart
              points={chart}
              series={['cost', 'requests']}
              label="Daily spend and requests"
            />
          )}
        </div>
      )}
    </li>
  );
}
