import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Kubernetes PrometheusRules, made at build from the plain rule files of deploy/prometheus/,
 * which are the one source of the rules: `npm run build` writes dist/deploy/kubernetes/, so the
 * rules Prometheus loads and the ones the Prometheus Operator loads cannot drift apart.
 */
export const RULE_FILES = [
  { source: 'alerts.yaml', name: 'dataplatform-probe', out: 'alerts.yaml' },
  { source: 'shards.yaml', name: 'dataplatform-probe-shards', out: 'shards-alerts.yaml' },
] as const;

/**
 * A rule file wrapped as a PrometheusRule: its `groups:` become the spec as written, comments
 * included, indented one level (blank lines stay empty, so no block scalar gains a line). The
 * file's leading comment speaks of the plain file, so the resource says where it came from.
 */
export function prometheusRule(source: string, rules: string, name: string): string {
  const spec = rules
    .replace(/^(#.*\n)+/, '')
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
  return [
    `# Made by \`npm run build\` from deploy/prometheus/${source}: edit that file, never this one.`,
    '# The rules as a PrometheusRule (Prometheus Operator); your Prometheus’s ruleSelector must',
    '# match these labels. See docs/alerts.md, "Loading the rules".',
    'apiVersion: monitoring.coreos.com/v1',
    'kind: PrometheusRule',
    'metadata:',
    `  name: ${name}`,
    '  labels: { app.kubernetes.io/name: dataplatform-probe }',
    'spec:',
    spec,
  ].join('\n');
}

/** Writes every PrometheusRule into `outDir`, from the rule files of the checkout at `root`. */
export function writePrometheusRules(root: string, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  return RULE_FILES.map(({ source, name, out }) => {
    const rules = readFileSync(join(root, 'deploy', 'prometheus', source), 'utf8');
    const file = join(outDir, out);
    writeFileSync(file, prometheusRule(source, rules, name));
    return file;
  });
}

// Run by `npm run build` as dist/deploy/prometheusRule.js: the checkout is two folders up.
if (require.main === module) {
  writePrometheusRules(join(__dirname, '..', '..'), join(__dirname, 'kubernetes'));
}
