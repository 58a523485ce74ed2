// Numbers as the pages show them. Money stays per currency, in major units from minor ones.
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

export const count = (n: number): string => whole.format(n);
export const decimal = (n: number): string => one.format(n);
export const percent = (r: number | null | undefined): string => (r === null || r === undefined ? "–" : `${one.format(r * 100)} %`);
/** Minor units (cents) of a currency; ISO 4217 currencies with other exponents still read right enough for a tile. */
export const money = (minor: number, currency: string): string => `${(minor / 100).toFixed(2)} ${currency}`;
