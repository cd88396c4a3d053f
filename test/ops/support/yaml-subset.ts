/**
 * A parser for the YAML subset `ops/alerts.yml` is written in: block mappings and sequences by
 * indentation, `- key: value` items, literal (`|`) and folded (`>`) block scalars, double- and
 * single-quoted strings, plain scalars (kept as strings) and `#` comments. Anything else (flow
 * collections, anchors, tags, multi-document) is rejected with the line number, so the rule file
 * cannot silently drift outside what this parser understands.
 */
export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  no: number;
  indent: number;
  text: string;
}

export class YamlSubsetError extends Error {}

function stripComment(raw: string): string {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || raw[i - 1] === ' ')) return raw.slice(0, i).trimEnd();
  }
  return raw.trimEnd();
}

function scalar(text: string, no: number): string {
  const t = text.trim();
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new YamlSubsetError(`line ${no}: unterminated string`);
    return JSON.parse(t.replace(/\\\//g, '/')) as string;
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new YamlSubsetError(`line ${no}: unterminated string`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[[{&*!%@`]/.test(t)) throw new YamlSubsetError(`line ${no}: unsupported YAML syntax: ${t}`);
  return t;
}

export function parseYamlSubset(source: string): YamlValue {
  const rawLines = source.split('\n');
  const lines: (Line & { raw: string })[] = rawLines.map((raw, i) => ({
    no: i + 1,
    raw,
    indent: raw.length - raw.trimStart().length,
    text: stripComment(raw).trim(),
  }));
  let pos = 0;
  const skipBlank = () => {
    while (pos < lines.length && lines[pos]!.text === '') pos++;
  };

  const blockScalar = (style: string, parentIndent: number): string => {
    const body: string[] = [];
    let indent = -1;
    while (pos < lines.length) {
      const l = lines[pos]!;
      if (l.raw.trim() !== '') {
        if (l.indent <= parentIndent) break;
        if (indent < 0) indent = l.indent;
      }
      body.push(l.raw.trim() === '' ? '' : l.raw.slice(indent));
      pos++;
    }
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    return style === '|' ? `${body.join('\n')}\n` : `${body.join(' ')}\n`;
  };

  const value = (rest: string, indent: number, no: number): YamlValue => {
    if (rest === '|' || rest === '>') return blockScalar(rest, indent);
    if (rest !== '') return scalar(rest, no);
    skipBlank();
    const next = lines[pos];
    if (!next || next.indent <= indent) return '';
    return block(next.indent);
  };

  const mappingEntry = (text: string, indent: number, no: number, into: Record<string, YamlValue>) => {
    const m = /^([A-Za-z_][\w.-]*):(?:\s+(.*))?$/.exec(text);
    if (!m) throw new YamlSubsetError(`line ${no}: expected "key: value", got: ${text}`);
    const key = m[1]!;
    if (key in into) throw new YamlSubsetError(`line ${no}: duplicate key ${key}`);
    into[key] = value((m[2] ?? '').trim(), indent, no);
  };

  const block = (indent: number): YamlValue => {
    skipBlank();
    const first = lines[pos]!;
    if (first.text.startsWith('- ') || first.text === '-') {
      const items: YamlValue[] = [];
      while (pos < lines.length) {
        skipBlank();
        const l = lines[pos];
        if (!l || l.indent < indent) break;
        if (l.indent > indent || !(l.text.startsWith('- ') || l.text === '-'))
          throw new YamlSubsetError(`line ${l.no}: bad indentation in a sequence`);
        const itemText = l.text.slice(1).trim();
        const itemIndent =
          indent + (l.raw.trimStart().length - l.raw.trimStart().slice(1).trimStart().length);
        pos++;
        if (/^[A-Za-z_][\w.-]*:(\s|$)/.test(itemText)) {
          const obj: Record<string, YamlValue> = {};
          mappingEntry(itemText, itemIndent, l.no, obj);
          while (pos < lines.length) {
            skipBlank();
            const n = lines[pos];
            if (!n || n.indent < itemIndent) break;
            if (n.indent > itemIndent) throw new YamlSubsetError(`line ${n.no}: bad indentation`);
            pos++;
            mappingEntry(n.text, itemIndent, n.no, obj);
          }
          items.push(obj);
        } else {
          items.push(value(itemText, indent, l.no));
        }
      }
      return items;
    }
    const obj: Record<string, YamlValue> = {};
    while (pos < lines.length) {
      skipBlank();
      const l = lines[pos];
      if (!l || l.indent < indent) break;
      if (l.indent > indent) throw new YamlSubsetError(`line ${l.no}: bad indentation`);
      pos++;
      mappingEntry(l.text, indent, l.no, obj);
    }
    return obj;
  };

  skipBlank();
  if (pos >= lines.length) return {};
  const root = block(lines[pos]!.indent);
  skipBlank();
  if (pos < lines.length) throw new YamlSubsetError(`line ${lines[pos]!.no}: unexpected content`);
  return root;
}
