// Minimal declarations for untyped dependencies, covering what the project calls.
declare module "snarkjs" {
  type Input = string | { type: "mem"; data: Uint8Array };
  type Logger = { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void };
  export const groth16: {
    fullProve(
      input: unknown,
      wasm: Input,
      zkey: Input,
      logger?: Logger,
    ): Promise<{ proof: any; publicSignals: string[] }>;
    prove(
      zkey: Input,
      wtns: { type: "mem"; data?: Uint8Array } | string,
      logger?: Logger,
    ): Promise<{ proof: any; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: readonly string[], proof: unknown, logger?: Logger): Promise<boolean>;
  };
  export const zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<unknown>;
    beacon(
      oldZkey: string,
      newZkey: string,
      name: string,
      beaconHash: string,
      iterationsExp: number,
      logger?: Logger,
    ): Promise<unknown>;
    verifyFromR1cs(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<boolean>;
    contribute(oldZkey: string, newZkey: string, name: string, entropy: string, logger?: Logger): Promise<Uint8Array>;
    exportVerificationKey(zkey: string, logger?: Logger): Promise<unknown>;
    exportSolidityVerifier(zkey: string, templates: { groth16: string }, logger?: Logger): Promise<string>;
  };
  export const powersOfTau: {
    preparePhase2(oldPtau: string, newPtau: string, logger?: Logger): Promise<void>;
    newAccumulator(curve: unknown, power: number, ptau: string, logger?: Logger): Promise<unknown>;
    contribute(oldPtau: string, newPtau: string, name: string, entropy: string, logger?: Logger): Promise<Uint8Array>;
    beacon(
      oldPtau: string,
      newPtau: string,
      name: string,
      beaconHash: string,
      iterationsExp: number,
      logger?: Logger,
    ): Promise<Uint8Array>;
  };
  export const curves: { getCurveFromName(name: string): Promise<{ terminate(): Promise<void> }> };
  export const wtns: {
    calculate(input: unknown, wasm: Input, wtns: { type: "mem"; data?: Uint8Array } | string): Promise<void>;
  };
}
declare module "ffjavascript" {
  export function buildBn128(singleThread?: boolean): Promise<any>;
}
declare module "r1csfile" {
  export function readR1cs(
    file: string,
    options?: { loadConstraints?: boolean; loadMap?: boolean; getFieldFromPrime?: unknown },
  ): Promise<any>;
}
