import { AgentView } from './api-types.js';

export const CAPACITY_KINDS = ['email', 'chat', 'sms', 'social'] as const;

export interface AgentFormInput {
  id: string;
  displayName: string;
  skills: string;
  languages: string;
  teams: string;
  level: string;
  capacity: Record<(typeof CAPACITY_KINDS)[number], string>;
}

/** Comma or space separated words, trimmed, without duplicates. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean))];
}

/**
 * The agent editor's fields as the profile the API takes (the contracts' agentProfileSchema),
 * or the problems to show next to the form; the API validates again.
 */
export function agentFromForm(input: AgentFormInput): { agent?: AgentView; errors: string[] } {
  const errors: string[] = [];
  const id = input.id.trim();
  if (!id) errors.push('An agent needs an id.');
  if (id.length > 200) errors.push('The id is longer than 200 characters.');
  const displayName = input.displayName.trim();
  if (displayName.length > 100) errors.push('The display name is longer than 100 characters.');
  const languages = splitList(input.languages);
  for (const l of languages) if (l.length < 2 || l.length > 20) errors.push(`"${l}" is not a language code.`);
  const level = input.level.trim() === '' ? 0 : Number(input.level);
  if (!Number.isInteger(level) || level < 0 || level > 100) errors.push('Level is a whole number from 0 to 100.');
  const capacity: Record<string, number> = {};
  for (const kind of CAPACITY_KINDS) {
    const raw = input.capacity[kind].trim();
    if (raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 100) errors.push(`Capacity for ${kind} is a whole number from 0 to 100.`);
    else capacity[kind] = n;
  }
  if (errors.length) return { errors };
  return {
    errors,
    agent: {
      id,
      ...(displayName ? { displayName } : {}),
      skills: splitList(input.skills),
      languages,
      teams: splitList(input.teams),
      level,
      ...(Object.keys(capacity).length ? { capacity } : {}),
    },
  };
}
