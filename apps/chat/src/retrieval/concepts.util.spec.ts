import { cleanConcept, dashboardNameFrom, splitPrompt } from './concepts.util';

describe('splitPrompt', () => {
  it('splits a dashboard prompt into its concepts', () => {
    expect(splitPrompt('a dashboard with revenue, refunds and weekly signups')).toEqual({ name: null, concepts: ['revenue', 'refunds', 'weekly signups'] });
    expect(splitPrompt('I want a board showing MRR, churn & NPS').concepts).toEqual(['MRR', 'churn', 'NPS']);
    expect(splitPrompt('Show me daily active users plus page views today').concepts).toEqual(['daily active users', 'page views today']);
  });

  it('takes an explicit name and keeps one concept once', () => {
    expect(splitPrompt('Build me a dashboard called Finance with revenue and refunds and Revenue')).toEqual({ name: 'Finance', concepts: ['revenue', 'refunds'] });
  });

  it('keeps a concept whole when nothing separates it', () => {
    expect(splitPrompt('revenue per country').concepts).toEqual(['revenue per country']);
    expect(splitPrompt('a dashboard please').concepts).toEqual([]);
  });
});

describe('cleanConcept and dashboardNameFrom', () => {
  it('trims filler words at both ends only', () => {
    expect(cleanConcept('How many employees do we have?')).toBe('employees');
    expect(cleanConcept('number of orders by country')).toBe('orders by country');
  });

  it('names a dashboard after its concepts', () => {
    expect(dashboardNameFrom(['revenue', 'refunds', 'weekly signups'])).toBe('Revenue, refunds and weekly signups');
    expect(dashboardNameFrom(['a', 'b', 'c', 'd', 'e'])).toBe('A, b, c and 2 more');
    expect(dashboardNameFrom([])).toBe('New dashboard');
  });
});
