// A small read-only syntax highlighter for the files a Dagster project holds (YAML, Python, SQL, TOML).
// Tokens become spans with a class; everything is escaped, nothing is evaluated.
export type Token = { text: string; kind?: 'comment' | 'string' | 'keyword' | 'number' | 'key' | 'template' };

const PY_KEYWORDS =
  /^(def|class|import|from|as|return|if|elif|else|for|while|with|try|except|finally|raise|in|is|not|and|or|None|True|False|lambda|yield|pass|break|continue|async|await|global)$/;
const SQL_KEYWORDS =
  /^(select|from|where|join|left|right|inner|outer|on|group|by|order|having|as|and|or|not|null|with|union|all|insert|into|create|table|view|case|when|then|else|end|limit|distinct|count|sum|avg|min|max)$/i;

export function languageOf(path: string): 'yaml' | 'python' | 'sql' | 'toml' | 'text' {
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.py$/.test(path)) return 'python';
  if (/\.sql$/.test(path)) return 'sql';
  if (/\.toml$/.test(path)) return 'toml';
  return 'text';
}

export function tokenizeLine(line: string, language: ReturnType<typeof languageOf>): Token[] {
  if (language === 'text') return [{ text: line }];
  const tokens: Token[] = [];
  const comment = language === 'sql' ? '--' : '#';
  const pattern =
    /(\{\{.*?\}\}|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|--.*$|#.*$|\b\d+(?:\.\d+)?\b|[A-Za-z_][\w-]*)/g;
  let last = 0;
  const keyMatch =
    language === 'yaml' || language === 'toml' ? /^(\s*-?\s*)([\w./-]+)(\s*[:=])/.exec(line) : null;
  if (keyMatch) {
    tokens.push({ text: keyMatch[1]! }, { text: keyMatch[2]!, kind: 'key' }, { text: keyMatch[3]! });
    last = keyMatch[0].length;
  }
  pattern.lastIndex = last;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
    if (m.index > last) tokens.push({ text: line.slice(last, m.index) });
    const text = m[0];
    let kind: Token['kind'];
    if (text.startsWith('{{')) kind = 'template';
    else if (text.startsWith(comment) && (comment === '#' ? text.startsWith('#') : text.startsWith('--')))
      kind = 'comment';
    else if (text.startsWith('"') || text.startsWith("'")) kind = 'string';
    else if (/^\d/.test(text)) kind = 'number';
    else if (
      (language === 'python' && PY_KEYWORDS.test(text)) ||
      (language === 'sql' && SQL_KEYWORDS.test(text))
    )
      kind = 'keyword';
    if (kind === 'comment' && text.startsWith('--') && language !== 'sql') kind = undefined;
    tokens.push({ text, kind });
    last = m.index + text.length;
    if (kind === 'comment') break;
  }
  if (last < line.length) tokens.push({ text: line.slice(last) });
  return tokens;
}
