// Where and why a text is not JSON, in facts a screen can word in its own language (the engine's
// SyntaxError is English, and Chromium's and Node's say different things, some without a place).
// jsonc-parser (VS Code's JSON scanner) names each syntax error by a code at an offset; comments
// and trailing commas, which it can allow, are refused here as JSON.parse refuses them.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export const JSON_SYNTAX_PROBLEMS = [
  'value-expected',
  'property-name-expected',
  'colon-expected',
  'comma-expected',
  'close-brace-expected',
  'close-bracket-expected',
  'end-expected',
  'invalid-symbol',
  'invalid-number',
  'unterminated-string',
  'invalid-character',
  'invalid-escape',
  'comment',
] as const;
export type JsonSyntaxProblem = (typeof JSON_SYNTAX_PROBLEMS)[number];

// By the code's name: ParseErrorCode is a const enum, which bundlers compiling file by file cannot inline.
const PROBLEM_OF_CODE: Record<ReturnType<typeof printParseErrorCode>, JsonSyntaxProblem> = {
  InvalidSymbol: 'invalid-symbol',
  InvalidNumberFormat: 'invalid-number',
  PropertyNameExpected: 'property-name-expected',
  ValueExpected: 'value-expected',
  ColonExpected: 'colon-expected',
  CommaExpected: 'comma-expected',
  CloseBraceExpected: 'close-brace-expected',
  CloseBracketExpected: 'close-bracket-expected',
  EndOfFileExpected: 'end-expected',
  InvalidCommentToken: 'comment',
  UnexpectedEndOfComment: 'comment',
  UnexpectedEndOfString: 'unterminated-string',
  UnexpectedEndOfNumber: 'invalid-number',
  InvalidUnicode: 'invalid-escape',
  InvalidEscapeCharacter: 'invalid-escape',
  InvalidCharacter: 'invalid-character',
  '<unknown ParseErrorCode>': 'invalid-symbol',
};

export type JsonSyntaxError = { line: number; column: number; syntax: JsonSyntaxProblem };

/** The first syntax error of `text` as JSON, its line and column counted from 1; null when there is none. */
export function firstJsonSyntaxError(text: string): JsonSyntaxError | null {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return null;
  const before = text.slice(0, first.offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: first.offset - lineStart + 1, syntax: PROBLEM_OF_CODE[printParseErrorCode(first.error)] };
}
