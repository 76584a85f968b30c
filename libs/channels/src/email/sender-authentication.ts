/**
 * Whether the From address is proven: only an `Authentication-Results` header (RFC 8601) added by
 * our own receiving infrastructure counts, recognised by its authserv-id; anyone can write such a
 * header into the mail they send, so headers from other authserv-ids are ignored.
 * Proven means DMARC passed, or DKIM passed for the From domain (aligned: same domain or a parent).
 */
export function isSenderVerified(authenticationResults: readonly string[], trustedAuthservId: string | undefined, fromAddress: string): boolean {
  if (!trustedAuthservId) return false;
  const fromDomain = fromAddress.split('@')[1]?.toLowerCase();
  if (!fromDomain) return false;
  return authenticationResults.some((header) => {
    const [authservPart, ...results] = stripComments(header).split(';');
    if (authservPart.trim().split(/\s+/)[0]?.toLowerCase() !== trustedAuthservId.toLowerCase()) return false;
    return results.some((result) => {
      const method = /^\s*(dmarc|dkim)\s*=\s*(\w+)/i.exec(result);
      if (!method || method[2].toLowerCase() !== 'pass') return false;
      if (method[1].toLowerCase() === 'dmarc') {
        const headerFrom = property(result, 'header.from');
        return !headerFrom || headerFrom === fromDomain;
      }
      const signingDomain = property(result, 'header.d') ?? property(result, 'header.i')?.split('@').pop();
      return !!signingDomain && (fromDomain === signingDomain || fromDomain.endsWith(`.${signingDomain}`));
    });
  });
}

function property(result: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name.replace('.', '\\.')}\\s*=\\s*"?([^\\s";]+)`, 'i').exec(result);
  return match?.[1].toLowerCase().replace(/^@/, '');
}

/** RFC 8601 allows (comments), nested, anywhere; they could otherwise hide or fake a result. One pass: a crafted header costs linear time. */
function stripComments(header: string): string {
  let depth = 0;
  let text = '';
  for (const char of header.replace(/\r?\n[ \t]+/g, ' ')) {
    if (char === '(') {
      if (depth++ === 0) text += ' ';
    } else if (char === ')' && depth > 0) depth--;
    else if (depth === 0) text += char;
  }
  return text;
}
