/**
 * Can a person on this screen reach every control in a part of the page? Checked the way a
 * finger would: each button, field, tab and link is scrolled into view (only through
 * containers a user can scroll), must then lie inside the viewport, and the element at
 * its centre must be the control or inside it (not covered by another element).
 */
import type { Locator } from '@playwright/test';

export const controlSelector =
  'button, input, select, textarea, summary, a[href], [role="tab"], [contenteditable="true"]';

/** One line per control that can't be reached, saying which and why (empty: all reachable). */
export async function unreachableControls(root: Locator): Promise<{ checked: string[]; problems: string[] }> {
  return root.evaluate((container, selector) => {
    const name = (el: Element) =>
      `${el.getAttribute('contenteditable') === 'true' ? 'editor' : el.tagName.toLowerCase()} "${(
        el.getAttribute('aria-label') ||
        (el.textContent || '').trim() ||
        el.getAttribute('title') ||
        ''
      ).slice(0, 40)}"`;
    const checked: string[] = [];
    const problems: string[] = [];
    const controls = [...container.querySelectorAll<HTMLElement>(selector)];
    if (container.matches(selector)) controls.unshift(container as HTMLElement);
    for (const el of controls) {
      // Hidden on purpose (a file input behind its button, a closed menu's panel).
      if (!el.checkVisibility({ checkVisibilityCSS: true, checkOpacity: true })) continue;
      const what = name(el);
      checked.push(what);
      (el as HTMLElement & { scrollIntoViewIfNeeded(center?: boolean): void }).scrollIntoViewIfNeeded(true);
      // IfNeeded stops at a scroll box the control already shows in, even if that box runs past the screen.
      const first = el.getBoundingClientRect();
      if (first.top < 0 || first.left < 0 || first.bottom > innerHeight || first.right > innerWidth)
        el.scrollIntoView({ block: 'center', inline: 'center' });
      // scrollIntoView also scrolls overflow: hidden boxes, which no finger can: that is clipping.
      for (let box = el.parentElement; box; box = box.parentElement) {
        const style = getComputedStyle(box);
        const noUserScroll = (overflow: string) => overflow === 'hidden' || overflow === 'clip';
        if (
          (box.scrollLeft > 0 && noUserScroll(style.overflowX)) ||
          (box.scrollTop > 0 && noUserScroll(style.overflowY))
        )
          problems.push(`${what}: clipped by ${box.tagName.toLowerCase()}.${box.className} (overflow hidden)`);
      }
      const rect = el.getBoundingClientRect();
      const vw = document.documentElement.clientWidth;
      const vh = document.documentElement.clientHeight;
      if (rect.width < 1 || rect.height < 1) {
        problems.push(`${what}: has no size`);
        continue;
      }
      // A tall editor can't fit; the part of it on screen must be there and uncovered.
      const big = rect.height > vh || rect.width > vw;
      const left = Math.max(rect.left, 0);
      const right = Math.min(rect.right, vw);
      const top = Math.max(rect.top, 0);
      const bottom = Math.min(rect.bottom, vh);
      const inside = big
        ? right - left >= 1 && bottom - top >= 1
        : rect.left >= -0.5 && rect.top >= -0.5 && rect.right <= vw + 0.5 && rect.bottom <= vh + 0.5;
      if (!inside) {
        problems.push(
          `${what}: outside the viewport at ${Math.round(rect.left)},${Math.round(rect.top)} ${Math.round(rect.width)}×${Math.round(rect.height)} (viewport ${vw}×${vh})`,
        );
        continue;
      }
      const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
      if (
        !hit ||
        !(el === hit || el.contains(hit) || (el instanceof HTMLInputElement && el.labels?.[0]?.contains(hit)))
      )
        problems.push(`${what}: covered by ${hit ? `${hit.tagName.toLowerCase()}.${hit.className}` : 'nothing'}`);
    }
    return { checked, problems };
  }, controlSelector);
}
