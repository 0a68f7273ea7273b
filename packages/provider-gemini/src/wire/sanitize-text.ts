/** Longest text injected into a Gemini session; longer text is cut and marked. */
export const MAX_INJECTED_TEXT_CHARS = 32_000;
const TRUNCATION_MARK = "... [truncated]";

/**
 * Makes text safe to send to Gemini (bad characters close the socket with 1007): strips control characters except
 * tab, newline and carriage return, drops unpaired surrogates, caps the length at 32 000 characters.
 */
export function sanitizeInjectedText(text: string): string {
  let clean = "";
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        clean += text[index]! + text[index + 1]!;
        index++;
      }
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) continue;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f)) continue;
    clean += text[index]!;
  }
  if (clean.length > MAX_INJECTED_TEXT_CHARS) {
    let cut = MAX_INJECTED_TEXT_CHARS;
    const last = clean.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--;
    clean = clean.slice(0, cut) + TRUNCATION_MARK;
  }
  return clean;
}

/** Prefix of a silent injection sent as realtime text (Gemini has no "no response" flag there). */
export const SILENT_TEXT_PREFIX = "[Context update, do not respond to this] ";
/** Prefix of an assistant-role injection sent as realtime text (realtime text is always the user's). */
export const MODEL_TEXT_PREFIX = "[Assistant previously said] ";
