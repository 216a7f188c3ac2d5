/**
 * Control characters (ESC, BEL, CR ...) in a value we echo would act on the terminal
 * instead of being seen: show them as \xNN. Newline and tab are kept where a caller
 * folds or lays out lines itself.
 */
export function escapeControl(text: string, keep: { newline?: boolean } = {}): string {
  return text.replace(
    keep.newline
      ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
      : /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
