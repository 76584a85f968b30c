import { Category, Channel, TicketStatus } from '../api-types.js';

export const CATEGORY_LABELS: Record<Category, string> = {
  login: 'Login',
  transaction_failed: 'Failed transaction',
  account_security: 'Account security',
  refund: 'Refund',
  other: 'Other',
};

export const CHANNEL_LABELS: Record<Channel, string> = { email: 'Email', sms: 'SMS', social: 'Social', inapp: 'In-app' };

export const STATUS_LABELS: Record<TicketStatus, string> = {
  open: 'Open',
  assigned: 'Assigned',
  pending: 'Waiting for customer',
  resolved: 'Resolved',
};

export const LANGUAGE_LABELS: Record<string, string> = { en: 'English', id: 'Indonesian', zh: 'Chinese', und: 'Unknown' };

export function label<T extends string>(labels: Record<T, string>, key: string | undefined): string {
  return key === undefined ? '' : (labels as Record<string, string>)[key] ?? key;
}
