/**
 * Event payloads of master/slave replication: slave connections, transferred chunks, acknowledgements, and SYNC_MASTER sends waiting for them.
 *
 * Filled in by `src/store/ha/`; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip.
 *
 * Two lanes tell the story. On the master, a slave connects (`slave-connected`), says how
 * much log it already has (the first `acked`), the master decides where to start
 * (`transfer-started`), pushes chunks (`chunk-sent`), and each chunk comes back as an
 * `acked`, which may release SYNC_MASTER puts (`sync-waited`). On the slave, the client
 * connects (`client-connected`) and appends each chunk as it arrives (`appended`).
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article ha "Replicating the commit log"
 * @category Events
 * @module
 */

/** Why an HA connection ended (either side). */
export type HaCloseReason =
  /** Nothing arrived for `haHousekeepingInterval` (20 s). */
  | 'housekeeping'
  /** The peer closed or reset the connection. */
  | 'peer-closed'
  /** The bytes broke the protocol: a negative offset or size, a frame too big to buffer. */
  | 'bad-frame'
  /** Master: an ack beyond the master's own log. Slave: a chunk not starting where its log ends. */
  | 'offset-mismatch'
  /** Slave: the store refused to append the chunk (not running, a disk error, a chunk crossing a file end). */
  | 'append-failed'
  /** Slave: `updateHaMasterAddress` named another master. */
  | 'master-changed'
  /** The store shut down. */
  | 'shutdown';

/** What a SYNC_MASTER put's wait for the slave answered. */
export type HaSyncStatus = 'PUT_OK' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

export interface StoreHaEventMap {
  /**
   * The master's HA port is listening (`HAService.AcceptSocketService.beginAccept`).
   * `address` is the bound address (the port the system chose, when 0 was asked for).
   */
  'store.ha.listening': { address: string };
  /** The master's HA port could not be opened (a port in use, say): no slave can connect. */
  'store.ha.listen-failed': { address: string; error: string };
  /**
   * Master: a slave connected to the HA port (Java `AcceptSocketService` creating an
   * `HAConnection`). `connections` counts the slaves now connected. The viz draws a
   * replication link from master to slave.
   */
  'store.ha.slave-connected': { slave: string; connections: number };
  /** Master: a slave's connection ended; `connections` is what is left. The link is removed. */
  'store.ha.slave-disconnected': { slave: string; reason: HaCloseReason; connections: number };
  /**
   * Master: the first transfer point was chosen from the slave's first report (a decision,
   * with `why`): the slave's own max offset, or, for an empty slave (0), the start of the
   * master's last commit-log file, so a fresh slave does not copy history.
   */
  'store.ha.transfer-started': { slave: string; requestOffset: number; fromOffset: number };
  /**
   * Master: one transfer frame went to a slave: `size` commit-log bytes from physical
   * offset `from` (size 0: a heartbeat header after 5 s of idleness). The viz moves a
   * packet along the link and the slave's "sent" marker on the master's log.
   */
  'store.ha.chunk-sent': { slave: string; from: number; size: number };
  /**
   * Master: a slave reported its max physical offset (an 8-byte ack). `pushToSlaveMaxOffset`
   * is the largest offset any slave has confirmed, which is what SYNC_MASTER puts wait for.
   */
  'store.ha.acked': { slave: string; offset: number; pushToSlaveMaxOffset: number };
  /**
   * Master: SYNC_MASTER puts got their answer (`GroupTransferService`): `requests` puts whose
   * records end at or before `nextOffsetMax`, answered together. SLAVE_NOT_AVAILABLE is a
   * decision made before waiting (no slave, or one lagging by `haSlaveFallbehindMax`) and
   * carries `why`. `ackedOffset` is the slaves' confirmed offset at that moment.
   */
  'store.ha.sync-waited': { requests: number; status: HaSyncStatus; ackedOffset: number; nextOffsetMax: number };
  /**
   * Slave: the HA client connected to its master and reported `reportedOffset`, its commit
   * log's max offset (0 when empty).
   */
  'store.ha.client-connected': { master: string; reportedOffset: number };
  /** Slave: connecting to the master failed; the client tries again after `retryInMs`. */
  'store.ha.client-connect-failed': { master: string; error: string; retryInMs: number };
  /** Slave: the connection to the master ended; the client reconnects. */
  'store.ha.client-disconnected': { master: string; reason: HaCloseReason };
  /**
   * Slave: a chunk of the master's commit log was appended verbatim at `from` (Java
   * `appendToCommitLog`); `maxPhyOffset` is the slave's log end afterwards, which it then
   * reports back. Its own reput service builds consume queues and the index from it.
   */
  'store.ha.appended': { from: number; size: number; maxPhyOffset: number };
}
