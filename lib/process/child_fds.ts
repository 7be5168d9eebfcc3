// The fd table of the init (stage 0, inherited by every stage): which of
// our fds becomes which fd number in the child. Fixed part: 0–2 stdio,
// 3.. the preserved fds (they keep those numbers in the container), then
// the init pipe and the log pipe; after them each fd add()ed, in order.
// create and exec add their fds here and hand the numbers add() returns to
// the planner; launchInit (init_process.ts) spawns with the same table.
//
// Permissions: none.

export class ChildFds {
  /** Our fds that become the child's 3, 4, … (--preserve-fds, LISTEN_FDS). */
  readonly preserved: readonly number[];
  /** The child's fd of the init pipe (runo:init's first argument). */
  readonly initPipe: number;
  /** The child's fd of the log pipe. */
  readonly logPipe: number;
  readonly #extra: number[] = [];

  constructor(preserved: readonly number[]) {
    this.preserved = [...preserved];
    this.initPipe = 3 + preserved.length;
    this.logPipe = this.initPipe + 1;
  }

  /** Adds our fd `fd`; returns the number the child finds it at. */
  add(fd: number): number {
    this.#extra.push(fd);
    return this.logPipe + this.#extra.length;
  }

  /**
   * Our fds by child fd number (index i becomes the child's fd i), given
   * the stdio and the two pipes' child ends, for spawn().
   */
  spawnFds(
    stdio: readonly [number, number, number],
    initPipe: number,
    logPipe: number,
  ): number[] {
    return [...stdio, ...this.preserved, initPipe, logPipe, ...this.#extra];
  }
}
