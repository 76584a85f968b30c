import { View } from './context.js';
import { ApiError, describeError, detailText } from './api.js';
import { h, notice } from './dom.js';

/** The signed-in user's own account: changing their password ends their sign-ins elsewhere. */
export const accountView: View = (ctx, root) => {
  const current = h('input', { type: 'password', name: 'currentPassword', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', name: 'newPassword', autocomplete: 'new-password', required: true, minlength: '12' });
  const repeat = h('input', { type: 'password', name: 'repeatPassword', autocomplete: 'new-password', required: true });
  const status = h('div', { class: 'status', role: 'status' });
  const button = h('button', { type: 'submit' }, 'Change password');
  const form = h(
    'form',
    { class: 'account', 'aria-label': 'change password' },
    h('h2', {}, 'Change password'),
    h('p', { class: 'muted' }, `Signed in as ${ctx.user.email}. At least 12 characters; a passphrase is easiest. Your other sign-ins end.`),
    h('label', {}, 'Current password', current),
    h('label', {}, 'New password', next),
    h('label', {}, 'New password again', repeat),
    button,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.replaceChildren();
    if (next.value !== repeat.value) {
      status.replaceChildren(notice('The new passwords differ.', 'error'));
      return;
    }
    button.disabled = true;
    try {
      await ctx.api.changePassword(current.value, next.value);
      form.reset();
      status.replaceChildren(notice('Password changed. Your other sign-ins have ended.', 'ok'));
    } catch (err) {
      // The API's 403 here means a wrong current password, not a missing right.
      const text = err instanceof ApiError && err.status === 403 ? 'The current password is wrong.' : err instanceof ApiError && err.details.length ? err.details.map(detailText).join(' · ') : describeError(err);
      status.replaceChildren(notice(text, 'error'));
    } finally {
      button.disabled = false;
    }
  });
  root.append(form);
};
