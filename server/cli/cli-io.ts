/**
 * The terminal as the commands see it: injected streams (tests pass their own), a line reader
 * for piped input and a prompt that never echoes what is typed.
 */
import { StringDecoder } from 'node:string_decoder';
import { err, ok, type Result } from '../errors/index.js';

/** Standard input as the commands need it; TTY controls only exist on terminals. */
export interface CliInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliIo {
  stdin: CliInput;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The longest line accepted on standard input (a password, not a file). */
const MAX_LINE = 4096;

/** Reads one line (without its end of line); undefined at end of input or when too long. */
export function readLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let buffered = '';
    const finish = (line: string | undefined): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      resolve(line?.replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string): void => {
      buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const end = buffered.indexOf('\n');
      if (end !== -1) finish(buffered.slice(0, end));
      else if (buffered.length > MAX_LINE) finish(undefined);
    };
    const onEnd = (): void => finish(buffered === '' ? undefined : buffered + decoder.end());
    const onError = (error: Error): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      reject(error);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const ABORT = new Set(['\u0003', '\u0004']); // Ctrl-C, Ctrl-D

/** Asks on the terminal with echo off; undefined when the user aborts (Ctrl-C, Ctrl-D). */
export function promptHidden(io: CliIo, question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const { stdin } = io;
    const decoder = new StringDecoder('utf8');
    let answer = '';
    io.stderr.write(question);
    stdin.setRawMode?.(true);
    const done = (value: string | undefined): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      const chars = [...(typeof chunk === 'string' ? chunk : decoder.write(chunk))];
      for (const [index, char] of chars.entries()) {
        if (ABORT.has(char)) return done(undefined);
        if (ENTER.has(char)) {
          // Typed-ahead or pasted input after Enter belongs to the next question.
          const rest = chars.slice(index + 1).join('');
          done(answer);
          if (rest !== '') stdin.unshift(Buffer.from(rest));
          return;
        }
        answer = BACKSPACE.has(char) ? [...answer].slice(0, -1).join('') : answer + char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/**
 * A new password: the argument when given; else, on a terminal, asked twice without echo;
 * else one line of standard input. The error is a message for the user.
 */
export async function obtainPassword(io: CliIo, given: string | undefined): Promise<Result<string, string>> {
  let password: string | undefined = given;
  if (password === undefined && io.stdin.isTTY === true) {
    const first = await promptHidden(io, 'Password: ');
    if (first === undefined) return err('aborted');
    const second = await promptHidden(io, 'Repeat password: ');
    if (second === undefined) return err('aborted');
    if (first !== second) return err('the passwords do not match');
    password = first;
  } else if (password === undefined) {
    password = await readLine(io.stdin);
    if (password === undefined) return err('no password on standard input');
  }
  return password === '' ? err('the password must not be empty') : ok(password);
}
