import { analyze, stem, terms } from './text.util';

describe('text analysis', () => {
  it('meets word forms on one stem', () => {
    expect(stem('refunds')).toBe(stem('refunded'));
    expect(stem('closed')).toBe(stem('close'));
    expect(stem('cancelled')).toBe(stem('cancel'));
    expect(stem('abandonment')).toBe(stem('abandoned'));
    expect(stem('invoices')).toBe(stem('invoice'));
  });

  it('rewrites phrases, abbreviations and synonyms on both sides alike', () => {
    expect(terms('How many people signed up in the last 7 days?')).toEqual(['user', 'signup', 'week']);
    expect(terms('sign-ups today')).toEqual(['signup', 'day']);
    expect(terms('MRR')).toEqual(terms('monthly recurring revenue'));
    expect(terms('sales')).toEqual(terms('revenue'));
  });

  it('marks granularity words as time terms and drops fillers', () => {
    expect(analyze('what is our weekly churn?').map((t) => [t.term, t.kind])).toEqual([
      ['week', 'time'],
      ['churn', 'content'],
    ]);
    expect(terms('what is the total number of')).toEqual([]);
  });
});
