/**
 * installNativeCrc32: hands `node:zlib`'s CRC-32 to the store's checksum code.
 *
 * `common/crc32.ts` computes `java.util.zip.CRC32` with lookup tables, in plain TypeScript so
 * the store runs in a browser too. Node ships the same function natively (`zlib.crc32`, Node
 * 20.15 and later), which hashes a 1 KiB message body in about half the time. Every stored
 * message needs one body CRC, so the broker's entry point calls this once at start (the name
 * server stores no messages). Where `zlib.crc32` is missing, or disagrees with the tables (it never should), the
 * tables stay in use.
 *
 * Differences from RocketMQ 4.9.x: Java's `CRC32` is an intrinsic of the JVM; this is the
 * same idea by hand.
 *
 * @mirrors java.util.zip.CRC32
 * @article store "Checking a record: magic code, length and CRC"
 * @category Platform
 * @module
 */
import * as zlib from 'node:zlib';
import { useNativeCrc32, type NativeCrc32 } from '../../common/crc32.js';

/** Use zlib's CRC-32 when this Node has it; returns whether it is now in use. */
export function installNativeCrc32(): boolean {
  const fn = (zlib as { crc32?: NativeCrc32 }).crc32;
  return useNativeCrc32(fn);
}
