import { extractValuePath, NOT_FOUND } from './value-path.util';

describe('extractValuePath', () => {
  const doc = { data: { items: [{ total: 5 }, { total: 7 }], zero: 0, nil: null } };

  it('walks object keys and array indexes', () => {
    expect(extractValuePath(doc, 'data.items.1.total')).toBe(7);
    expect(extractValuePath(doc, 'data.zero')).toBe(0);
    expect(extractValuePath(doc, 'data.nil')).toBeNull();
  });

  it('returns the document for an empty path', () => {
    expect(extractValuePath(doc, '')).toBe(doc);
  });

  it('reports paths that name nothing', () => {
    expect(extractValuePath(doc, 'data.items.2.total')).toBe(NOT_FOUND);
    expect(extractValuePath(doc, 'data.missing')).toBe(NOT_FOUND);
    expect(extractValuePath(doc, 'data.zero.x')).toBe(NOT_FOUND);
    expect(extractValuePath(doc, 'data.toString')).toBe(NOT_FOUND);
  });
});
