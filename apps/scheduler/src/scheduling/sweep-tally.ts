import type { SweepReply } from '@assemblr/shared';

/** Bounds the ids a reply lists, so that it stays far below NATS's 1 MB payload limit (~39 bytes an id). */
export const MAX_REPLY_IDS = 10_000;

/** Counts a sweep's outcomes batch by batch, keeping at most {@link MAX_REPLY_IDS} triggered ids. */
export class SweepTally {
  private checked = 0;
  private triggered = 0;
  private readonly ids: string[] = [];

  add(results: readonly { metricId: string; triggered: boolean }[]): void {
    this.checked += results.length;
    for (const result of results) {
      if (!result.triggered) continue;
      this.triggered += 1;
      if (this.ids.length < MAX_REPLY_IDS) this.ids.push(result.metricId);
    }
  }

  reply(): SweepReply {
    const reply: SweepReply = { checked: this.checked, triggered: this.triggered, skipped: this.checked - this.triggered, triggeredMetricIds: [...this.ids] };
    if (this.ids.length < this.triggered) reply.triggeredMetricIdsTruncated = true;
    return reply;
  }
}
