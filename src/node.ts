/**
 * The Node-only entry point: the real-world adapters of the platform ports.
 *
 * `NodeFileSystem` writes real files (with fsync), `TcpTransport` opens real sockets. Hand
 * them, with a `SystemClock`, to a `NamesrvController` or `BrokerController` from
 * `src/index.ts` and you have a server that real RocketMQ clients can talk to.
 *
 * Differences from RocketMQ 4.9.x: none to speak of.
 *
 * @article why-read "How the code is organised"
 * @category Entry points
 * @module
 */
export * from './index.js';
export { NodeFileSystem, NodeFileSystemError } from './platform/node/node-file-system.js';
export { TcpTransport, TcpTransportError } from './platform/node/tcp-transport.js';
