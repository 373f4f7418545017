// A password typed at the server's terminal with echo off (raw mode), for the admin commands that
// set one. Raw mode hands over every key as typed: without this, a mistyped character and its
// backspace both became part of the password, and the account's owner could never sign in.

/** What the keys typed so far say: `typing` until Enter, `done` with the line, or `cancelled` by Ctrl-C or Ctrl-D. */
export function typedLine(keys: string): { state: 'typing' | 'done' | 'cancelled'; text: string } {
  let text = '';
  // An arrow or function key arrives as an escape sequence (ESC [ A): none of it is the password.
  for (const key of keys.replace(/\u001b(\[[0-9;]*[@-~]|O.|.)?/g, '')) {
    if (key === '\r' || key === '\n') return { state: 'done', text };
    if (key === '\u0003' || key === '\u0004') return { state: 'cancelled', text: '' };
    if (key === '\u007f' || key === '\b') text = [...text].slice(0, -1).join('');
    else if (key === '\u0015') text = ''; // Ctrl-U: the whole line
    else if (key >= ' ') text += key; // other control keys are not part of a password
  }
  return { state: 'typing', text };
}

/** Asks on stderr and reads one line from a terminal without showing it; rejects when cancelled. */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  output.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let keys = '';
    const onData = (chunk: string | Buffer) => {
      keys += String(chunk);
      const line = typedLine(keys);
      if (line.state === 'typing') return;
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (line.state === 'cancelled') reject(new Error('cancelled'));
      else resolve(line.text);
    };
    input.on('data', onData);
  });
}
