// An offline schema.org checker for the JSON-LD of pages. The JSON-LD is turned into RDF by the
// `jsonld` package in safe mode (with a document loader that serves only the stored schema.org context,
// so nothing is fetched), then every triple is held against the stored vocabulary: the types and
// properties must exist and not be superseded, each property must be used on a type in its
// domainIncludes and hold a value of a type in its rangeIncludes. Both "includes" are read strictly.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsonld, { type DocumentLoader, type Quad, type Term } from 'jsonld';

const FIXTURES = fileURLToPath(new URL('../fixtures/schemaorg/', import.meta.url));
export const SCHEMA = 'https://schema.org/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

// Pages say "https://schema.org" while the published context maps terms to http://schema.org/:
// both spellings name the same vocabulary.
const CONTEXT_URLS = /^https?:\/\/schema\.org(\/|\/docs\/jsonldcontext\.jsonld?)?$/;

/** The schema.org IRI in its https spelling, whichever spelling the data used. */
export function schemaIri(iri: string): string {
  return iri.replace(/^http:\/\/schema\.org\//, SCHEMA);
}

interface Property {
  domain: string[];
  range: string[];
  supersededBy: string[];
}

export interface Vocabulary {
  /** Each class with itself and all its ancestors. */
  classes: Map<string, Set<string>>;
  properties: Map<string, Property>;
  /** Classes that are data types (Text, URL, Date, Number, …), literals rather than nodes. */
  dataTypes: Set<string>;
}

type VocabNode = Record<string, unknown> & { '@id': string; '@type': string | string[] };

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const expand = (curie: string) => (curie.startsWith('schema:') ? SCHEMA + curie.slice('schema:'.length) : curie);
const ids = (v: unknown) => asArray(v as { '@id': string } | { '@id': string }[] | undefined).map((r) => expand(r['@id']));

let vocabulary: Vocabulary | null = null;

/** The stored schema.org vocabulary (read once). */
export function loadVocabulary(): Vocabulary {
  if (vocabulary) return vocabulary;
  const file = JSON.parse(fs.readFileSync(`${FIXTURES}schemaorg-current-https.jsonld`, 'utf8')) as { '@graph': VocabNode[] };
  const parents = new Map<string, string[]>();
  const typedDataType = new Set<string>();
  const properties = new Map<string, Property>();
  for (const node of file['@graph']) {
    const id = expand(node['@id']);
    const types = asArray(node['@type']);
    if (types.includes('rdfs:Class')) parents.set(id, ids(node['rdfs:subClassOf']).filter((p) => p.startsWith(SCHEMA)));
    if (types.includes('schema:DataType')) typedDataType.add(id);
    if (types.includes('rdf:Property'))
      properties.set(id, { domain: ids(node['schema:domainIncludes']), range: ids(node['schema:rangeIncludes']), supersededBy: ids(node['schema:supersededBy']) });
  }
  const classes = new Map<string, Set<string>>();
  for (const id of parents.keys()) {
    const seen = new Set<string>();
    const queue = [id];
    while (queue.length) {
      const c = queue.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      queue.push(...(parents.get(c) ?? []));
    }
    classes.set(id, seen);
  }
  const dataTypes = new Set([...classes].filter(([, ancestors]) => [...ancestors].some((a) => typedDataType.has(a))).map(([id]) => id));
  vocabulary = { classes, properties, dataTypes };
  return vocabulary;
}

const storedContext = () => JSON.parse(fs.readFileSync(`${FIXTURES}schemaorgcontext.jsonld`, 'utf8')) as unknown;

/** Serves the stored schema.org context and refuses every other URL, so expansion never goes online. */
export const offlineLoader: DocumentLoader = async (url) => {
  if (!CONTEXT_URLS.test(url)) throw new Error(`The test document loader serves only the schema.org context, not ${url}`);
  return { contextUrl: null, documentUrl: url, document: storedContext() };
};

/** JSON-LD to RDF quads, in safe mode: anything the processor would drop or guess at is an error. */
export function toRdf(document: unknown): Promise<Quad[]> {
  return jsonld.toRDF(document, { documentLoader: offlineLoader, safe: true, base: null });
}

const short = (iri: string) => iri.replace(SCHEMA, 'schema:').replace(XSD, 'xsd:');
const label = (t: Term) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.termType === 'Literal' ? JSON.stringify(t.value) : short(schemaIri(t.value)));

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Each subject of the graph with its types (schema.org IRIs in their https spelling). */
export function typesBySubject(quads: readonly Quad[]): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const q of quads) {
    if (q.predicate.value !== RDF_TYPE) continue;
    types.set(q.subject.value, [...(types.get(q.subject.value) ?? []), schemaIri(q.object.value)]);
  }
  return types;
}

