import { parseChangeNotification } from './pg-change.listener';

describe('parseChangeNotification', () => {
  const id = '6f1c1c7e-8a8e-4a55-9d0c-1b2f3e4d5a6b';
  it('reads kind and id', () => {
    expect(parseChangeNotification(`metric:${id}`)).toEqual({ kind: 'metric', id });
    expect(parseChangeNotification(`dashboard:${id}`)).toEqual({ kind: 'dashboard', id });
  });
  it('ignores anything else', () => {
    for (const payload of [undefined, '', 'metric', `table:${id}`, 'metric:not-a-uuid', `metric:${id}:extra`.slice(0, 10)]) {
      expect(parseChangeNotification(payload)).toBeNull();
    }
  });
});
