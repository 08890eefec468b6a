/**
 * Keeps secrets out of every output. Headers whose name suggests a secret are masked wherever they
 * appear (`Authorization: Bearer ***`), and the secret values given with --header are masked inside
 * any text as well (a server may echo a token in a body).
 */
const SECRET_NAME = /authorization|token|key|secret|cookie|password|session|credential/i;
const MASK = '***';

export function isSecretHeader(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `Bearer abc` -> `Bearer ***`; values without a scheme become `***`. */
export function maskValue(value: string): string {
  const match = /^([A-Za-z][A-Za-z0-9._-]*)\s+\S/.exec(value);
  return match ? `${match[1]} ${MASK}` : MASK;
}

export class Redactor {
  private readonly secrets: string[];

  /** `given` are the --header pairs: their secret values are masked in all text. */
  constructor(given: [string, string][]) {
    const values = new Set<string>();
    for (const [name, value] of given) {
      if (!isSecretHeader(name)) continue;
      values.add(value);
      const credential = value.replace(/^[A-Za-z][A-Za-z0-9._-]*\s+/, '');
      if (credential.length >= 4) values.add(credential);
    }
    // Longest first, so a whole header value is masked before the credential inside it.
    this.secrets = [...values].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
  }

  text(input: string): string {
    let out = input;
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return out;
  }

  headers(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, isSecretHeader(name) ? maskValue(value) : this.text(value)]));
  }

  /** Any JSON value, with secrets masked in every string. */
  value(input: unknown): unknown {
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((item) => this.value(item));
    if (input && typeof input === 'object') return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, this.value(v)]));
    return input;
  }
}
