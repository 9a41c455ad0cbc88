import { useEffect, useState } from 'react';

/** Where the console is mounted (`/console/`). */
export const BASE = import.meta.env.BASE_URL;

/** The route below {@link BASE}, e.g. `keys`, `keys/key_123`, `workspaces`. */
export function currentRoute(): string {
  const path = window.location.pathname;
  const below = path.startsWith(BASE) ? path.slice(BASE.length) : '';
  return below.replace(/\/+$/, '') || 'keys';
}

/** Goes to `route` without a page load. */
export function navigate(route: string): void {
  window.history.pushState(null, '', `${BASE}${route}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route, updated on navigation and the back button. */
export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = (): void => setRoute(currentRoute());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}
