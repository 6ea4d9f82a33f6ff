import { parseSweepInput } from './sweep-request.dto';

describe('parseSweepInput', () => {
  it('accepts no input, an empty body and unrelated query parameters', () => {
    expect(parseSweepInput(undefined, {})).toEqual({ ok: true, value: {} });
    expect(parseSweepInput({}, { t: '1700000000' })).toEqual({ ok: true, value: {} });
  });

  it('reads limit from the body, else from the query string', () => {
    expect(parseSweepInput({ limit: 5 }, { limit: '9' })).toEqual({ ok: true, value: { limit: 5 } });
    expect(parseSweepInput(undefined, { limit: '9' })).toEqual({ ok: true, value: { limit: 9 } });
  });

  it.each([
    [undefined, { limit: '0' }],
    [undefined, { limit: '-3' }],
    [undefined, { limit: '1e3' }],
    [undefined, { limit: ['1', '2'] }],
    [undefined, { limit: '99999999' }],
    [{ limit: 0 }, {}],
    [{ limit: 2.5 }, {}],
    [{ limit: '5' }, {}],
  ])('names limit when it is not a whole number in range (%p, %p)', (body, query) => {
    const parsed = parseSweepInput(body, query);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((e) => e.path)).toEqual(['limit']);
  });

  it('rejects a body that is not an object, and unknown body fields', () => {
    expect(parseSweepInput([1], {})).toMatchObject({ ok: false, errors: [{ path: '(body)' }] });
    expect(parseSweepInput('limit=1', {})).toMatchObject({ ok: false });
    expect(parseSweepInput({ limit: 1, force: true }, {})).toMatchObject({ ok: false });
  });
});
