import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Where focus goes when a dialog closes: the control that opened it, else the page heading. */
function returnFocus(opener: Element | null): void {
  if (
    opener instanceof HTMLElement &&
    opener.isConnected &&
    !(opener as HTMLButtonElement).disabled &&
    opener !== document.body
  ) {
    opener.focus();
    return;
  }
  focusPageHeading();
}

/** Focuses the page's heading (a logical place when the control focus was on is gone). */
function focusPageHeading(): void {
  const heading = document.querySelector<HTMLElement>('main h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/**
 * After a dialog's action removed the control that opened it (a deleted row), moves focus to the
 * page heading instead of leaving it on `<body>`.
 *
 * @example
 * ```ts
 * void load().then(refocusIfLost);
 * ```
 */
export function refocusIfLost(): void {
  const active = document.activeElement;
  if (!active || active === document.body || !active.isConnected) focusPageHeading();
}

/**
 * A modal on the native `<dialog>` (WAI-ARIA dialog pattern): focus moves into it and Tab stays
 * inside it, Escape closes it, the page behind is inert, and on close focus returns to the control
 * that opened it. Render it only while open: closing unmounts it, so nothing it showed stays in
 * the DOM.
 */
export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;

  // Layout effect: its cleanup runs before React removes the <dialog>, so the dialog is closed
  // while still in the document and focus can go back to the opener (a passive effect's
  // cleanup runs after the removal, when focus has already fallen to <body>).
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // The opener: what had focus before the dialog opened. When one dialog replaces another
    // (create → secret), the first one's cleanup has already given focus back to its opener.
    const opener = document.activeElement;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      returnFocus(opener);
    };
  }, []);

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const cancel = (event: Event): void => {
      event.preventDefault();
      onClose();
    };
    // Tab and Shift+Tab cycle through the dialog's controls only.
    const trap = (event: KeyboardEvent): void => {
      if (event.key !== 'Tab') return;
      const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (element) => element.getClientRects().length > 0,
      );
      const first = controls[0];
      const last = controls[controls.length - 1];
      if (!first || !last) return;
      const active = document.activeElement;
      if (event.shiftKey && (active === first || !dialog.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    dialog.addEventListener('cancel', cancel);
    dialog.addEventListener('keydown', trap);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      dialog.removeEventListener('keydown', trap);
    };
  }, [onClose]);

  return (
    <dialog ref={ref} aria-labelledby={titleId} className={props.className}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
