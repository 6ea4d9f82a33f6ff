/**
 * Removes secrets from a message before it reaches a user or a log: the password of a connection string
 * (raw and URL-decoded) and any `scheme://user:password@` credentials.
 */
export function scrubSecrets(message: string, connectionString?: string): string {
  let out = message;
  const password = passwordOf(connectionString);
  if (password) {
    for (const secret of new Set([password, safeDecode(password)])) if (secret.length >= 1) out = out.split(secret).join('***');
  }
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
}

function passwordOf(connectionString?: string): string | null {
  if (!connectionString) return null;
  try {
    return new URL(connectionString).password || null;
  } catch {
    const match = /:\/\/[^:/@\s]*:([^@\s]*)@/.exec(connectionString) ?? /password=([^\s]+)/.exec(connectionString);
    return match?.[1] ?? null;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
