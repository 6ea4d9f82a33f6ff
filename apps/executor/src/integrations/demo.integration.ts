import { z } from 'zod';
import { abortableDelay, type Integration, IntegrationError, type IntegrationRun, parseWith } from './integration';

const demoDefinition = z.object({
  value: z.unknown().optional(),
  delayMs: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be ≥ 0').max(3_600_000, 'must be ≤ 3600000').optional(),
  fail: z.boolean({ error: 'must be true or false' }).optional(),
});

/** Deterministic metrics for demos and tests: `{ value?, delayMs?, fail? }` → `{ value }`. */
export class DemoIntegration implements Integration {
  readonly kind = 'demo' as const;

  async run({ definition, signal }: IntegrationRun): Promise<unknown> {
    const def = parseWith(demoDefinition, definition, 'definition');
    if (def.delayMs) await abortableDelay(def.delayMs, signal);
    if (def.fail) throw new IntegrationError('demo metric is configured to fail (definition.fail is true)');
    return { value: def.value ?? null };
  }
}
