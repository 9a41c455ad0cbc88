import { createContext, useContext } from 'react';
import type { AdminApi } from './api.js';

/** What every page gets: the API client and the way to report an error that ends the session. */
export interface ConsoleContext {
  api: AdminApi;
  /** The `partial_key_hint` of the admin key the console is signed in with. */
  ownKeyHint: string;
  /** Handles an error every page treats alike (refused admin key: back to the key form). */
  handle: (error: unknown) => string;
}

export const Console = createContext<ConsoleContext | null>(null);

/** The console context (inside {@link Console}). */
export function useConsole(): ConsoleContext {
  const value = useContext(Console);
  if (!value) throw new Error('useConsole outside <Console.Provider>');
  return value;
}
