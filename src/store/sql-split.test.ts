import { describe, expect, it } from 'vitest';
import { splitStatements } from './sql-split.ts';

describe('splitStatements', () => {
  it('splits on semicolons outside quotes, dollar quotes and comments', () => {
    const text = `-- a comment; with a semicolon
CREATE TABLE a (x text DEFAULT 'it''s; fine');
/* block; comment */
CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
SELECT "odd;name" FROM a`;
    expect(splitStatements(text)).toEqual([
      "CREATE TABLE a (x text DEFAULT 'it''s; fine')",
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
      'SELECT "odd;name" FROM a',
    ]);
  });

  it('returns nothing for an empty file', () => {
    expect(splitStatements('  -- only a comment\n')).toEqual([]);
  });
});