/** Every problem with the graph's use of schema.org, one sentence each; empty when it is all sound. */
export function vocabularyProblems(quads: readonly Quad[], vocab = loadVocabulary()): string[] {
  const problems: string[] = [];
  const types = typesBySubject(quads);
  const closure = (subject: string) => new Set((types.get(subject) ?? []).flatMap((t) => [...(vocab.classes.get(t) ?? [])]));
  const inRange = (range: string[], cls: string) => range.some((r) => vocab.classes.get(cls)?.has(r));

  for (const [subject, list] of types) {
    for (const t of list) {
      if (!vocab.classes.has(t)) problems.push(`${short(t)} (type of ${subject}) is not a schema.org type`);
      else if (vocab.dataTypes.has(t)) problems.push(`${short(t)} is a data type, not a type for a node`);
    }
  }

  for (const { subject, predicate, object } of quads) {
    if (predicate.value === RDF_TYPE) continue;
    const p = schemaIri(predicate.value);
    const where = `${label(subject)} ${short(p)} ${label(object)}`;
    const property = vocab.properties.get(p);
    if (!property) {
      problems.push(`${short(p)} is not a schema.org property (${where})`);
      continue;
    }
    if (property.supersededBy.length) problems.push(`${short(p)} is superseded by ${property.supersededBy.map(short).join(', ')} (${where})`);

    const subjectTypes = closure(subject.value);
    if (!subjectTypes.size) problems.push(`${label(subject)} has no type, so ${short(p)} cannot be checked against its domain`);
    else if (!property.domain.some((d) => subjectTypes.has(d)))
      problems.push(`${short(p)} is used on ${[...(types.get(subject.value) ?? [])].map(short).join(', ')}, outside its domain (${property.domain.map(short).join(', ')})`);

    const range = property.range;
    const rangeText = range.map(short).join(', ');
    if (object.termType === 'Literal') {
      const datatype = object.datatype?.value ?? `${XSD}string`;
      const value = object.value;
      let fits: boolean;
      if (datatype === `${XSD}string` || datatype === RDF_LANG_STRING) {
        // A plain string fits Text and its kinds (URL, …), or a date, time or number written as text.
        fits =
          inRange(range, `${SCHEMA}Text`) ||
          range.some((r) => vocab.classes.get(r)?.has(`${SCHEMA}Text`)) ||
          (range.includes(`${SCHEMA}DateTime`) && ISO_DATE_TIME.test(value)) ||
          (range.includes(`${SCHEMA}Date`) && ISO_DATE.test(value)) ||
          (range.includes(`${SCHEMA}Time`) && ISO_TIME.test(value)) ||
          (range.some((r) => vocab.classes.get(r)?.has(`${SCHEMA}Number`)) && /^-?\d+(\.\d+)?$/.test(value));
      } else if (datatype === `${XSD}boolean`) {
        fits = range.includes(`${SCHEMA}Boolean`);
      } else if (datatype === `${XSD}integer` || datatype === `${XSD}double`) {
        fits = range.some((r) => vocab.classes.get(r)?.has(`${SCHEMA}Number`));
      } else if (schemaIri(datatype).startsWith(SCHEMA)) {
        const d = schemaIri(datatype);
        // The published context marks date properties as schema:Date; their range decides what the text may be.
        fits =
          range.includes(d) &&
          ((range.includes(`${SCHEMA}Date`) && ISO_DATE.test(value)) ||
            (range.includes(`${SCHEMA}DateTime`) && ISO_DATE_TIME.test(value)) ||
            (range.includes(`${SCHEMA}Time`) && ISO_TIME.test(value)) ||
            ![`${SCHEMA}Date`, `${SCHEMA}DateTime`, `${SCHEMA}Time`].includes(d));
      } else {
        fits = false;
      }
      if (!fits) problems.push(`${short(p)} holds ${JSON.stringify(value)} (${short(datatype)}), outside its range (${rangeText})`);
    } else {
      // An address is a URL whatever the graph says about it (a page's url is also its WebPage node).
      if (object.termType === 'NamedNode' && range.includes(`${SCHEMA}URL`)) continue;
      const objectTypes = types.get(object.value) ?? [];
      if (objectTypes.length) {
        if (!objectTypes.some((t) => inRange(range, t))) problems.push(`${short(p)} holds a ${objectTypes.map(short).join(', ')}, outside its range (${rangeText}) (${where})`);
      } else if (object.termType === 'NamedNode') {
        problems.push(`${short(p)} holds the bare address ${object.value}, but its range (${rangeText}) has no URL`);
      } else {
        problems.push(`${short(p)} holds a node with no type (${where})`);
      }
    }
  }
  return problems;
}

/** Subjects of the given schema.org type. */
export function subjectsOfType(quads: readonly Quad[], type: string): string[] {
  return [...typesBySubject(quads)].filter(([, list]) => list.includes(SCHEMA + type)).map(([subject]) => subject);
}

/** The schema.org properties a subject has, as short names ("headline", …). */
export function propertiesOf(quads: readonly Quad[], subject: string): Set<string> {
  return new Set(quads.filter((q) => q.subject.value === subject && q.predicate.value !== RDF_TYPE).map((q) => schemaIri(q.predicate.value).replace(SCHEMA, '')));
}

/** Every schema:name found in the nodes reached from subject through the given properties, at any depth below. */
export function namesBelow(quads: readonly Quad[], subject: string, through: readonly string[]): string[] {
  const start = quads.filter((q) => q.subject.value === subject && through.includes(schemaIri(q.predicate.value).replace(SCHEMA, ''))).map((q) => q.object);
  const seen = new Set<string>();
  const names: string[] = [];
  const queue = start.filter((t) => t.termType !== 'Literal').map((t) => t.value);
  while (queue.length) {
    const node = queue.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const q of quads) {
      if (q.subject.value !== node) continue;
      if (schemaIri(q.predicate.value) === `${SCHEMA}name` && q.object.termType === 'Literal') names.push(q.object.value);
      else if (q.object.termType !== 'Literal' && q.predicate.value !== RDF_TYPE) queue.push(q.object.value);
    }
  }
  return names;
}
