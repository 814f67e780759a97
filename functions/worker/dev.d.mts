/** wrangler dev's arguments for `env`: PORT (default 8787) and the passed-through variables that are set. */
export function devArgs(env: Record<string, string | undefined>, extra?: string[]): string[];
