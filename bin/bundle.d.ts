export declare const DIST: string
export declare function bundleIsFresh(): boolean
export declare function buildBundle(): Promise<void>
/** The event store's columns as a build writes them into the compiled command, from the sources now. */
export declare function storeColumns(): Promise<{ name: string; sqlType: string }[]>
