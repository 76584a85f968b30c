import { Browser, Page } from 'playwright-core';

export const DEMO_PASSWORD = 'browser-test-password';

/** One person in their own browser context (own storage, own tokens), signed in to the console. */
export async function signIn(browser: Browser, consoleUrl: string, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  (page as Page & { problems?: string[] }).problems = problems;
  await page.goto(consoleUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.top .who').waitFor();
  await page.locator('.live-state[data-state="live"]').waitFor();
  return page;
}

/** Uncaught errors the page threw: none is expected. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

/** A mark that survives only as long as the document does: still there means no reload happened. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate('window.__sameDocument = true');
}

export async function sameDocument(page: Page): Promise<boolean> {
  return (await page.evaluate('window.__sameDocument === true')) === true;
}
