import { scrubSecrets } from './scrub.util';

describe('scrubSecrets', () => {
  it('removes the connection string password wherever it appears', () => {
    const cs = 'postgres://reader:s3cr%40t@db.example:5432/sales';
    expect(scrubSecrets('auth failed for s3cr@t and s3cr%40t', cs)).toBe('auth failed for *** and ***');
  });

  it('masks credentials of any URL in the message', () => {
    expect(scrubSecrets('cannot reach postgres://bob:hunter2@host/db')).toBe('cannot reach postgres://bob:***@host/db');
  });

  it('leaves messages without secrets alone', () => {
    expect(scrubSecrets('relation "orders" does not exist', 'postgres://u@h/db')).toBe('relation "orders" does not exist');
  });

  it('handles keyword connection strings', () => {
    expect(scrubSecrets('bad pw topsecret', 'host=h password=topsecret dbname=x')).toBe('bad pw ***');
  });
});
