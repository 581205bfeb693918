export declare const WEB_DIST: string
export declare function webIsFresh(): boolean
export declare function buildWeb(): Promise<void>
