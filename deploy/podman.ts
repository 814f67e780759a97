// Real containers for the image test, with Debian's podman and no Docker engine: a podman of its own
// (settings, image store, networks and volumes in one temporary folder), so that nothing it builds or
// runs mixes with anything else on the machine, and everything goes when it is done, the iptables rules
// and the ip_forward setting podman's networking adds included.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** podman, debootstrap (for the stand-in base image) and iptables-save, as .ci/run installs them. */
export function podmanAvailable(): boolean {
  return ['podman', 'debootstrap', 'iptables-save'].every(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0,
  );
}

type Rules = Map<string, { chains: Set<string>; rules: string[] }>;

/** `iptables-save` as tables of chains and rules; empty when the tool is absent. */
function saveRules(tool: string): Rules {
  const tables: Rules = new Map();
  const r = spawnSync(tool, [], { encoding: 'utf8' });
  if (r.status !== 0) return tables;
  let table: { chains: Set<string>; rules: string[] } | undefined;
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('*')) tables.set(line.slice(1), (table = { chains: new Set(), rules: [] }));
    else if (line.startsWith(':') && table) table.chains.add(line.slice(1).split(' ')[0]);
    else if (line.startsWith('-A ') && table) table.rules.push(line);
  }
  return tables;
}

/** Removes the rules and chains that were added since `before`: rules first, then the chains they jumped to. */
function restoreRules(tool: string, before: Rules): string[] {
  const iptables = tool.replace(/-save$/, '');
  const failures: string[] = [];
  const run = (args: string[]) => {
    const r = spawnSync(iptables, args, { encoding: 'utf8' });
    if (r.status !== 0) failures.push(`${iptables} ${args.join(' ')}: ${r.stderr.trim()}`);
  };
  for (const [name, now] of saveRules(tool)) {
    const old = before.get(name) ?? { chains: new Set<string>(), rules: [] };
    const added = new Set([...now.chains].filter((chain) => !old.chains.has(chain)));
    const kept = [...old.rules];
    for (const rule of now.rules) {
      const i = kept.indexOf(rule);
      if (i >= 0) kept.splice(i, 1);
      else if (!added.has(rule.split(' ')[1])) run(['-t', name, ...splitRule(rule.replace(/^-A /, '-D '))]);
    }
    for (const chain of added) run(['-t', name, '-F', chain]);
    for (const chain of added) run(['-t', name, '-X', chain]);
  }
  return failures;
}

/** An iptables-save rule line as arguments (its comments are quoted). */
function splitRule(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

export interface Podman {
  /** Runs podman; throws with its output unless it exits 0. */
  (args: string[], options?: { timeoutMs?: number; allowFailure?: boolean; input?: string }): SpawnSyncReturns<string>;
  /** What podman's own commands need in their environment (for scripts that call podman). */
  env: Record<string, string>;
  dir: string;
  /** Containers, images, volumes and networks, the store, the folder, podman's state elsewhere, the iptables rules and ip_forward. */
  cleanUp(): string[];
}

export function createPodman(prefix = 'podman-test-'): Podman {
  // On the disk (not a tmpfs): overlay needs it, and images take a few hundred MB.
  const dir = mkdtempSync(path.join('/var/tmp', prefix));
  const rules = { ipv4: saveRules('iptables-save'), ipv6: saveRules('ip6tables-save') };
  const forwarding = '/proc/sys/net/ipv4/ip_forward';
  const ipForward = readFileSync(forwarding, 'utf8');
  // What podman keeps outside its store whatever it is told (netavark's address leases, the blob cache):
  // removed at the end unless it was there before.
  const systemPaths = ['/run/containers/networks', '/var/lib/containers/cache', '/var/lib/containers', '/run/containers'].filter(
    (p) => !existsSync(p),
  );
  for (const sub of ['storage', 'run', 'tmp', 'networks']) mkdirSync(path.join(dir, sub));
  // crun refuses hybrid cgroups and the default rlimits cannot always be raised in a container: runc,
  // cgroupfs and fixed limits work everywhere. No systemd here, so healthchecks are run by hand.
  writeFileSync(
    path.join(dir, 'containers.conf'),
    `[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n` +
      `[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\ntmp_dir = "${dir}/tmp"\n` +
      `[network]\nnetwork_backend = "netavark"\nnetwork_config_dir = "${dir}/networks"\n`,
  );
  writeFileSync(
    path.join(dir, 'storage.conf'),
    `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/storage"\nrunroot = "${dir}/run"\n`,
  );
  const env = { CONTAINERS_CONF: path.join(dir, 'containers.conf'), CONTAINERS_STORAGE_CONF: path.join(dir, 'storage.conf') };
  const fullEnv = { ...process.env, ...env };

  const podman = ((args, options = {}) => {
    const r = spawnSync('podman', args, { env: fullEnv, encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, input: options.input, maxBuffer: 64 * 2 ** 20 });
    if (!options.allowFailure && r.status !== 0) {
      throw new Error(`podman ${args.join(' ')} failed (${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-4000)}`);
    }
    return r;
  }) as Podman;
  podman.env = env;
  podman.dir = dir;
  podman.cleanUp = () => {
    const failures: string[] = [];
    const quiet = (args: string[]) => {
      const r = podman(args, { allowFailure: true, timeoutMs: 60_000 });
      if (r.status !== 0) failures.push(`podman ${args.join(' ')}: ${r.stderr.trim()}`);
    };
    quiet(['rm', '--all', '--force', '--time', '0']);
    quiet(['volume', 'rm', '--all', '--force']);
    quiet(['network', 'prune', '--force']);
    quiet(['rmi', '--all', '--force']);
    // Unmounts what the overlay driver still holds, so the folder can go.
    quiet(['system', 'reset', '--force']);
    rmSync(dir, { recursive: true, force: true });
    for (const p of systemPaths) rmSync(p, { recursive: true, force: true });
    failures.push(...restoreRules('iptables-save', rules.ipv4), ...restoreRules('ip6tables-save', rules.ipv6));
    if (readFileSync(forwarding, 'utf8') !== ipForward) writeFileSync(forwarding, ipForward);
    return failures;
  };
  return podman;
}
