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

/** Parses typed true labels: exactly `count` characters 0-9 ("2026" for four digits), else null. */
export function parseDigits(text: string, count: number): number[] | null {
  const digits = text.trim();
  return digits.length === count && /^[0-9]+$/.test(digits) ? Array.from(digits, Number) : null;
}
