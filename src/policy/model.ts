import { ISignal, Signal } from '@lumino/signaling';

import { decide, IPolicyReply, IRuleDecision, IRuleSetting } from './policy';
import { IWardenPolicy } from './tokens';

/** Used until the lab server first answers: catalog defaults, nothing loosened. */
const CATALOG_ONLY: IPolicyReply = {
  effective: { schema_version: 1, revision: 0 },
  provenance: {},
  source: 'catalog',
  revision: 0,
  errors: [],
  sources: []
};

/** Keeps the lab's effective policy current by polling GET /warden/policy. */
export class PolicyModel implements IWardenPolicy {
  private _reply: IPolicyReply | null = null;
  private _error: string | null = null;
  private _userRules: Record<string, IRuleSetting> = {};
  private _changed = new Signal<this, void>(this);
  private _timer: ReturnType<typeof setInterval> | undefined;
  private _markLoaded!: () => void;
  private _loaded = new Promise<void>(resolve => (this._markLoaded = resolve));

  /** `fetch` answers GET /warden/policy (the plugin passes the lab server's; tests a fake). */
  constructor(private readonly _fetch: () => Promise<IPolicyReply>) {}

  get reply(): IPolicyReply | null {
    return this._reply;
  }
  get error(): string | null {
    return this._error;
  }
  get userRules(): Record<string, IRuleSetting> {
    return this._userRules;
  }
  get changed(): ISignal<this, void> {
    return this._changed;
  }
  get loaded(): Promise<void> {
    return this._loaded;
  }

  decide(ruleId: string): IRuleDecision {
    return decide(this._reply ?? CATALOG_ONLY, ruleId, this._userRules);
  }

  async refresh(): Promise<void> {
    let reply: IPolicyReply | null = this._reply;
    let error: string | null = null;
    try {
      reply = await this._fetch();
    } catch (reason) {
      error = (reason as Error).message ?? String(reason);
    }
    const changed =
      error !== this._error ||
      JSON.stringify(reply) !== JSON.stringify(this._reply);
    this._reply = reply;
    this._error = error;
    if (changed) {
      this._changed.emit();
    }
    this._markLoaded();
  }

  setUserRules(rules: Record<string, IRuleSetting>): void {
    this._userRules = rules;
    this._changed.emit();
  }

  /** Poll every `seconds` so an admin's change shows without the user doing anything. */
  startPolling(seconds: number): void {
    this.stopPolling();
    this._timer = setInterval(() => void this.refresh(), seconds * 1000);
  }

  stopPolling(): void {
    if (this._timer !== undefined) {
      clearInterval(this._timer);
      this._timer = undefined;
    }
  }
}
