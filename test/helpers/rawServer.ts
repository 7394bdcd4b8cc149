import { type AddressInfo, createServer, type Socket } from 'node:net';

/**
 * A server below HTTP: for every request it receives (a head starting `POST `, counted) it
 * calls `answer` with the socket, which may write any bytes at all — what Node's own server
 * would never send.
 */
export async function rawServer(answer: (socket: Socket) => void) {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      const heads = chunk.toString('latin1').match(/POST \//g)?.length ?? 0;
      for (let i = 0; i < heads; i++) {
        requests += 1;
        answer(socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
