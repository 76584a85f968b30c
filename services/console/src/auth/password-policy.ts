/** Problems with a new password; empty when it is acceptable. Length beats composition rules (NIST SP 800-63B). */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if ([...password].length < 12) problems.push('use at least 12 characters');
  if (password.length > 256) problems.push('use at most 256 characters');
  if (new Set(password).size < 4) problems.push('use more than three different characters');
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 3 && password.toLowerCase().includes(local)) problems.push('do not include your email name');
  if (COMMON.has(password.toLowerCase())) problems.push('this password is too common');
  return problems;
}

const COMMON = new Set(['password1234', '123456789012', 'qwertyuiopas', 'passwordpassword', 'switchboard123', 'letmeinletmein', 'iloveyou1234']);
