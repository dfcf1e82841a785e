/** The folder the build writes admin assets to, read by loadAdminAssets. */
export declare const ADMIN_ASSETS_OUT: string;
/** Writes editor.js (the admin's body editor, minified, no source map) into `outdir`; resolves to its size in bytes. */
export declare function buildEditor(outdir?: string): Promise<number>;
