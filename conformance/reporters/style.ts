/**
 * Colour for the terminal, decided once per run from the environment and whether the output is a
 * terminal, then handed to the reporters as a Style: they never look at the environment themselves.
 */
import picocolors from 'picocolors';

export interface Style {
  enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

/**
 * As Node itself decides: `FORCE_COLOR` wins (`0` or `false` turn colour off, any other value on),
 * then `NO_COLOR` (any non-empty value) and `TERM=dumb` turn it off; otherwise colour is on exactly
 * when the output is a terminal.
 */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function createStyle(enabled: boolean): Style {
  const colors = picocolors.createColors(enabled);
  return {
    enabled,
    red: colors.red,
    green: colors.green,
    yellow: colors.yellow,
    bold: colors.bold,
    dim: colors.dim,
  };
}

export const PLAIN: Style = createStyle(false);
