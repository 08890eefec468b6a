/** Text as a regular expression matching exactly it: every character a pattern reads specially escaped. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
