/**
 * The admin key lives in this tab's sessionStorage only: never a cookie (nothing sends it
 * implicitly), never the URL (nothing logs it). Closing the tab forgets it.
 */
const KEY = 'claude-auth-console.admin-key';

/** The admin key pasted in this tab, if any. */
export function loadAdminKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Keeps the admin key for this tab. */
export function saveAdminKey(key: string): void {
  try {
    sessionStorage.setItem(KEY, key);
  } catch {
    // Storage disabled: the key stays in memory for this page only.
  }
}

/** Forgets the admin key. */
export function clearAdminKey(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

const ROTATION = 'claude-auth-console.rotation-days';

/** Keys older than this many days are marked for rotation (default 90). */
export function loadRotationDays(): number {
  try {
    const value = Number(localStorage.getItem(ROTATION));
    return Number.isInteger(value) && value > 0 ? value : 90;
  } catch {
    return 90;
  }
}

/** Remembers the rotation age (not a secret: localStorage). */
export function saveRotationDays(days: number): void {
  try {
    localStorage.setItem(ROTATION, String(days));
  } catch {
    // not remembered
  }
}
