// Types for the `tr46` package (UTS-46 IDNA processing), which ships none.
declare module 'tr46' {
  export interface Tr46Options {
    checkHyphens?: boolean;
    checkBidi?: boolean;
    checkJoiners?: boolean;
    useSTD3ASCIIRules?: boolean;
    verifyDNSLength?: boolean;
    transitionalProcessing?: boolean;
    ignoreInvalidPunycode?: boolean;
    /** Pre-v4 spelling of transitionalProcessing; ignored by tr46 5.x. */
    processingOption?: 'transitional' | 'nontransitional';
  }
  /** The A-label form, or null when UTS-46 processing reports an error. */
  export function toASCII(domainName: string, options?: Tr46Options): string | null;
  export function toUnicode(domainName: string, options?: Tr46Options): { domain: string; error: boolean };
}
