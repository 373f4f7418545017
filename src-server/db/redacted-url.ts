// A database URL as it may be shown (errors, logs): its password replaced by ***. Its own module so
// the command line can say a URL is wrong without loading the database drivers.
/** A connection URL as it may be shown: without its password. */
export function redactedUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    // Not a URL: whatever follows a ':' and precedes an '@' may be a password.
    return text.replace(/:[^:@/]*@/, ':***@');
  }
}
