/**
 * Which shard this process is: `PROBE_SHARD_INDEX` when set; else the trailing `-N` of the host
 * name, as a Kubernetes StatefulSet names its pods (`probe-2` is shard 2); else 0. A problem
 * (a line for people) when it is not a whole number below the shard count.
 */
export function shardIndex(
  raw: string,
  hostname: string | undefined,
  shards: number,
): { readonly index: number } | { readonly problem: string } {
  const given = raw.trim();
  const source = given !== '' ? given : (/-(\d{1,4})$/.exec(hostname ?? '')?.[1] ?? '0');
  const what = given !== '' ? 'PROBE_SHARD_INDEX' : `the host name ${JSON.stringify(hostname)}`;
  if (!/^\d{1,4}$/.test(source)) {
    return { problem: `PROBE_SHARD_INDEX: expected a whole number, got ${JSON.stringify(given)}` };
  }
  const index = Number(source);
  if (index >= shards) {
    return {
      problem: `PROBE_SHARD_INDEX: ${what} gives shard ${index}, but PROBE_SHARDS is ${shards} (0…${shards - 1})`,
    };
  }
  return { index };
}
