// Progress lines of a bench run go to stderr, so stdout holds the report alone.
export const say = (line: string) => process.stderr.write(`${line}\n`);
