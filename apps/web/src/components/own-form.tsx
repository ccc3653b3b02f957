'use client';
import type { ReactNode } from 'react';

const keepOnPage = (event: { preventDefault(): void }) => event.preventDefault();

/**
 * Controls in a form of their own (`display: contents`: the form draws nothing; its children
 * stay the grid items or cell content they were). Chromium's autofill reads, after every
 * keystroke in a text field, the whole form the field belongs to, checking each control's
 * style and layout; fields outside any `<form>` all count as one form of the document, so a
 * keystroke paid for every field on the page (~880 style-and-layout updates a keystroke on a
 * feature board, ~700 on a call sheet with an 80-strong crew). In its own form a keystroke
 * costs its neighbours only. Enter never submits it: the fields commit themselves.
 */
export function OwnForm({ children }: { children: ReactNode }) {
  return (
    <form className="own-form" onSubmit={keepOnPage}>
      {children}
    </form>
  );
}
