/**
 * Hot path for `response.output_audio.delta` (about 50 frames/s per call, most of the inbound traffic): reads
 * `item_id`, `content_index` and `delta` by scanning the text instead of `JSON.parse` + an event object. Base64 and
 * ids contain no quotes or escapes, so the slices are exact. Anything unexpected returns false and the caller falls
 * back to `parseServerEvent`. Writes into a caller-owned scratch object (no allocation beyond the sliced strings).
 */
export interface AudioDeltaScratch {
  itemId: string;
  contentIndex: number;
  delta: string;
}

const TYPE = '"type":"response.output_audio.delta"';
const ITEM = '"item_id":"';
const CONTENT = '"content_index":';
const DELTA = '"delta":"';

export function readAudioDelta(text: string, into: AudioDeltaScratch): boolean {
  const typeAt = text.indexOf(TYPE);
  if (typeAt < 0 || typeAt > 64) return false;
  // Forward searches only: ids and numbers come first in real frames, so none of these scans the base64.
  const itemAt = text.indexOf(ITEM);
  if (itemAt < 0) return false;
  const itemStart = itemAt + ITEM.length;
  const itemEnd = text.indexOf('"', itemStart);
  if (itemEnd < 0 || itemEnd - itemStart > 256 || text.charCodeAt(itemEnd - 1) === 92) return false;
  const deltaAt = text.indexOf(DELTA, typeAt);
  if (deltaAt < 0) return false;
  const deltaStart = deltaAt + DELTA.length;
  const length = text.length;
  let deltaEnd: number;
  if (itemAt < deltaAt && text.charCodeAt(length - 1) === 125 && text.charCodeAt(length - 2) === 34) {
    // `"delta":"…"}` is the last field (the server's order): its end is known without scanning it.
    const contentAt = text.indexOf(CONTENT);
    if (contentAt > deltaAt) return false;
    deltaEnd = length - 2;
  } else {
    deltaEnd = text.indexOf('"', deltaStart);
    if (deltaEnd < 0) return false;
  }
  let contentIndex = 0;
  const contentAt = text.indexOf(CONTENT);
  if (contentAt >= 0) {
    let position = contentAt + CONTENT.length;
    let digits = 0;
    for (let code = text.charCodeAt(position); code >= 48 && code <= 57; code = text.charCodeAt(++position)) {
      contentIndex = contentIndex * 10 + (code - 48);
      digits++;
    }
    if (digits === 0) return false;
  }
  into.itemId = text.slice(itemStart, itemEnd);
  into.contentIndex = contentIndex;
  into.delta = text.slice(deltaStart, deltaEnd);
  return true;
}
