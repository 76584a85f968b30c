import { User } from '../api-types.js';
import { Api, ApiError, describeError } from './api.js';
import { h, notice } from './dom.js';

export function signInView(api: Api, done: (user: User) => void, message?: string): HTMLElement {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const status = h('div', { class: 'status' }, message ? notice(message) : null);
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in', 'aria-label': 'sign in' },
    h('h1', {}, 'Switchboard'),
    h('p', { class: 'muted' }, 'Support console'),
    h('label', {}, 'Email', email),
    h('label', {}, 'Password', password),
    button,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.replaceChildren();
    try {
      done(await api.login(email.value.trim(), password.value));
    } catch (err) {
      const text = err instanceof ApiError && err.status === 401 ? 'Wrong email or password.' : describeError(err);
      status.replaceChildren(notice(text, 'error'));
      button.disabled = false;
    }
  });
  return h('div', { class: 'center' }, form);
}
