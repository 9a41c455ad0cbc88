import { useEffect, useState, type ReactNode } from 'react';
import type { ApiKey, CostRow, UsageRow, Workspace } from '../api.js';
import { UsageChart } from '../components/LazyUsageChart.js';
import { useConsole } from '../context.js';
import { exactTime, relativeTime } from '../format.js';
import { BASE, navigate } from '../router.js';
import {
  dailySeries,
  keyWorkspaceId,
  lastDays,
  lastDaysRange,
  ORGANIZATION_WIDE,
  permissionsText,
  type DailyPoint,
} from '../shapes.js';

const DAYS = 30;

/** One key: its fields and its daily requests, tokens and cost over the last 30 days. */
export function KeyDetailPage({ id }: { id: string }): ReactNode {
  const { api, handle } = useConsole();
  const [key, setKey] = useState<ApiKey | null>(null);
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [points, setPoints] = useState<DailyPoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const query = { ...lastDaysRange(DAYS), time_bucket_width: '1d', api_key_ids: [id] };
    Promise.all([
      api.getKey(id),
      api.report<UsageRow>('usage', query),
      api.report<CostRow>('cost', query),
    ]).then(
      ([record, usage, cost]) => {
        if (!live) return;
        setKey(record);
        setPoints(dailySeries(lastDays(DAYS), usage, cost));
        const workspaceId = keyWorkspaceId(record);
        if (workspaceId)
          api.getWorkspace(workspaceId).then(
            (found) => live && setWorkspace(found),
            () => undefined, // the id is shown instead
          );
      },
      (caught: unknown) => live && setError(handle(caught)),
    );
    return () => {
      live = false;
    };
  }, [api, handle, id]);

  return (
    <section aria-labelledby="key-title">
      <p>
        <a
          href={`${BASE}keys`}
          onClick={(event) => {
            event.preventDefault();
            navigate('keys');
          }}
        >
          ← All keys
        </a>
      </p>
      <h1 id="key-title">{key ? key.name : 'API key'}</h1>
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {key && (
        <dl className="facts">
          <dt>Id</dt>
          <dd>
            <code>{key.id}</code>
          </dd>
          <dt>Key</dt>
          <dd>
            <code>{key.partial_key_hint ?? '—'}</code>
          </dd>
          <dt>Status</dt>
          <dd>
            <span className={`badge status-${key.status}`}>{key.status}</span>
          </dd>
          <dt>Workspace</dt>
          <dd>
            {keyWorkspaceId(key) === null
              ? ORGANIZATION_WIDE
              : (workspace?.name ?? <code>{keyWorkspaceId(key)}</code>)}
          </dd>
          <dt>Permissions</dt>
          <dd>{permissionsText(key.permissions)}</dd>
          <dt>Created</dt>
          <dd title={exactTime(key.created_at)}>{relativeTime(key.created_at)}</dd>
          <dt>Last used</dt>
          <dd title={exactTime(key.last_used_at)}>{relativeTime(key.last_used_at ?? null)}</dd>
          <dt>Expires</dt>
          <dd>{key.expires_at ? exactTime(key.expires_at) : 'never'}</dd>
        </dl>
      )}
      {points && (
        <>
          <h2>Last {DAYS} days</h2>
          <UsageChart points={points} series={['requests', 'tokens']} label="Requests and tokens" />
          <UsageChart points={points} series={['cost']} label="Cost" />
        </>
      )}
    </section>
  );
}
