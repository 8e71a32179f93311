/**
 * Where Chromium's writer puts the members a router needs, read without parsing the message: an answer starts with
 * `{"id":<n>,"result":` (or `"error":`), an event with `{"method":"<name>","params":`, and a message of a flattened
 * session ends with `,"sessionId":"<id>"}`.
 */
export interface CdpFrame {
  /** The answer's id (answers only). */
  id?: number;
  /** The event's method (events only). */
  method?: string;
  /** Index just past the id's digits (answers only). */
  idEnd: number;
  /** The flattened session the message belongs to, if any. */
  sessionId?: string;
  /** Index of its `,"sessionId":` member (text.length - 1 when there is none). */
  sessionStart: number;
}

const ANSWER_HEAD = /^\{"id":(\d{1,15}),"(?:result|error)":/;
const EVENT_HEAD = /^\{"method":"([^"\\]{1,200})","params":/;
const SESSION_TAIL = /,"sessionId":"([^"\\]{1,64})"\}$/;
// Longer than any `,"sessionId":"…"}` the pattern above takes.
const TAIL_LENGTH = 96;

/** Reads a message's frame, or undefined when the text is not laid out as Chromium writes (then parse it). */
export function peekFrame(text: string): CdpFrame | undefined {
  const tailFrom = Math.max(0, text.length - TAIL_LENGTH);
  const tail = SESSION_TAIL.exec(text.slice(tailFrom));
  const session = tail?.[1] === undefined ? {} : { sessionId: tail[1] };
  const sessionStart = tail ? tailFrom + tail.index : text.length - 1;
  const answer = ANSWER_HEAD.exec(text);
  if (answer?.[1]) {
    return { id: Number(answer[1]), idEnd: '{"id":'.length + answer[1].length, sessionStart, ...session };
  }
  const event = EVENT_HEAD.exec(text);
  if (event?.[1]) return { method: event[1], idEnd: 0, sessionStart, ...session };
  return undefined;
}

/** The message's text with another id (answers) and, when `dropSession`, without its `sessionId` member. */
export function reframe(text: string, frame: CdpFrame, change: { id?: number; dropSession: boolean }): string {
  const head = change.id === undefined ? "" : `{"id":${change.id}`;
  const start = change.id === undefined ? 0 : frame.idEnd;
  const end = change.dropSession && frame.sessionId !== undefined ? frame.sessionStart : text.length - 1;
  return `${head}${text.slice(start, end)}}`;
}
