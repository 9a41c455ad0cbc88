import { useCallback, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { AdminApi, ApiError } from './api.js';
import { Console, type ConsoleContext } from './context.js';
import { describeError } from './errors.js';
import { BASE, navigate, useRoute } from './router.js';
import { keyHint } from './shapes.js';
import { clearAdminKey, loadAdminKey, saveAdminKey } from './session.js';
import { KeysPage } from './pages/KeysPage.js';
import { KeyDetailPage } from './pages/KeyDetailPage.js';
import { WorkspacesPage } from './pages/WorkspacesPage.js';

/** The console: the admin key form until a key is accepted, then the pages. */
export function App(): ReactNode {
  const [adminKey, setAdminKey] = useState<string | null>(loadAdminKey);
  const [gateError, setGateError] = useState<string | null>(null);

  const signOut = useCallback((reason: string | null) => {
    clearAdminKey();
    setAdminKey(null);
    setGateError(reason);
  }, []);

  const context = useMemo<ConsoleContext | null>(() => {
    if (!adminKey) return null;
    return {
      api: new AdminApi(adminKey),
      ownKeyHint: keyHint(adminKey),
      handle: (error) => {
        const message = describeError(error);
        if (error instanceof ApiError && error.status === 401) signOut(message);
        return message;
      },
    };
  }, [adminKey, signOut]);

  if (!context) {
    return (
      <KeyGate
        error={gateError}
        onAccepted={(key) => {
          saveAdminKey(key);
          setGateError(null);
          setAdminKey(key);
        }}
      />
    );
  }
  return (
    <Console.Provider value={context}>
      <Shell onSignOut={() => signOut(null)} />
    </Console.Provider>
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }): ReactNode {
  const route = useRoute();
  const [section, id] = route.split('/');
  let page: ReactNode;
  if (section === 'workspaces') page = <WorkspacesPage />;
  else if (section === 'keys' && id) page = <KeyDetailPage id={decodeURIComponent(id)} />;
  else page = <KeysPage />;
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">claude-auth console</span>
        <nav aria-label="Pages">
          <NavLink route="keys" current={section !== 'workspaces'}>
            API keys
          </NavLink>
          <NavLink route="workspaces" current={section === 'workspaces'}>
            Workspaces
          </NavLink>
        </nav>
        <button type="button" className="secondary" onClick={onSignOut}>
          Forget admin key
        </button>
      </header>
      <main>{page}</main>
    </div>
  );
}

function NavLink(props: { route: string; current: boolean; children: ReactNode }): ReactNode {
  return (
    <a
      href={`${BASE}${props.route}`}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.route);
      }}
    >
      {props.children}
    </a>
  );
}

/** The admin key form: checks the key against the admin API before keeping it for the tab. */
function KeyGate(props: { error: string | null; onAccepted: (key: string) => void }): ReactNode {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(props.error);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const key = value.trim();
    if (!key) {
      setError('Paste the admin key the gateway printed on its first start.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await new AdminApi(key).request('GET', '/v1/organizations/workspaces?limit=1');
      setValue('');
      props.onAccepted(key);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404)
        setError('This gateway has no admin API at /v1/organizations (is it up to date?).');
      else setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="gate">
      <h1>claude-auth console</h1>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="admin-key">Admin key</label>
        <p className="hint" id="admin-key-hint">
          Kept in this tab only (session storage) and sent only to this gateway.
        </p>
        <input
          id="admin-key"
          name="admin-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          aria-describedby={error ? 'admin-key-hint admin-key-error' : 'admin-key-hint'}
          aria-invalid={error ? true : undefined}
          onChange={(event) => setValue(event.target.value)}
        />
        {error && (
          <p className="field-error" id="admin-key-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Open the console'}
        </button>
      </form>
    </main>
  );
}
