/**
 * RPCHook: code that runs around every RPC, on both the calling and the answering side.
 *
 * RocketMQ's ACL is built this way: a client hook signs each request (adds `AccessKey`
 * and `Signature` to extFields) before it leaves, and a broker hook verifies the signature
 * before the processor runs; throwing from the server-side hook rejects the request with
 * `SYSTEM_ERROR`. Message-trace and metrics hooks use the same two points.
 *
 * ```
 *  caller:   doBeforeRequest(addr, request) ──► wire ──► ... ──► doAfterResponse(addr, request, response)
 *  server:   decode ──► doBeforeRequest(addr, request) ──► processor ──► doAfterResponse(addr, request, response) ──► write
 * ```
 *
 * Differences from RocketMQ 4.9.x: none in shape; Java's interface is `RPCHook` with the
 * same two methods.
 *
 * @mirrors org.apache.rocketmq.remoting.RPCHook
 * @article send-receive "Hooks around every RPC"
 * @category Remoting
 * @module
 */
import type { RemotingCommand } from './remoting-command.js';

export interface RPCHook {
  /** Runs before a request is sent (caller) or processed (server). May add extFields; may throw to refuse. */
  doBeforeRequest(remoteAddress: string, request: RemotingCommand): void;
  /** Runs after a response arrived (caller) or was produced (server, `response` is null when none is sent). */
  doAfterResponse(remoteAddress: string, request: RemotingCommand, response: RemotingCommand | null): void;
}
