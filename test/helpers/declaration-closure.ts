/**
 * Which of a package's own types its public declaration files name without exporting them. From
 * each entry's exports it follows every type named in a declaration (type references, `extends`
 * and `implements` clauses, `import("…").T` types) into that type's own declaration, and so on;
 * a type declared in the package (a file under `root`) must be exported by one of the entries.
 * Types of dependencies and of the standard library are the consumer's to import.
 */
import ts from 'typescript';

export interface UnexportedType {
  /** The type's name, as declared. */
  readonly name: string;
  /** Its declaration file, relative to `root`. */
  readonly file: string;
  /** The exported declaration whose signature led to it. */
  readonly via: string;
}

function resolved(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The symbol a type-naming node refers to, or undefined for anything else. */
function namedSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  if (ts.isTypeReferenceNode(node)) {
    const name = ts.isQualifiedName(node.typeName) ? node.typeName.right : node.typeName;
    return checker.getSymbolAtLocation(name);
  }
  if (ts.isExpressionWithTypeArguments(node)) return checker.getSymbolAtLocation(node.expression);
  if (ts.isImportTypeNode(node) && node.qualifier !== undefined) {
    const name = ts.isQualifiedName(node.qualifier) ? node.qualifier.right : node.qualifier;
    return checker.getSymbolAtLocation(name);
  }
  return undefined;
}

/** Types declared under `root` that the entries' exported declarations name but no entry exports. */
export function unexportedTypes(entries: readonly string[], root: string): UnexportedType[] {
  const program = ts.createProgram([...entries], {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
    strict: true, skipLibCheck: true, noEmit: true, types: ['node'],
  });
  const checker = program.getTypeChecker();
  const exported = new Set<ts.Symbol>();
  for (const entry of entries) {
    const file = program.getSourceFile(entry);
    if (file === undefined) throw new Error(`${entry}: not found (run npm run build)`);
    const module = checker.getSymbolAtLocation(file);
    if (module === undefined) throw new Error(`${entry}: not a module`);
    for (const symbol of checker.getExportsOfModule(module)) exported.add(resolved(checker, symbol));
  }
  const inPackage = (declaration: ts.Declaration): boolean => {
    const name = declaration.getSourceFile().fileName;
    return name.startsWith(root) && !name.includes('/node_modules/');
  };
  const found = new Map<ts.Symbol, UnexportedType>();
  const visited = new Set<ts.Symbol>();
  const pending: Array<{ symbol: ts.Symbol; via: string }> = [...exported].map((symbol) => ({ symbol, via: symbol.name }));
  while (pending.length > 0) {
    const { symbol, via } = pending.pop()!;
    if (visited.has(symbol)) continue;
    visited.add(symbol);
    const walk = (node: ts.Node): void => {
      const named = namedSymbol(checker, node);
      if (named !== undefined) {
        const target = resolved(checker, named);
        const declarations = target.declarations ?? [];
        if (!(target.flags & ts.SymbolFlags.TypeParameter) && declarations.some(inPackage)) {
          if (!exported.has(target) && !found.has(target)) {
            found.set(target, { name: target.name, file: declarations[0]!.getSourceFile().fileName.slice(root.length), via });
          }
          pending.push({ symbol: target, via });
        }
      }
      ts.forEachChild(node, walk);
    };
    for (const declaration of symbol.declarations ?? []) if (inPackage(declaration)) walk(declaration);
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
