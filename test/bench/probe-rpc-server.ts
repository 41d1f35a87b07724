// The server half of the physical probe: a Node RPC skeleton with no protocol work at all.
//
// It reads length-prefixed frames (int32 length, payload) and answers each with a 16-byte frame
// (int32 12, 12 zero bytes); all answers to the frames of one socket read go out in one write.
// This is the "batched TCP frames" ceiling of performance.md section 3: what one Node process on
// this machine can move when it batches, measured in the same run as the broker.
//
//   started as: node --import tsx probe-rpc-server.ts   → prints "port <n>" on stdout
import { createServer } from 'node:net';

const REPLY_SIZE = 16;
const replies = Buffer.alloc(REPLY_SIZE * 4096);
for (let i = 0; i < 4096; i++) replies.writeInt32BE(REPLY_SIZE - 4, i * REPLY_SIZE);

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let rest: Buffer | undefined;
  socket.on('data', (incoming: Buffer) => {
    const chunk = rest === undefined ? incoming : Buffer.concat([rest, incoming]);
    rest = undefined;
    let at = 0;
    let frames = 0;
    while (chunk.length - at >= 4) {
      const size = chunk.readInt32BE(at) + 4;
      if (chunk.length - at < size) break;
      at += size;
      frames++;
    }
    if (at < chunk.length) rest = chunk.subarray(at);
    while (frames > 0) {
      const n = Math.min(frames, 4096);
      socket.write(replies.subarray(0, n * REPLY_SIZE));
      frames -= n;
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen({ host: '127.0.0.1', port: 0 }, () => {
  const address = server.address();
  process.stdout.write(`port ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
