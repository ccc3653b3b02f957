import { useRef } from 'react';

/**
 * `next`, or the array this returned last time when that holds the same elements (`Object.is`,
 * in order): derived lists whose content did not change keep their identity, so what is
 * memoized on them (a virtualizer's measurements of every row) is not redone.
 */
export function useStableArray<T>(next: readonly T[]): readonly T[] {
  const last = useRef(next);
  const previous = last.current;
  if (previous !== next && (previous.length !== next.length || next.some((item, i) => !Object.is(item, previous[i]))))
    last.current = next;
  return last.current;
}
