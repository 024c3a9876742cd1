// Dagster's typed metadata entries (a materialization's, a check evaluation's), read the same way everywhere.

/** The fields of a `MetadataEntry` the designer reads. */
export const METADATA_ENTRY_FIELDS = `label __typename
    ... on IntMetadataEntry { intValue } ... on FloatMetadataEntry { floatValue } ... on TextMetadataEntry { text }
    ... on BoolMetadataEntry { boolValue } ... on JsonMetadataEntry { jsonString } ... on PathMetadataEntry { path }
    ... on UrlMetadataEntry { url } ... on MarkdownMetadataEntry { mdStr }`;

export interface RawMetadataEntry {
  label: string;
  __typename: string;
  intValue?: number | null;
  floatValue?: number | null;
  text?: string;
  boolValue?: boolean | null;
  jsonString?: string;
  path?: string;
  url?: string;
  mdStr?: string;
}

/** One entry as a plain value: JSON parsed, a kind the designer does not read named in parentheses. */
export function metadataValue(e: RawMetadataEntry): unknown {
  if (e.jsonString !== undefined) {
    try {
      return JSON.parse(e.jsonString) as unknown;
    } catch {
      return e.jsonString;
    }
  }
  return (
    e.intValue ??
    e.floatValue ??
    e.text ??
    e.boolValue ??
    e.path ??
    e.url ??
    e.mdStr ??
    `(${e.__typename.replace(/MetadataEntry$/, '')})`
  );
}

/** Entries as a label → value record. */
export function metadataOf(entries: RawMetadataEntry[] | undefined): Record<string, unknown> {
  return Object.fromEntries((entries ?? []).map((e) => [e.label, metadataValue(e)]));
}
