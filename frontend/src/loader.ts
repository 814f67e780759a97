import { createSignal } from 'solid-js';
import { errorMessage } from './api-client';

/**
 * A reloadable async value. Only the latest reload's answer counts (a slow old answer never
 * overwrites a newer one), and the last good value stays on screen while an error is shown.
 */
export function createLoader<T>(load: () => Promise<T>) {
  const [data, setData] = createSignal<T>();
  const [error, setError] = createSignal('');
  const [loading, setLoading] = createSignal(false);
  let latest = 0;
  const reload = async () => {
    const mine = ++latest;
    setLoading(true);
    try {
      const value = await load();
      if (mine === latest) {
        setData(() => value);
        setError('');
      }
    } catch (err) {
      if (mine === latest) setError(errorMessage(err));
    } finally {
      if (mine === latest) setLoading(false);
    }
  };
  return { data, error, loading, reload };
}
