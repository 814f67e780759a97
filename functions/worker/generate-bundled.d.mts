/** Writes bundled.generated.js for the model model/current.json names; returns that model. */
export function generateBundled(): { name: string; version: string; file: string };
