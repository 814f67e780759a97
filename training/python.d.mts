/** A Python interpreter that can import every module in `need` (default torch and numpy), or null. */
export function findPython(options?: { need?: string[] }): string | null;
