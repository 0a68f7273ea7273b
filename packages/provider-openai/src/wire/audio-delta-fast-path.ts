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
  const deltaAt = text.lastIndexOf(DELTA);
  if (deltaAt < 0) return false;
  const deltaStart = deltaAt + DELTA.length;
  const deltaEnd = text.indexOf('"', deltaStart);
  if (deltaEnd < 0) return false;
  const itemAt = text.indexOf(ITEM);
  if (itemAt < 0) return false;
  const itemStart = itemAt + ITEM.length;
  const itemEnd = text.indexOf('"', itemStart);
  if (itemEnd < 0 || itemEnd - itemStart > 256 || text.charCodeAt(itemEnd - 1) === 92) return false;
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
