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
  // Without an 'error' listener a taken port is an uncaught exception and a stack trace.
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new ListenError(error, host, port));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
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

/** Why a server could not listen, in one line for a person; `code` is the system's. */
export class ListenError extends Error {
  readonly code: string | undefined;
  constructor(error: NodeJS.ErrnoException, host: string, port: number) {
    const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const why: Record<string, string> = {
      EADDRINUSE: `${address} is already in use`,
      EACCES: `${address} is not allowed (a port below 1024 needs privileges)`,
      EADDRNOTAVAIL: `${host} is not an address of this machine`,
      ENOTFOUND: `${host} is not a known host name`,
    };
    super(why[error.code ?? ''] ?? `${address}: ${error.message}`);
    this.name = 'ListenError';
    this.code = error.code;
  }
}
