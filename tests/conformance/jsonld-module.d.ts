// The part of the `jsonld` package (which ships no types) that the structured-data tests use.
declare module 'jsonld' {
  export interface RemoteDocument {
    contextUrl: string | null;
    documentUrl: string;
    document: unknown;
  }
  export type DocumentLoader = (url: string, options?: unknown) => Promise<RemoteDocument>;

  export interface Term {
    termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
    value: string;
    datatype?: { termType: 'NamedNode'; value: string };
    language?: string;
  }
  export interface Quad {
    subject: Term;
    predicate: Term;
    object: Term;
    graph: Term;
  }

  export interface ToRdfOptions {
    documentLoader?: DocumentLoader;
    safe?: boolean;
    base?: string | null;
  }

  const jsonld: {
    toRDF(input: unknown, options?: ToRdfOptions): Promise<Quad[]>;
  };
  export default jsonld;
}
