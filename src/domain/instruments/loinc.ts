/**
 * LOINC codes are "digits-checkdigit" with a Mod 10 check digit (LOINC Users' Guide, appendix on check
 * digits). Checking it catches the common copy-paste slip of a wrong digit in an imported questionnaire.
 */
export function isValidLoincCode(code: string): boolean {
  const match = /^(\d{1,7})-(\d)$/.exec(code);
  if (!match) return false;
  return loincCheckDigit(match[1]) === Number(match[2]);
}

export function loincCheckDigit(digits: string): number {
  let odd = '';
  let even = '';
  // Positions count from the right, starting at 1; the digits keep their original order.
  for (let i = 0; i < digits.length; i++) {
    const fromRight = digits.length - i;
    if (fromRight % 2 === 1) odd += digits[i];
    else even += digits[i];
  }
  const combined = even + String(Number(odd || '0') * 2);
  let sum = 0;
  for (const ch of combined) sum += Number(ch);
  return (10 - (sum % 10)) % 10;
}
