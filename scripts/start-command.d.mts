/** Builds dist/gazette.mjs, then returns the node arguments of `npm start`'s serve step (absolute paths). */
export function buildAndGetServeArgs(root: string): string[];
