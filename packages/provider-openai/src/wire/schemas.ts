import { z } from "zod";

// Loose schemas for the server events the provider acts on: required fields only, everything else passes through.
const id = z.string();
const optionalId = z.string().nullish();
const errorBody = z.looseObject({
  type: z.string().nullish(),
  code: z.string().nullish(),
  message: z.string().nullish(),
  param: z.string().nullish(),
  event_id: z.string().nullish(),
});

export const sessionEventSchema = z.looseObject({ session: z.looseObject({ id: z.string().nullish() }) });
export const speechStartedSchema = z.looseObject({ item_id: optionalId, audio_start_ms: z.number().nullish() });
export const speechStoppedSchema = z.looseObject({ item_id: optionalId, audio_end_ms: z.number().nullish() });
export const committedSchema = z.looseObject({ item_id: optionalId, previous_item_id: optionalId });
export const timeoutSchema = z.looseObject({ item_id: optionalId });
export const transcriptDeltaSchema = z.looseObject({ item_id: id, delta: z.string() });
export const transcriptCompletedSchema = z.looseObject({ item_id: id, transcript: z.string() });
export const transcriptFailedSchema = z.looseObject({ item_id: id, error: errorBody.nullish() });
export const responseCreatedSchema = z.looseObject({ response: z.looseObject({ id: id }) });
export const outputItemSchema = z.looseObject({
  response_id: z.string(),
  item: z.looseObject({ id: id, type: z.string() }),
});
export const audioDoneSchema = z.looseObject({ response_id: z.string(), item_id: id });
export const textDeltaSchema = z.looseObject({ response_id: z.string(), item_id: id, delta: z.string() });
export const transcriptDoneSchema = z.looseObject({ response_id: z.string(), item_id: id, transcript: z.string() });
export const textDoneSchema = z.looseObject({ response_id: z.string(), item_id: id, text: z.string() });
export const functionCallDoneSchema = z.looseObject({
  response_id: z.string().nullish(),
  item_id: z.string().nullish(),
  call_id: z.string(),
  name: z.string().nullish(),
  arguments: z.string(),
});
export const usageSchema = z.looseObject({
  total_tokens: z.number().nullish(),
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
});
export const responseDoneSchema = z.looseObject({
  response: z.looseObject({
    id: id,
    status: z.string().nullish(),
    status_details: z
      .looseObject({ type: z.string().nullish(), reason: z.string().nullish(), error: errorBody.nullish() })
      .nullish(),
    usage: usageSchema.nullish(),
    output: z.array(z.looseObject({ type: z.string().nullish(), name: z.string().nullish() })).nullish(),
  }),
});
export const itemEventSchema = z.looseObject({
  previous_item_id: optionalId,
  item: z.looseObject({ id: id }),
});
export const truncatedSchema = z.looseObject({ item_id: id, content_index: z.number(), audio_end_ms: z.number() });
export const deletedSchema = z.looseObject({ item_id: id });
export const errorEventSchema = z.looseObject({ error: errorBody });

export type ErrorBody = z.infer<typeof errorBody>;
