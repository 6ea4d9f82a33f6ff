import { keepsFacts } from './language-model';
import { parseJsonObject } from './openai-compatible.model';

const draft = 'Revenue today is 1,234.5. Data from 10:42 UTC (3 minutes ago).';

describe('keepsFacts', () => {
  it('accepts a rewording that keeps every number and the freshness phrase', () => {
    expect(keepsFacts(draft, 'Today\'s revenue stands at 1,234.5. Data from 10:42 UTC (3 minutes ago).')).toBe(true);
    expect(keepsFacts(draft, 'Revenue so far today: 1234.5. Data from 10:42 UTC (3 minutes ago).')).toBe(true);
  });

  it('rejects an invented number or a dropped freshness phrase', () => {
    expect(keepsFacts(draft, 'Revenue today is 1,300. Data from 10:42 UTC (3 minutes ago).')).toBe(false);
    expect(keepsFacts(draft, 'Revenue today is 1,234.5, up 12% on yesterday. Data from 10:42 UTC (3 minutes ago).')).toBe(false);
    expect(keepsFacts(draft, 'Revenue today is 1,234.5.')).toBe(false);
    const stale = 'Refunds today is 3. Data from 08:40 UTC (2 hours ago); it is getting old and a refresh is under way.';
    expect(keepsFacts(stale, 'Refunds: 3. Data from 08:40 UTC (2 hours ago).')).toBe(false);
  });
});

describe('parseJsonObject', () => {
  it('reads a JSON object, fenced or not, and nothing else', () => {
    expect(parseJsonObject('{"concepts":["a"]}')).toEqual({ concepts: ['a'] });
    expect(parseJsonObject('```json\n{"concepts":[]}\n```')).toEqual({ concepts: [] });
    expect(parseJsonObject('[1]')).toBeNull();
    expect(parseJsonObject('Sure! Here you go')).toBeNull();
  });
});
