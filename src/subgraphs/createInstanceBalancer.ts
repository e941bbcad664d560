import type { BalancingSettings, SubgraphInstance } from './resolveSubgraphSettings.js';

/** Where an instance stands: taking calls, or ejected until a time after failing too often in a row. */
export type InstanceHealth =
  { readonly kind: 'healthy' } | { readonly kind: 'ejected'; readonly untilMs: number };

export interface InstanceView {
  readonly url: string;
  readonly inFlight: number;
  readonly health: InstanceHealth;
}

export interface InstanceLease {
  readonly url: string;
  /** Reports how the call went: `failure` counts towards ejection, `success` resets the count. */
  release(verdict: 'success' | 'failure' | 'ignored'): void;
}

export interface InstanceBalancer {
  /**
   * The instance of `instances` for the next call (an ejected one only when every one is ejected). The list
   * comes with each call, from the graph making it: a dry run with other URLs never moves served traffic.
   */
  acquire(instances: readonly SubgraphInstance[], settings: BalancingSettings): InstanceLease;
  /** Health-check result for one instance: a failure ejects it at once, a success reinstates it. */
  reportProbe(url: string, healthy: boolean, settings: BalancingSettings): void;
  view(): readonly InstanceView[];
}

interface InstanceState {
  readonly url: string;
  inFlight: number;
  consecutiveFailures: number;
  ejectedUntilMs: number;
  /** Smooth weighted round-robin credit (nginx's algorithm): spreads weights evenly, not in bursts. */
  credit: number;
}

/**
 * Spreads a subgraph's calls over its instances: weighted round-robin (nginx's smooth algorithm) or
 * least-in-flight (fewest outstanding calls per unit of weight, round-robin among ties). Passive ejection: an
 * instance that fails `ejectAfterFailures` calls in a row gets no calls for `ejectMs`, then is tried again
 * (one more failure then ejects it again). When every instance is ejected, the one whose ejection ends first
 * is used rather than failing the call outright. State is kept per instance URL.
 */
export function createInstanceBalancer(deps: {
  readonly now: () => number;
  readonly onEjected: (url: string) => void;
  readonly onReinstated: (url: string) => void;
}): InstanceBalancer {
  const states = new Map<string, InstanceState>();
  const stateOf = (url: string): InstanceState => {
    let state = states.get(url);
    if (!state) {
      state = { url, inFlight: 0, consecutiveFailures: 0, ejectedUntilMs: 0, credit: 0 };
      states.set(url, state);
    }
    return state;
  };
  const isEjected = (state: InstanceState, now: number) => state.ejectedUntilMs > now;
  const eject = (state: InstanceState, now: number, settings: BalancingSettings) => {
    const wasEjected = isEjected(state, now);
    state.ejectedUntilMs = now + settings.ejectMs;
    if (!wasEjected) deps.onEjected(state.url);
  };

  const pickRoundRobin = (eligible: ReadonlyArray<[InstanceState, number]>): InstanceState => {
    let total = 0;
    let best = eligible[0]![0];
    for (const [state, weight] of eligible) {
      state.credit += weight;
      total += weight;
      if (state.credit > best.credit) best = state;
    }
    best.credit -= total;
    return best;
  };

  return {
    acquire(instances, settings) {
      const now = deps.now();
      const candidates = instances.map(
        ({ url, weight }) => [stateOf(url), weight] as [InstanceState, number],
      );
      let eligible = candidates.filter(([state]) => !isEjected(state, now));
      if (eligible.length === 0)
        eligible = [candidates.reduce((a, b) => (b[0].ejectedUntilMs < a[0].ejectedUntilMs ? b : a))];
      if (settings.strategy === 'least-in-flight') {
        const least = Math.min(...eligible.map(([state, weight]) => state.inFlight / weight));
        eligible = eligible.filter(([state, weight]) => state.inFlight / weight === least);
      }
      const chosen = pickRoundRobin(eligible);
      chosen.inFlight += 1;
      let released = false;
      return {
        url: chosen.url,
        release(verdict) {
          if (released) return;
          released = true;
          chosen.inFlight -= 1;
          if (verdict === 'success') {
            chosen.consecutiveFailures = 0;
          } else if (verdict === 'failure') {
            chosen.consecutiveFailures += 1;
            const at = deps.now();
            if (chosen.consecutiveFailures >= settings.ejectAfterFailures && !isEjected(chosen, at)) {
              eject(chosen, at, settings);
              // Back from ejection it gets one chance: a single further failure ejects it again.
              chosen.consecutiveFailures = settings.ejectAfterFailures - 1;
            }
          }
        },
      };
    },

    reportProbe(url, healthy, settings) {
      const state = stateOf(url);
      const now = deps.now();
      if (!healthy) {
        eject(state, now, settings);
        return;
      }
      state.consecutiveFailures = 0;
      if (isEjected(state, now)) {
        state.ejectedUntilMs = 0;
        deps.onReinstated(url);
      }
    },

    view() {
      const now = deps.now();
      return [...states.values()].map((state) => ({
        url: state.url,
        inFlight: state.inFlight,
        health: isEjected(state, now)
          ? { kind: 'ejected', untilMs: state.ejectedUntilMs }
          : { kind: 'healthy' },
      }));
    },
  };
}
