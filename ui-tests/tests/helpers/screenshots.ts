import { IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

/**
 * Screenshot the page (or one part of it) in the light and the dark theme, kept as test
 * artifacts in Playwright's output directory (git-ignored), and leave the light theme on.
 */
export async function shootBothThemes(
  page: IJupyterLabPageFixture,
  name: string,
  target?: Locator,
  /** Brings the state back after the theme change (e.g. hovers again). */
  restore?: () => Promise<void>
): Promise<void> {
  for (const [theme, suffix] of [
    ['JupyterLab Dark', 'dark'],
    ['JupyterLab Light', 'light']
  ]) {
    await page.theme.setTheme(theme);
    await restore?.();
    const path = test.info().outputPath(`${name}-${suffix}.png`);
    // caret 'initial': Playwright's default hides the caret with an injected style sheet;
    // that sheet coming and going across a theme change leaves CodeMirror's hover unable
    // to open again in the same editor (reproduced: hover, screenshot, theme, hover).
    await (target ?? page).screenshot({ path, caret: 'initial' });
  }
}
