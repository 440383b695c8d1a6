// Type declarations for fft.js 4 (https://github.com/indutny/fft.js), which ships none.
// Only shared/primitives/fft.ts may import it: everything else goes through that wrapper.
declare module 'fft.js' {
  type Buffer = Float64Array | number[];
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    table: number[] | Float64Array;
    createComplexArray(): number[];
    /** Forward transform of real `data` (length size) into complex `out` (length 2*size, bins 0..size/2 filled). */
    realTransform(out: Buffer, data: Buffer): void;
    /** Fills bins size/2+1..size-1 of a realTransform output from their conjugates. */
    completeSpectrum(spectrum: Buffer): void;
    transform(out: Buffer, data: Buffer): void;
    inverseTransform(out: Buffer, data: Buffer): void;
  }
}
