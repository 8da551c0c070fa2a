import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import { IPolicyReply, IRuleDecision, IRuleSetting } from './policy';

/** The lab's effective policy, kept current, with the user's stricter settings applied. */
export interface IWardenPolicy {
  /** The last reply of GET /warden/policy, or null before the first. */
  readonly reply: IPolicyReply | null;
  /** The last error talking to the lab server, or null. */
  readonly error: string | null;
  readonly userRules: Record<string, IRuleSetting>;
  /** Emitted whenever the reply, the error or the user's settings change. */
  readonly changed: ISignal<IWardenPolicy, void>;
  /**
   * Resolves once the server's first answer (or error) is in. Until then `decide` has only
   * the catalog defaults, which an admin's policy may make stricter: the gate waits for it.
   */
  readonly loaded: Promise<void>;
  decide(ruleId: string): IRuleDecision;
  /** Fetch now instead of waiting for the next poll. */
  refresh(): Promise<void>;
}

export const IWardenPolicy = new Token<IWardenPolicy>(
  'jupyterlab-warden:IWardenPolicy',
  'The effective Jupyter Warden policy of this lab.'
);
