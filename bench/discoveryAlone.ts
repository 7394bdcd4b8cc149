import { livePeers$ } from '../src/shards/livePeers';

/**
 * A process that only reads the peers, as a shard does (DISCOVERY_SRV at DISCOVERY_DNS_SERVER
 * every DISCOVERY_REFRESH_SECONDS), or with DISCOVERY_IDLE set only stays alive: the healing
 * bench measures the CPU of the two side by side, so discovery's cost is seen apart from the
 * noise of the targets' work.
 */
const { DISCOVERY_SRV, DISCOVERY_DNS_SERVER, DISCOVERY_REFRESH_SECONDS, DISCOVERY_IDLE } =
  process.env;
if (!DISCOVERY_IDLE) {
  livePeers$({
    srv: DISCOVERY_SRV ?? '',
    dnsServer: DISCOVERY_DNS_SERVER,
    hostname: 'probe-9',
    refreshMs: Number(DISCOVERY_REFRESH_SECONDS) * 1000,
  }).subscribe();
}
setInterval(() => undefined, 2 ** 30);
