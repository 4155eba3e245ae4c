// Every schema the program sends to a model (the customer's reply, and the judge's for every shipped
// persona) must stay inside the JSON Schema subset that strict structured outputs accept at the
// major providers: OpenAI, Anthropic and Gemini all take type, properties, required, items, enum,
// const, anyOf, $ref/$defs and description, and need every object closed with every property
// required. Length, range, pattern and format keywords are not accepted everywhere (Anthropic
// rejects "minimum" on an integer), so none may appear.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalogue } from "../../src/catalogue/index.ts";
import { judgeReplySchema } from "../../src/evaluation/judge-schema.ts";
import { strictJsonSchema } from "../../src/llm/openai.ts";
import { CustomerReply } from "../../src/roleplay/customer.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const catalogue = loadCatalogue({ personasDir: join(root, "personas"), promptsDir: join(root, "prompts") });

const KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "description",
  "$defs",
  "$ref",
]);
const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean", "null"]);

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema node of any shape
type Node = any;

/** Where the schema leaves the strict subset, as "path: problem" lines. */
function outsideStrictSubset(node: Node, path = "$"): string[] {
  if (!node || typeof node !== "object" || Array.isArray(node)) return [`${path}: not a schema object`];
  const problems: string[] = [];
  for (const key of Object.keys(node)) if (!KEYWORDS.has(key)) problems.push(`${path}: keyword "${key}"`);
  const types: unknown[] = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  for (const t of types) if (!TYPES.has(t as string)) problems.push(`${path}: type ${String(t)}`);
  if (Array.isArray(node.type) && (node.type.length !== 2 || !node.type.includes("null")))
    problems.push(`${path}: a type list other than [T, "null"]`);
  if (node.type === undefined && node.anyOf === undefined && node.$ref === undefined && node.enum === undefined)
    problems.push(`${path}: no type`);
  if (types.includes("object") || node.properties !== undefined) {
    if (node.additionalProperties !== false) problems.push(`${path}: object not closed (additionalProperties)`);
    const props = Object.keys(node.properties ?? {});
    if (props.length === 0) problems.push(`${path}: object with no properties`);
    const required = new Set<string>(node.required ?? []);
    for (const p of props) if (!required.has(p)) problems.push(`${path}.${p}: not required`);
    for (const [k, v] of Object.entries(node.properties ?? {}))
      problems.push(...outsideStrictSubset(v, `${path}.${k}`));
  }
  if (types.includes("array")) {
    if (node.items === undefined) problems.push(`${path}: array without items`);
    else problems.push(...outsideStrictSubset(node.items, `${path}[]`));
  }
  if (node.anyOf !== undefined) {
    if (!Array.isArray(node.anyOf) || node.anyOf.length === 0) problems.push(`${path}: empty anyOf`);
    else for (const [i, b] of node.anyOf.entries()) problems.push(...outsideStrictSubset(b, `${path}|${i}`));
  }
  for (const [k, v] of Object.entries(node.$defs ?? {})) problems.push(...outsideStrictSubset(v, `${path}.$defs.${k}`));
  return problems;
}

describe("the strict structured-outputs subset", () => {
  it("the walker catches what providers reject", () => {
    expect(outsideStrictSubset({ type: "object", properties: { a: { type: "string", minLength: 1 } } })).toEqual([
      "$: object not closed (additionalProperties)",
      "$.a: not required",
      '$.a: keyword "minLength"',
    ]);
    expect(outsideStrictSubset({ type: "integer", minimum: 1 })).toEqual(['$: keyword "minimum"']);
    expect(outsideStrictSubset({ type: "object", properties: {}, required: [], additionalProperties: false })).toEqual([
      "$: object with no properties",
    ]);
  });

  it("the customer's reply schema stays inside it", () => {
    expect(outsideStrictSubset(strictJsonSchema(CustomerReply))).toEqual([]);
  });

  const personas = catalogue.personas();
  it("the catalogue ships personas", () => {
    expect(personas.length).toBeGreaterThan(0);
  });

  for (const persona of personas) {
    it(`the judge's schema for ${persona.id} stays inside it and names every criterion and check`, () => {
      const rubric = catalogue.rubric(persona.rubric, persona.language);
      expect(rubric, `${persona.rubric} in ${persona.language}`).toBeDefined();
      if (!rubric) return;
      const schema = strictJsonSchema(judgeReplySchema(rubric, persona));
      expect(outsideStrictSubset(schema)).toEqual([]);
      const criteria = schema.properties as Node;
      expect(criteria.criteria.required).toEqual(rubric.criteria.map((c) => c.id));
      const scale: number[] = [];
      for (let s = rubric.scale.min; s <= rubric.scale.max; s++) scale.push(s);
      for (const c of rubric.criteria) expect(criteria.criteria.properties[c.id].properties.score.enum).toEqual(scale);
      if (persona.scenario_checks.length === 0) expect(criteria.scenario_checks).toBeUndefined();
      else expect(criteria.scenario_checks.required).toEqual(persona.scenario_checks.map((c) => c.id));
    });
  }
});
