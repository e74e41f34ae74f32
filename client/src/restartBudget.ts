/**
 * How often the language server may be restarted after it dies: at most `max` restarts within `windowMs`.
 * A server that crashes on every start (a broken data file, say) would otherwise restart forever and flood
 * the output channel. Plain logic, no `vscode` import.
 */
export class RestartBudget {
  private readonly restarts: number[] = [];

  constructor(
    readonly max = 4,
    readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a crash at `now`; true if the server should be restarted, false once the budget is spent. */
  allow(now: number): boolean {
    while (this.restarts.length > 0 && now - this.restarts[0]! > this.windowMs) this.restarts.shift();
    if (this.restarts.length >= this.max) return false;
    this.restarts.push(now);
    return true;
  }

  /** Restarts counted in the current window. */
  get used(): number {
    return this.restarts.length;
  }

  /** A deliberate restart (the user's command) starts a fresh budget. */
  reset(): void {
    this.restarts.length = 0;
  }
}
