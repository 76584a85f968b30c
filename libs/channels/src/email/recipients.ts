/** A RCPT TO address we accept: one of our domains (plus-addresses included). */
export function isOurRecipient(address: string, domains: readonly string[]): boolean {
  const domain = address.trim().toLowerCase().split('@');
  return domain.length === 2 && !!domain[0] && domains.includes(domain[1]);
}

/** The address part of `"Name" <a@b>` or a bare `a@b`, lower-cased. */
export function addressOf(mailbox: string): string | undefined {
  const match = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(mailbox) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(mailbox);
  return match?.[1].toLowerCase();
}

/** The domain of the From we send as: the default for our domains and Message-IDs. */
export function domainOf(mailbox: string): string | undefined {
  return addressOf(mailbox)?.split('@')[1];
}
