export declare const DIST: string
export declare function bundleIsFresh(): boolean
export declare function buildBundle(): Promise<void>
