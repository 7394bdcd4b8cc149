import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { RULE_FILES } from '../../deploy/prometheusRule';
import { allSettings } from '../../src/config/settings';
import { loadTargets } from '../../src/targets/loadTargets';
import { tempDir, writeFiles } from '../helpers/files';
import { schemaProblems } from '../helpers/manifestSchemas';
import {
  containers,
  KUBERNETES,
  type Manifest,
  manifests,
  one,
  pathsOfKey,
  ROOT,
  RULES_BUILT,
  selects,
} from '../helpers/manifests';
import { tool } from '../helpers/tools';

/**
 * The Kubernetes manifests under deploy/kubernetes/ agree with the probe and with each other:
 * what they set is what the probe reads, the shard count is the pod count, the targets file
 * is a mounted directory that passes the probe's own loader, and the job the scrape makes is
 * the job the shipped rules select.
 */
const all = manifests();
const sts = one(all, 'StatefulSet', 'probe');
const [probe] = containers(sts);
const envOf = (c: Manifest) =>
  new Map<string, Manifest>((c.env ?? []).map((e: Manifest) => [e.name, e]));
const env = envOf(probe);
const targetsMap = one(all, 'ConfigMap', 'probe-targets');
const targetsText: string = targetsMap.data['targets.yaml'];

/** The NAMEs of every `{env: NAME}` secret reference in the targets file. */
function envReferences(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const own = 'env' in value && typeof value.env === 'string' ? [value.env] : [];
  return [...own, ...Object.values(value).flatMap(envReferences)];
}
const referenced = envReferences(parse(targetsText));

