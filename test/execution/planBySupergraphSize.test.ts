import { describe, expect, it } from 'vitest';
import type { HostedPlanner, PlannerHost } from '../../src/execution/plan/PlannerHost.js';
import { planBySupergraphSize } from '../../src/execution/plan/planBySupergraphSize.js';

function recordingHost(name: string, loads: string[], closes: string[]): PlannerHost {
  return {
    async load() {
      loads.push(name);
      return {} as HostedPlanner;
    },
    async close() {
      closes.push(name);
    },
  };
}

describe('choosing where a graph’s planner is built', () => {
  it('builds a small supergraph’s planner on the small host and a large one’s on the large host', async () => {
    const loads: string[] = [];
    const closes: string[] = [];
    const host = planBySupergraphSize(
      recordingHost('this thread', loads, closes),
      recordingHost('worker', loads, closes),
      100,
    );
    await host.load('x'.repeat(99));
    await host.load('x'.repeat(100));
    expect(loads).toEqual(['this thread', 'worker']);
    await host.close();
    expect(closes.sort()).toEqual(['this thread', 'worker']);
  });
});
