/** 0.9731 -> "97.3%"; one decimal so small differences between close guesses stay visible. */
export function formatPercent(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '–';
  return `${(Math.min(1, Math.max(0, value)) * 100).toFixed(digits)}%`;
}

/** A local clock time for the history table, with the full timestamp kept for the title. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Parses a typed true label: exactly one character 0-9, else null. */
export function parseDigit(text: string): number | null {
  return /^[0-9]$/.test(text.trim()) ? Number(text.trim()) : null;
}
