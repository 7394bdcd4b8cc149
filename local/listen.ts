import type { Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';

export interface Listening {
  readonly port: number;
  /** Runs `beforeClose` (end what the server holds open), then closes it and every connection. */
  close(beforeClose?: () => void): Promise<void>;
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `server` on `port` (0: a free one) on loopback unless told otherwise, and gives a
 * close that does not wait on keep-alive or hanging connections: what every stand-in needs.
 */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: (beforeClose) =>
      new Promise<void>((resolve) => {
        beforeClose?.();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
