// The judge's reply as the wire schema wants it (criteria and scenario checks keyed by id), built
// from the list form the tests find easier to write; and a "blind" model that fills whatever JSON
// Schema it is sent without understanding it, the way a weak model constrained by structured
// outputs would.

export interface ListedJudgement {
  criteria: Array<{ criterion_id: string } & Record<string, unknown>>;
  scenario_checks: Array<{ check_id: string } & Record<string, unknown>>;
  flags: unknown;
  summary: unknown;
}

/** Keys each criterion and check by its id; leaves scenario_checks out when there are none. */
export function judgeReply(listed: ListedJudgement): Record<string, unknown> {
  const criteria = Object.fromEntries(listed.criteria.map(({ criterion_id, ...rest }) => [criterion_id, rest]));
  const checks = Object.fromEntries(listed.scenario_checks.map(({ check_id, ...rest }) => [check_id, rest]));
  return {
    criteria,
    ...(listed.scenario_checks.length > 0 ? { scenario_checks: checks } : {}),
    flags: listed.flags,
    summary: listed.summary,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema node of any shape
type SchemaNode = any;

/**
 * A value that fits the schema, chosen without reading any prompt: the first enum value, the
 * first branch of anyOf (or of a type list) that is not null, "" for a string, 0 for a number,
 * one filled item for an array, every listed property for an object.
 */
export function fillBlindly(schema: SchemaNode, defs: Record<string, SchemaNode> = schema?.$defs ?? {}): unknown {
  if (schema?.$ref) {
    const name = String(schema.$ref).split("/").pop() as string;
    return fillBlindly(defs[name], defs);
  }
  if (Array.isArray(schema?.enum)) return schema.enum[0];
  if ("const" in (schema ?? {})) return schema.const;
  if (Array.isArray(schema?.anyOf)) {
    const branch = schema.anyOf.find((b: SchemaNode) => b?.type !== "null") ?? schema.anyOf[0];
    return fillBlindly(branch, defs);
  }
  const type = Array.isArray(schema?.type) ? schema.type.find((t: string) => t !== "null") : schema?.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, fillBlindly(v, defs)]));
    case "array":
      return [fillBlindly(schema.items, defs)];
    case "string":
      return "";
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    default:
      return null;
  }
}