describe('the Kubernetes manifests', () => {
  test('every variable a workload sets is a setting, or a secret the targets file names', () => {
    const settings = new Set(allSettings().map(({ setting }) => setting.env));
    const workloads = all.filter((m) => m.spec?.template?.spec);
    assert.deepEqual(workloads.map((m) => m.kind).sort(), ['Deployment', 'StatefulSet']);
    for (const workload of workloads) {
      for (const c of containers(workload)) {
        // A variable only for others' $(NAME), as the kubelet expands them (POD_NAMESPACE).
        const expanded = (c.env ?? []).flatMap((e: Manifest) =>
          [...String(e.value ?? '').matchAll(/\$\((\w+)\)/g)].map((m) => m[1]),
        );
        for (const name of envOf(c).keys()) {
          const known =
            settings.has(name) ||
            expanded.includes(name) ||
            (workload === sts && referenced.includes(name));
          assert.ok(known, `${workload.file}: ${name} is no setting and no secret of the file`);
        }
      }
    }
  });

  test('every {env: NAME} of the targets file is set, from the Secret, never a literal', () => {
    assert.ok(referenced.length >= 2, 'the example shows secret references');
    for (const name of referenced) {
      assert.ok(env.get(name)?.valueFrom?.secretKeyRef, `${name} comes from a Secret`);
    }
  });

  test("the shards are the governing Service's ready pods, found by its SRV name", () => {
    // Discovery replaces the static count: no PROBE_SHARDS to keep equal to replicas.
    assert.equal(env.has('PROBE_SHARDS'), false);
    assert.equal(env.has('PROBE_SHARD_INDEX'), false);
    assert.equal(typeof sts.spec.replicas, 'number');
    assert.deepEqual(env.get('POD_NAMESPACE')?.valueFrom, {
      fieldRef: { fieldPath: 'metadata.namespace' },
    });
    // Headless (each shard its own scrape target and SRV record), ready pods only.
    const service = one(all, 'Service', sts.spec.serviceName);
    assert.equal(service.spec.clusterIP, 'None');
    assert.equal(service.spec.publishNotReadyAddresses, false);
    const ports = service.spec.ports.map((p: { name: string }) => p.name);
    const srv = `_${ports[0]}._tcp.${service.metadata.name}.$(POD_NAMESPACE).svc.cluster.local`;
    assert.equal(env.get('PROBE_PEERS_SRV')?.value, srv);
    // $(POD_NAMESPACE) expands only from a variable defined before it.
    const names = [...env.keys()];
    assert.ok(names.indexOf('POD_NAMESPACE') < names.indexOf('PROBE_PEERS_SRV'));
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
  });

  test('a stop drains inside the grace period; readiness leaves the peers at once', () => {
    const drainSeconds = 20; // STOP_DRAIN_SECONDS' default
    assert.ok(sts.spec.template.spec.terminationGracePeriodSeconds > drainSeconds);
    const { readinessProbe } = probe;
    assert.equal(readinessProbe.httpGet.path, '/readyz');
    assert.equal(readinessProbe.failureThreshold, 1);
    assert.ok(readinessProbe.periodSeconds <= 2, 'a drain shows within seconds');
  });

  test('every manifest passes the published schemas of Kubernetes and the Prometheus Operator', () => {
    // The PrometheusRules built from deploy/prometheus/ too: their rules' content is promtool's
    // to check, their shape (group and rule fields, durations) the Operator's schema's.
    const checked = all;
    assert.ok(checked.length >= 8, `${checked.length} objects`);
    assert.equal(checked.filter((m) => m.kind === 'PrometheusRule').length, RULE_FILES.length);
    // A broken copy of each kind of mistake, checked in the same (slow) compile.
    const copy = (): Manifest[] =>
      JSON.parse(JSON.stringify(checked)).map((m: Manifest) => ({
        ...m,
        file: `broken/${m.file}`,
      }));
    const broken = copy();
    one(broken, 'Service', 'probe').spec.publishNotReadyAdresses = false; // misspelled
    one(broken, 'ServiceMonitor', 'dataplatform-probe').spec.endpoints[0].intervall = '15s';
    containers(one(broken, 'StatefulSet', 'probe'))[0].ports[0].containerPort = 'metrics';
    one(broken, 'PodDisruptionBudget', 'probe').spec.maxUnavaliable = 1;
    const [slo] = one(broken, 'PrometheusRule', RULE_FILES[0].name).spec.groups;
    slo.rules[0].fro = '5m'; // misspelled
    one(broken, 'PrometheusRule', RULE_FILES[1].name).spec.groups[0].rules[0].for = 'soon';
    const problems = schemaProblems([...checked, ...broken]);
    assert.deepEqual(
      problems.filter((p) => !p.startsWith('broken/')),
      [],
    );
    for (const mistake of [
      /Service probe: .*'"publishNotReadyAdresses"' does not exist/,
      /ServiceMonitor dataplatform-probe: .*'"intervall"' does not exist/,
      /StatefulSet probe: .*containerPort must be integer/,
      /PodDisruptionBudget probe: .*'"maxUnavaliable"' does not exist/,
      new RegExp(`PrometheusRule ${RULE_FILES[0].name}: .*'"fro"' does not exist`),
      new RegExp(`PrometheusRule ${RULE_FILES[1].name}: .*for must match pattern`),
    ]) {
      assert.ok(
        problems.some((p) => mistake.test(p)),
        `${mistake} in:\n${problems.join('\n')}`,
      );
    }
  });

  test('no subPath anywhere; the targets are the ConfigMap mounted as a directory', () => {
    for (const m of all) assert.deepEqual(pathsOfKey(m, 'subPath'), [], m.file);
    const dir = env.get('PROBE_TARGETS_FILE')?.value;
    const mount = probe.volumeMounts.find((v: { mountPath: string }) => v.mountPath === dir);
    assert.ok(mount, `a volume is mounted at ${dir}`);
    const volume = sts.spec.template.spec.volumes.find(
      (v: { name: string }) => v.name === mount.name,
    );
    assert.equal(volume.configMap?.name, targetsMap.metadata.name);
    assert.equal(volume.configMap.items, undefined, 'every file of the ConfigMap');
  });

  test("the ConfigMap's targets file passes the shipped schema and the probe's loader", async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'deploy', 'targets.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    assert.ok(validate(parse(targetsText)), JSON.stringify(validate.errors));
    // As the pod reads it: the directory, with the secrets the StatefulSet sets.
    const dir = writeFiles(tempDir(), targetsMap.data);
    const secrets = Object.fromEntries(referenced.map((name) => [name, `${name}-value`]));
    const load = await loadTargets(dir, secrets);
    assert.deepEqual(load.problems, []);
    assert.equal(load.targets.length, parse(targetsText).targets.length);
  });

  test('the memory request follows the sizing rule for the targets per pod', () => {
    const perPod = Math.ceil(parse(targetsText).targets.length / sts.spec.replicas);
    const mebibytes = (q: string) => Number(/^(\d+)Mi$/.exec(q)?.[1]);
    const { requests, limits } = probe.resources;
    assert.ok(mebibytes(requests.memory) >= 60 + 0.3 * perPod, requests.memory);
    assert.ok(mebibytes(limits.memory) >= mebibytes(requests.memory), limits.memory);
    assert.ok(requests.cpu, 'a CPU request');
  });

  test('the same security context as the one-target example; a PDB over the shards', () => {
    const single = one(all, 'Deployment', 'dataplatform-probe-my-dataset');
    assert.deepEqual(
      sts.spec.template.spec.securityContext,
      single.spec.template.spec.securityContext,
    );
    assert.deepEqual(probe.securityContext, containers(single)[0].securityContext);
    const pdb = one(all, 'PodDisruptionBudget', 'probe');
    assert.ok(selects(pdb.spec.selector.matchLabels, sts.spec.template.metadata.labels));
    assert.equal(pdb.spec.maxUnavailable, 1);
  });

  test('one way of scraping, whose job label is the one the shipped rules select', () => {
    const rules = readdirSync(join(ROOT, 'deploy', 'prometheus')).map((f) =>
      readFileSync(join(ROOT, 'deploy', 'prometheus', f), 'utf8'),
    );
    const jobs = new Set(
      rules.flatMap((text) => [...text.matchAll(/job="([^"]+)"/g)].map((m) => m[1])),
    );
    assert.equal(jobs.size, 1, [...jobs].join(', '));
    const [job] = jobs;
    const monitors = all.filter((m) => m.kind === 'ServiceMonitor' || m.kind === 'PodMonitor');
    assert.equal(monitors.length, 1);
    const [monitor] = monitors;
    assert.equal(monitor.kind, 'ServiceMonitor');
    // No scrape-by-annotation: it would be a second scrape under another job name.
    for (const m of all) assert.deepEqual(pathsOfKey(m, 'prometheus.io/scrape'), [], m.file);
    // Every probe's pods sit behind a Service the monitor selects, whose jobLabel is the job.
    for (const workload of all.filter((m) => m.spec?.template?.spec)) {
      const pods = workload.spec.template.metadata.labels;
      const services = all.filter(
        (s) =>
          s.kind === 'Service' &&
          selects(s.spec.selector, pods) &&
          selects(monitor.spec.selector.matchLabels, s.metadata.labels),
      );
      assert.equal(services.length, 1, `${workload.file}: one monitored Service`);
      assert.equal(services[0].metadata.labels?.[monitor.spec.jobLabel], job);
      const ports = services[0].spec.ports.map((p: { name: string }) => p.name);
      assert.ok(ports.includes(monitor.spec.endpoints[0].port));
    }
  });

  test('each PrometheusRule is built from its plain rule file, comments and all', () => {
    for (const { source, name, out } of RULE_FILES) {
      const text = readFileSync(join(ROOT, 'deploy', 'prometheus', source), 'utf8');
      const rule = one(all, 'PrometheusRule', name);
      assert.equal(rule.file, join('dist', 'deploy', 'kubernetes', out));
      assert.deepEqual(rule.spec, parse(text), source);
      // The rule file's own comments (why each rule is as it is) travel with it.
      const built = readFileSync(join(RULES_BUILT, out), 'utf8');
      const comments = (t: string) => [...t.matchAll(/^ *(#.*)$/gm)].map((m) => m[1]);
      const own = comments(text.replace(/^(#.*\n)+/, ''));
      assert.ok(own.length > 0, source);
      assert.deepEqual(comments(built).slice(-own.length), own);
    }
  });

  test('the rules are written once: no alert or recording rule under deploy/ but deploy/prometheus/', () => {
    const deploy = join(ROOT, 'deploy');
    const holders = readdirSync(deploy, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.ya?ml$/.test(name))
      .filter((name) => /^\s*-?\s*(alert|record):/m.test(readFileSync(join(deploy, name), 'utf8')))
      .sort();
    assert.deepEqual(holders, [
      join('prometheus', 'alerts.yaml'),
      join('prometheus', 'shards.yaml'),
    ]);
  });

  // `kubectl apply --dry-run=client` asks a cluster's discovery which kinds exist, so it needs a
  // cluster; `--local` reads the files alone (Debian's kubernetes-client, from .ci/run).
  const KUBECTL = tool('kubectl', ['/usr/bin/kubectl']);
  const kubectl = (...args: string[]) =>
    spawnSync(KUBECTL.path ?? 'kubectl', args, { encoding: 'utf8' });

  test('kubectl reads every object of every file, offline', { skip: KUBECTL.skip }, () => {
    const read = kubectl(
      'label',
      '--local',
      '-R',
      '-f',
      KUBERNETES,
      '-f',
      RULES_BUILT,
      'checked=yes',
      '-o',
      'name',
    );
    assert.equal(read.status, 0, read.stderr);
    const names = read.stdout.trim().split('\n');
    assert.equal(names.length, all.length, read.stdout);
    assert.deepEqual(
      names.filter((n) => n.includes('<unknown>')),
      [],
      'every object is named',
    );
  });

  test("kubectl decodes each workload into Kubernetes' own types", { skip: KUBECTL.skip }, () => {
    // A pod template is decoded into the typed objects (field types, quantities, ports).
    for (const workload of all.filter((m) => m.spec?.template?.spec)) {
      const { file, ...object } = workload;
      const path = join(tempDir('probe-kubectl-'), 'workload.json');
      writeFileSync(path, JSON.stringify(object));
      const typed = kubectl('set', 'env', '--local', '-f', path, 'CHECKED=1', '-o', 'name');
      assert.equal(typed.status, 0, `${file}: ${typed.stderr}`);
    }
  });
});
