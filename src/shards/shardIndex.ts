/**
 * Which shard this process is: `PROBE_SHARD_INDEX` when set; else the trailing `-N` of the host
 * name, as a Kubernetes StatefulSet names its pods (`probe-2` is shard 2); else 0. A problem
 * (a line for people) when it is not a whole number below the shard count. With one shard the
 * host name is not read: a Deployment's pod (`probe-7d9f8-24567`) ends in digits too.
 */
export function shardIndex(
  raw: string,
  hostname: string | undefined,
  shards: number,
): { readonly index: number } | { readonly problem: string } {
  const given = raw.trim();
  if (given === '' && shards === 1) return { index: 0 };
  // Every digit of the ordinal counts: `probe-12345` is shard 12345, refused past the count,
  // never the 0 that a name without digits gives.
  const source = given !== '' ? given : (/-(\d+)$/.exec(hostname ?? '')?.[1] ?? '0');
  const what = given !== '' ? 'PROBE_SHARD_INDEX' : `the host name ${JSON.stringify(hostname)}`;
  if (!/^\d+$/.test(source)) {
    return { problem: `PROBE_SHARD_INDEX: expected a whole number, got ${JSON.stringify(given)}` };
  }
  const digits = source.replace(/^0+(?=\d)/, '');
  const index = Number(digits);
  if (digits.length > String(shards).length || index >= shards) {
    return {
      problem: `PROBE_SHARD_INDEX: ${what} gives shard ${digits}, but PROBE_SHARDS is ${shards} (0…${shards - 1})`,
    };
  }
  return { index };
}
