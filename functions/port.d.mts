export declare const DEFAULT_PORT: number;
/** PORT as a port number (0 lets the system pick one), DEFAULT_PORT when unset; anything else throws, naming it. */
export function portFromEnv(value: string | undefined): number;
