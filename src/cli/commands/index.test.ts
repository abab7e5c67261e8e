import { expect, it } from 'vitest';
import { commands } from './index.ts';

// The index repeats each command's name and summary so that `spiegel --help` loads no command module.
it('lists each command under the name and summary its module declares', async () => {
  for (const entry of commands) {
    const command = await entry.load();
    expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary });
  }
});
