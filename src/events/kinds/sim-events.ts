/**
 * Event payloads of the simulation harness: the simulated network, injected faults, and the
 * walkthroughs' narration beats.
 *
 * These are the facts a learner needs to explain a surprising run: a packet that was
 * dropped, a link that was cut, a node that crashed and lost its unflushed bytes.
 *
 * Differences from RocketMQ 4.9.x: not part of RocketMQ; the simulation is ours.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Events
 * @module
 */

export interface SimEventMap {
  /**
   * SimNetwork dropped a unit (one `send`/`sendMany` call) because of its loss rate or a
   * partition. The viz draws a broken packet. `from`/`to` are the sending and receiving
   * `"host:port"` addresses (for a connect refused by a partition, `from` is the client's
   * host name); `bytes` is 0 for a lost close or connect attempt.
   */
  'sim.link.dropped': { from: string; to: string; bytes: number; reason: 'loss' | 'partition' | 'injected' };
  /** SimNetwork held a unit `ms` longer than its latency (`delayNext`); later units queue behind it. */
  'sim.link.delayed': { from: string; to: string; bytes: number; ms: number };
  /** SimNetwork partitioned two hosts (both directions). */
  'sim.link.partitioned': { a: string; b: string };
  /** SimNetwork healed every partition. */
  'sim.link.healed': Record<string, never>;
  /** A simulated node crashed; bytes not yet flushed are lost. */
  'sim.node.crashed': { target: string; lostUnflushed?: [number, number] };
  /** A simulated node came back. */
  'sim.node.restarted': { target: string };
  /**
   * A walkthrough reached a teaching moment: the narration of what just happened, in English
   * and Chinese, with the numbers of this run already filled in. The viz's "next teaching
   * moment" key jumps between these, and its step log reads them aloud.
   */
  'walkthrough.beat.reached': { id: string; en: string; zh: string };
}
