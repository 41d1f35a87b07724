/**
 * Host addresses as RocketMQ stores them: `"ip:port"` strings on our side, 8 or 20 bytes
 * in a record.
 *
 * A record holds two socket addresses: BORNHOST (the producer's TCP peer address as the
 * broker saw it) and STOREHOSTADDRESS (the broker's own `brokerIP1` + listen port). The
 * offset message id is the store host's bytes plus the physical offset, so the exact byte
 * form matters: a Java client decodes our msgId to find the broker and the record.
 *
 * ```
 *   "10.0.0.1:10911"           0A 00 00 01 | 00 00 2A 9F                       8 bytes
 *                              └─ IPv4 ──┘   └ port, int32 ┘
 *   "[fe80:0:0:0:0:0:0:1]:80"  FE 80 00 00 ... 00 01 | 00 00 00 50            20 bytes
 *                              └──── IPv6, 16 bytes ─┘  └ port ──┘
 * ```
 *
 * The IPv4 writer parses the string straight into the target bytes, so the append path
 * allocates nothing for it.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java holds `InetSocketAddress` objects; we hold strings, which print and serialise
 *   as-is. IPv6 is written `[groups]:port` with Java's uncompressed group form
 *   (`Inet6Address.getHostAddress`). Host names are not resolved: an address that is not
 *   an IP literal does not parse.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageExt#socketAddress2ByteBuffer
 * @article message "Bytes on the wire and on disk"
 * @category Common
 * @module
 */

/** An IP address (4 or 16 bytes) and a port. */
export interface ParsedHostAddress {
  readonly ip: Uint8Array;
  readonly port: number;
}

/** Whether `address` is written in the bracketed IPv6 form `[...]:port`. */
export function isIPv6HostAddress(address: string): boolean {
  return address.startsWith('[');
}

/** Parse `"a.b.c.d:port"` or `"[v6]:port"`; `undefined` when it is neither. */
export function parseHostAddress(address: string): ParsedHostAddress | undefined {
  let ipText: string;
  let portText: string;
  if (isIPv6HostAddress(address)) {
    const close = address.indexOf(']:');
    if (close < 0) return undefined;
    ipText = address.slice(1, close);
    portText = address.slice(close + 2);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon < 0) return undefined;
    ipText = address.slice(0, colon);
    portText = address.slice(colon + 1);
  }
  if (!/^[0-9]{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  const ip = isIPv6HostAddress(address) ? parseIPv6(ipText) : parseIPv4(ipText);
  return ip === undefined ? undefined : { ip, port };
}

/** Parse dotted-quad IPv4 text into 4 bytes. */
export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const ip = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^[0-9]{1,3}$/.test(part) || Number(part) > 255) return undefined;
    ip[i] = Number(part);
  }
  return ip;
}

/** Parse IPv6 text (`::` compression and a dotted IPv4 tail allowed) into 16 bytes. */
export function parseIPv6(text: string): Uint8Array | undefined {
  let hex = text;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    hex = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1]!.split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const ip = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const group = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    const value = parseInt(group, 16);
    ip[i * 2] = value >>> 8;
    ip[i * 2 + 1] = value & 0xff;
  }
  return ip;
}

/** Text of `ip[start..start+length)`: dotted quad for 4 bytes, Java's uncompressed groups for 16. */
export function formatIp(ip: Uint8Array, start = 0, length: 4 | 16 = ip.length === 16 ? 16 : 4): string {
  if (length === 4) return `${ip[start]}.${ip[start + 1]}.${ip[start + 2]}.${ip[start + 3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip[start + i]! << 8) | ip[start + i + 1]!).toString(16));
  return groups.join(':');
}

/** `"ip:port"` (IPv4) or `"[ip]:port"` (IPv6) from raw bytes. */
export function formatHostAddress(ip: Uint8Array, port: number): string {
  return ip.length === 16 ? `[${formatIp(ip)}]:${port}` : `${formatIp(ip)}:${port}`;
}

/** The stored form of an address: IP bytes then a big-endian int32 port (8 or 20 bytes). */
export function hostAddressToBytes(address: string): Uint8Array | undefined {
  const parsed = parseHostAddress(address);
  if (parsed === undefined) return undefined;
  const out = new Uint8Array(parsed.ip.length + 4);
  out.set(parsed.ip, 0);
  new DataView(out.buffer).setInt32(parsed.ip.length, parsed.port, false);
  return out;
}

/**
 * Write the stored form of `address` into `target` at `position`. Returns the bytes
 * written (8 or 20), or 0 when the address does not parse (the target may then hold
 * partial garbage in that range).
 */
export function writeHostAddress(target: Uint8Array, position: number, address: string): number {
  // Every record stores two addresses (born, store), nearly always the two of the record before.
  const [a, b] = recentIPv4;
  const known = a?.address === address ? a : b?.address === address ? b : undefined;
  if (known !== undefined) {
    for (let i = 0; i < 8; i++) target[position + i] = known.bytes[i]!;
    return 8;
  }
  if (!isIPv6HostAddress(address)) {
    if (!writeIPv4HostAddress(target, position, address)) return 0;
    recentIPv4[replaceNext] = { address, bytes: target.slice(position, position + 8) };
    replaceNext ^= 1;
    return 8;
  }
  const bytes = hostAddressToBytes(address);
  if (bytes === undefined) return 0;
  target.set(bytes, position);
  return bytes.length;
}

/** The two IPv4 addresses {@link writeHostAddress} parsed last, with their 8 stored bytes. */
const recentIPv4: Array<{ readonly address: string; readonly bytes: Uint8Array } | undefined> = [undefined, undefined];
/** Which of the two a new address replaces. */
let replaceNext = 0;

/** The IPv4 fast path: parse `a.b.c.d:port` character by character into the target. */
function writeIPv4HostAddress(target: Uint8Array, position: number, address: string): boolean {
  let part = 0; // 0-3: octets, 4: port
  let value = 0;
  let digits = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > (part < 4 ? 3 : 5)) return false;
    } else if ((c === 46 && part < 3) || (c === 58 && part === 3)) {
      if (digits === 0 || value > 255) return false;
      target[position + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (part !== 4 || digits === 0 || value > 65535) return false;
  target[position + 4] = 0;
  target[position + 5] = 0;
  target[position + 6] = value >>> 8;
  target[position + 7] = value & 0xff;
  return true;
}

/** Read a stored address (`ipLength` IP bytes, then an int32 port) as `"ip:port"`. */
export function readHostAddress(bytes: Uint8Array, position: number, ipLength: 4 | 16): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const port = view.getInt32(position + ipLength, false);
  const ip = formatIp(bytes, position, ipLength);
  return ipLength === 16 ? `[${ip}]:${port}` : `${ip}:${port}`;
}
