/** 'missing', 'stale' (older than the page's sources) or 'built'; 'built' too where there are no sources (an image). */
export function pageState(): 'missing' | 'stale' | 'built';
/** Builds frontend/dist when it is missing, or also when it is stale; says whether it built. */
export function buildPage(options?: { rebuildStale?: boolean }): boolean;
