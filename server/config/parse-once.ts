/**
 * The parse context for config schemas. Each is parsed once per start, so zod's JIT (it compiles
 * an object schema's parser with `new Function` on its first parse, ≈ 2–3 ms over a config's
 * schemas, and never cached between runs) costs start-up time and saves nothing.
 */
export const PARSE_ONCE = { jitless: true } as const;
