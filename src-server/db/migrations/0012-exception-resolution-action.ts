// How an exception was resolved, as data beside its English sentence: the console says it in its
// own language from the data. Exceptions resolved before are read back from the sentences the
// server wrote ("accepted: …", "adjusted +300 points (goodwill): …", "member flagged: …"); any other
// text (the CLI's resolve-exception) is the owner's own words.
export const MIGRATION_0012_EXCEPTION_RESOLUTION_ACTION = `
ALTER TABLE exceptions ADD COLUMN resolution_action jsonb;
UPDATE exceptions SET resolution_action = CASE
  WHEN resolution ~ '^accepted: ' THEN
    jsonb_build_object('action', 'accepted', 'note', substr(resolution, 11))
  WHEN resolution ~ '^adjusted [+-]?[0-9]{1,15} points \\([^)]*\\)(: .*)?$' THEN
    jsonb_build_object(
      'action', 'adjusted',
      'points', substring(resolution FROM '^adjusted ([+-]?[0-9]+) points')::bigint,
      'reasonCode', substring(resolution FROM '^adjusted [+-]?[0-9]+ points \\(([^)]*)\\)'),
      'note', substring(resolution FROM '^adjusted [+-]?[0-9]+ points \\([^)]*\\): (.*)$'))
  WHEN resolution ~ '^(member|terminal) flagged: ' THEN
    jsonb_build_object('action', 'flagged', 'target', substring(resolution FROM '^(member|terminal)'), 'reason', substring(resolution FROM '^(?:member|terminal) flagged: (.*)$'))
  ELSE jsonb_build_object('action', 'noted', 'text', resolution)
END
WHERE resolution IS NOT NULL;
`;
