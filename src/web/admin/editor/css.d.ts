// esbuild loads the editor's stylesheet as text (loader '.css': 'text' in scripts/build-editor.mjs).
declare module '*.css' {
  const text: string;
  export default text;
}
