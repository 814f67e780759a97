// Narrows package.json to what one image stage needs, so that a following `npm install` lays out only
// those packages, each at the version package-lock.json pins (`npm ci` refuses a package.json that differs
// from the lock, and `npm install --omit=dev NAME` leaves a dev dependency out).
//   node deploy/npm-subset.mjs [--no-production] DEV_DEPENDENCY...
// keeps the production dependencies (unless --no-production) and only the dev dependencies named.
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const noProduction = args[0] === '--no-production';
const keep = noProduction ? args.slice(1) : args;
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const unknown = keep.filter((name) => !pkg.devDependencies?.[name]);
if (unknown.length > 0) {
  console.error(`not dev dependencies of package.json: ${unknown.join(', ')}`);
  process.exit(1);
}
pkg.devDependencies = Object.fromEntries(keep.map((name) => [name, pkg.devDependencies[name]]));
if (noProduction) delete pkg.dependencies;
writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
