import { join } from 'node:path';
import ts from 'typescript';
import type { Manifest } from './manifests';
import { ROOT } from './manifests';

/**
 * Checks Kubernetes objects against the published schemas, offline, with the models that
 * carry them (kubernetes-models, @kubernetes-models/prometheus-operator: generated from
 * Kubernetes' OpenAPI and the Operator's CRDs). Two checks, since each misses what the other
 * finds: the models' validators (types, required fields, enums, formats) ignore an unknown
 * field, so a misspelled one (`publishNotReadyAdresses`) is found by the models' TypeScript
 * types, whose excess-property check refuses any field the schema does not have.
 */
export function schemaProblems(objects: readonly Manifest[]): string[] {
  return [...objects.flatMap(validatorProblems), ...typeProblems(objects)];
}

/** The module of a kind's model: `apps/v1` + `StatefulSet` → kubernetes-models/apps/v1/StatefulSet. */
function modelPath({ apiVersion, kind }: Manifest): string {
  if (!/^[\w.]+(\/\w+)?$/.test(apiVersion ?? '') || !/^\w+$/.test(kind ?? '')) {
    throw new Error(`${apiVersion} ${kind}: no such kind`);
  }
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'monitoring.coreos.com') {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

const bare = ({ file, ...object }: Manifest) => object;
const where = (m: Manifest) => `${m.file}: ${m.kind} ${m.metadata?.name}`;

function validatorProblems(m: Manifest): string[] {
  let Model: new (data: object) => { validate(): void };
  try {
    Model = require(modelPath(m))[m.kind];
  } catch {
    return [`${where(m)}: no published schema for ${m.apiVersion} ${m.kind}`];
  }
  try {
    new Model(bare(m)).validate();
    return [];
  } catch (error) {
    return [`${where(m)}: ${(error as Error).message}`];
  }
}

/** Each object as a literal of its model's type, compiled in memory; every error is a problem. */
function typeProblems(objects: readonly Manifest[]): string[] {
  const known = objects.filter((m) =>
    validatorProblems(m).every((p) => !p.includes('no published')),
  );
  const source = known
    .map(
      (m, i) =>
        `import type { I${m.kind} as T${i} } from '${modelPath(m)}';\n` +
        `// ${where(m)}\nexport const o${i}: T${i} = ${JSON.stringify(bare(m), null, 1)};\n`,
    )
    .join('\n');
  const file = join(ROOT, 'manifests.check.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile;
  host.getSourceFile = (name, ...rest) =>
    name === file ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022) : read(name, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    const line =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    const object = source
      .split('\n')
      .slice(0, line + 1)
      .reverse()
      .find((l) => l.startsWith('// '));
    return `${object?.slice(3) ?? '?'}: ${text}`;
  });
}
